#pragma once
/// @file energyhistogram.h
/// The image mode's energy histogram: held-out data, the chains' samples and uniform noise on shared bins.
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

} // namespace ebm::ui
