#pragma once
/// @file energycurve.h
/// A chain's energy over its Langevin steps with a marker at the frame shown; it also paints into any
/// QPainter (the chain animation's frames).
#include <QWidget>
#include <ebm/core/types.h>

class QPainter;

namespace ebm::ui {

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
