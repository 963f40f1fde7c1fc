#include "energycurve.h"

#include "energyplotstyle.h"
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace ebm::ui {

EnergyCurve::EnergyCurve(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(100);
    setToolTip(tr("The chain's energy E(x) after each Langevin step; click or drag to show that step."));
}

void EnergyCurve::setCurve(const core::Rowf& energy) {
    m_energy = energy;
    m_marker = std::clamp(m_marker, 0, std::max<int>(0, int(energy.size()) - 1));
    update();
}

void EnergyCurve::setMarker(int index) {
    m_marker = index;
    update();
}

void EnergyCurve::paint(QPainter& p, const QRect& rect, const core::Rowf& energy, int marker) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect, kEnergyPlotBackground);
    const QRect plot = rect.adjusted(48, 20, -10, -20);
    p.setPen(QColor(220, 220, 225));
    p.drawText(rect.adjusted(6, 2, -6, 0), Qt::AlignLeft | Qt::AlignTop, tr("energy along the chain"));
    if (energy.size() > 0) {
        double lo = energy.minCoeff(), hi = energy.maxCoeff();
        if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
        if (hi - lo < 1e-6) hi = lo + 1e-6;
        const int n = int(energy.size());
        const auto pt = [&](int i) {
            const double x = plot.left() + (n > 1 ? double(i) / (n - 1) : 0.0) * plot.width();
            const double y = plot.bottom() - (energy(i) - lo) / (hi - lo) * plot.height();
            return QPointF(x, y);
        };
        QPainterPath path;
        path.moveTo(pt(0));
        for (int i = 1; i < n; ++i)
            path.lineTo(pt(i));
        p.setPen(QPen(QColor(120, 200, 255), 1.5));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        const int m = std::clamp(marker, 0, n - 1);
        p.setPen(QPen(QColor(255, 170, 60), 1));
        p.drawLine(QPointF(pt(m).x(), plot.top()), QPointF(pt(m).x(), plot.bottom()));
        p.setBrush(QColor(255, 170, 60));
        p.drawEllipse(pt(m), 3.5, 3.5);
        p.setPen(kEnergyPlotAxis);
        p.drawText(QRect(rect.left(), plot.top() - 6, 44, 14), Qt::AlignRight, QString::number(hi, 'g', 3));
        p.drawText(QRect(rect.left(), plot.bottom() - 8, 44, 14), Qt::AlignRight,
                   QString::number(lo, 'g', 3));
        p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), 16), Qt::AlignRight,
                   tr("step %1 of %2, E = %3").arg(m).arg(n - 1).arg(energy(m), 0, 'g', 4));
    }
    p.setPen(kEnergyPlotAxis);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    p.restore();
}

void EnergyCurve::paintEvent(QPaintEvent*) {
    QPainter p(this);
    paint(p, rect(), m_energy, m_marker);
}

void EnergyCurve::pick(int x) {
    const QRect plot = rect().adjusted(48, 20, -10, -20);
    const int n = int(m_energy.size());
    if (n < 1 || plot.width() <= 0) return;
    const int i = std::clamp(int(std::lround(double(x - plot.left()) / plot.width() * (n - 1))), 0, n - 1);
    emit markerPicked(i);
}

void EnergyCurve::mousePressEvent(QMouseEvent* e) {
    pick(int(e->position().x()));
}

void EnergyCurve::mouseMoveEvent(QMouseEvent* e) {
    if (e->buttons() & Qt::LeftButton) pick(int(e->position().x()));
}

} // namespace ebm::ui
