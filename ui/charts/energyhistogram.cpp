#include "energyhistogram.h"

#include "energyplotstyle.h"
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <ebm/render/figure.h>

namespace ebm::ui {

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
    // Round values (1, 2 or 5 × 10^k apart), as on every other axis, not the range split in four.
    const std::vector<double> values = render::niceTicks(m_lo, m_hi, 4);
    const double spacing = values.size() > 1 ? values[1] - values[0] : 1;
    const QFontMetrics fm = fontMetrics();
    QStringList labels;
    int widest = 0;
    for (double v : values) {
        labels << QString::fromStdString(render::tickLabel(v, spacing));
        widest = std::max(widest, fm.horizontalAdvance(labels.back()));
    }
    // A label near either end hangs half outside the plot: the margins leave room for the widest.
    const int left = std::max(fm.horizontalAdvance(tr("count")) + 10, widest / 2 + 6);
    const int right = widest / 2 + 6;
    Layout l;
    l.plot = rect().adjusted(left, fm.height() + 8, -right, -(fm.height() + 6));
    for (size_t t = 0; t < values.size(); ++t) {
        const int x = l.plot.left() + int(std::lround((values[t] - m_lo) / (m_hi - m_lo) * l.plot.width()));
        const int w = fm.horizontalAdvance(labels[int(t)]) + 4;
        l.ticks.emplace_back(QRect(x - w / 2, l.plot.bottom() + 4, w, fm.height()), labels[int(t)]);
    }
    return l;
}

void EnergyHistogram::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), kEnergyPlotBackground);
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
        p.fillRect(QRect(lx, 7, 10, 10), kEnergySeriesColor[k]);
        p.setPen(QColor(220, 220, 225));
        p.drawText(QPoint(lx + 14, 16), label);
    }
    int maxCount = 1;
    for (const auto& c : m_counts)
        maxCount = std::max(maxCount, *std::max_element(c.begin(), c.end()));
    p.setPen(kEnergyPlotAxis);
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
        QColor fill = kEnergySeriesColor[k];
        fill.setAlpha(70);
        p.setBrush(fill);
        p.setPen(QPen(kEnergySeriesColor[k], 1.5));
        p.drawPath(path);
    }
    p.setPen(kEnergyPlotAxis);
    for (const auto& [r, text] : lay.ticks) {
        const int x = r.center().x();
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
        p.drawText(r, Qt::AlignHCenter | Qt::AlignTop, text);
    }
    p.drawText(QRect(2, plot.top(), plot.left() - 6, fontMetrics().height()), Qt::AlignRight, tr("count"));
}

} // namespace ebm::ui
