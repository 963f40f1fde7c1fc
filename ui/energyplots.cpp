#include "energyplots.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace ebm::ui {

namespace {
const QColor kSeriesColor[3] = {QColor(255, 170, 60), QColor(120, 200, 255), QColor(190, 190, 190)};
const QColor kBackground(30, 31, 36);
const QColor kAxis(150, 150, 158);
} // namespace

EnergyHistogram::EnergyHistogram(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(120);
    setToolTip(tr("How the model's energy separates held-out data (orange), the chains' samples (blue) and "
                  "uniform noise (grey). Training pushes data down and everything else up."));
    for (auto& c : m_counts)
        c.assign(kBins, 0);
}

void EnergyHistogram::setEnergies(const core::Rowf& data, const core::Rowf& samples,
                                  const core::Rowf& noise) {
    const core::Rowf* sets[3] = {&data, &samples, &noise};
    double lo = 1e300, hi = -1e300;
    for (const core::Rowf* s : sets)
        for (Eigen::Index i = 0; i < s->size(); ++i)
            if (std::isfinite((*s)(i))) {
                lo = std::min(lo, double((*s)(i)));
                hi = std::max(hi, double((*s)(i)));
            }
    if (lo > hi) lo = 0, hi = 1;
    if (hi - lo < 1e-6) hi = lo + 1e-6;
    m_lo = lo;
    m_hi = hi;
    for (int k = 0; k < 3; ++k) {
        m_counts[k].assign(kBins, 0);
        double sum = 0;
        int n = 0;
        for (Eigen::Index i = 0; i < sets[k]->size(); ++i) {
            const double e = (*sets[k])(i);
            if (!std::isfinite(e)) continue;
            const int b = std::clamp(int((e - lo) / (hi - lo) * kBins), 0, kBins - 1);
            ++m_counts[k][size_t(b)];
            sum += e;
            ++n;
        }
        m_mean[k] = n ? sum / n : std::nan("");
    }
    update();
}

EnergyHistogram::Layout EnergyHistogram::layout() const {
    constexpr int kTicks = 4;
    const QFontMetrics fm = fontMetrics();
    QStringList labels;
    for (int t = 0; t <= kTicks; ++t)
        labels << QString::number(m_lo + (m_hi - m_lo) * t / kTicks, 'g', 3);
    // Half of the first and last labels hang outside the plot: the margins leave room for them.
    const int left =
        std::max(fm.horizontalAdvance(tr("count")) + 10, fm.horizontalAdvance(labels.front()) / 2 + 6);
    const int right = fm.horizontalAdvance(labels.back()) / 2 + 6;
    Layout l;
    l.plot = rect().adjusted(left, fm.height() + 8, -right, -(fm.height() + 6));
    for (int t = 0; t <= kTicks; ++t) {
        const int x = l.plot.left() + l.plot.width() * t / kTicks, w = fm.horizontalAdvance(labels[t]) + 4;
        l.ticks.emplace_back(QRect(x - w / 2, l.plot.bottom() + 4, w, fm.height()), labels[t]);
    }
    return l;
}

void EnergyHistogram::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), kBackground);
    const Layout lay = layout();
    const QRect plot = lay.plot;
    p.setPen(QColor(220, 220, 225));
    p.drawText(rect().adjusted(6, 3, -6, 0), Qt::AlignLeft | Qt::AlignTop, tr("Energy histogram"));
    const QString names[3] = {tr("held-out data"), tr("chains"), tr("uniform noise")};
    int lx = rect().right() - 10;
    for (int k = 2; k >= 0; --k) {
        const QString label = QStringLiteral("%1  %2").arg(names[k]).arg(m_mean[k], 0, 'g', 3);
        const int w = fontMetrics().horizontalAdvance(label) + 20;
        lx -= w;
        p.fillRect(QRect(lx, 7, 10, 10), kSeriesColor[k]);
        p.setPen(QColor(220, 220, 225));
        p.drawText(QPoint(lx + 14, 16), label);
    }
    int maxCount = 1;
    for (const auto& c : m_counts)
        maxCount = std::max(maxCount, *std::max_element(c.begin(), c.end()));
    p.setPen(kAxis);
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    const double bw = double(plot.width()) / kBins;
    for (int k = 0; k < 3; ++k) {
        QPainterPath path;
        path.moveTo(plot.left(), plot.bottom());
        for (int b = 0; b < kBins; ++b) {
            const double y = plot.bottom() - double(m_counts[k][size_t(b)]) / maxCount * plot.height();
            path.lineTo(plot.left() + b * bw, y);
            path.lineTo(plot.left() + (b + 1) * bw, y);
        }
        path.lineTo(plot.right(), plot.bottom());
        QColor fill = kSeriesColor[k];
        fill.setAlpha(70);
        p.setBrush(fill);
        p.setPen(QPen(kSeriesColor[k], 1.5));
        p.drawPath(path);
    }
    p.setPen(kAxis);
    for (const auto& [r, text] : lay.ticks) {
        const int x = r.center().x();
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
        p.drawText(r, Qt::AlignHCenter | Qt::AlignTop, text);
    }
    p.drawText(QRect(2, plot.top(), plot.left() - 6, fontMetrics().height()), Qt::AlignRight, tr("count"));
}

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
    p.fillRect(rect, kBackground);
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
        p.setPen(kAxis);
        p.drawText(QRect(rect.left(), plot.top() - 6, 44, 14), Qt::AlignRight, QString::number(hi, 'g', 3));
        p.drawText(QRect(rect.left(), plot.bottom() - 8, 44, 14), Qt::AlignRight,
                   QString::number(lo, 'g', 3));
        p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), 16), Qt::AlignRight,
                   tr("step %1 of %2, E = %3").arg(m).arg(n - 1).arg(energy(m), 0, 'g', 4));
    }
    p.setPen(kAxis);
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
