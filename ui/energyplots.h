#pragma once
/// @file energyplots.h
/// Two small painted plots of the image mode: the energy histogram of held-out data, the chains' samples
/// and uniform noise on shared bins, and a chain's energy curve over its Langevin steps with a marker at
/// the frame shown. Both also paint into any QPainter (the chain animation's frames).
#include <QWidget>
#include <ebm/core/types.h>
#include <vector>

namespace ebm::ui {

class EnergyHistogram : public QWidget {
    Q_OBJECT
public:
    static constexpr int kBins = 40;
    explicit EnergyHistogram(QWidget* parent = nullptr);
    /// The three sets of energies (any may be empty).
    void setEnergies(const core::Rowf& data, const core::Rowf& samples, const core::Rowf& noise);
    /// Counts per bin of series s (0 data, 1 samples, 2 noise) and the bins' range.
    const std::vector<int>& counts(int s) const { return m_counts[size_t(s)]; }
    double lo() const { return m_lo; }
    double hi() const { return m_hi; }
    double mean(int s) const { return m_mean[size_t(s)]; }
    QSize sizeHint() const override { return {520, 170}; }

    /// Where the plot and each energy tick label go: the margins come from the labels' widths, so the
    /// first and last labels fit inside the widget.
    struct Layout {
        QRect plot;
        std::vector<std::pair<QRect, QString>> ticks; ///< label rectangle and text
    };
    Layout layout() const;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    std::vector<int> m_counts[3];
    double m_mean[3] = {0, 0, 0};
    double m_lo = 0, m_hi = 1;
};

class EnergyCurve : public QWidget {
    Q_OBJECT
public:
    explicit EnergyCurve(QWidget* parent = nullptr);
    void setCurve(const core::Rowf& energy);
    void setMarker(int index);
    /// Paints the curve into rect (used for the widget and the exported frames).
    static void paint(QPainter& p, const QRect& rect, const core::Rowf& energy, int marker);
    QSize sizeHint() const override { return {300, 140}; }

signals:
    void markerPicked(int index); ///< the user clicked at a step

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    core::Rowf m_energy;
    int m_marker = 0;
    void pick(int x);
};

} // namespace ebm::ui
