#include "chartaxis.h"

#include <algorithm>
#include <cmath>

namespace ebm::ui {

double niceTickStep(double span, int maxIntervals) {
    if (!(span > 0) || !std::isfinite(span)) return 1;
    const double raw = span / std::max(1, maxIntervals);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * mag >= raw * (1 - 1e-9)) return m * mag;
    return 10 * mag;
}

int tickDecimals(double step) {
    if (!(step > 0) || !std::isfinite(step) || step >= 1) return 0;
    return std::clamp(int(std::ceil(-std::log10(step) - 1e-9)), 0, 9);
}

QString tickFormat(double step, const QString& suffix) {
    return QStringLiteral("%.%1f").arg(tickDecimals(step)) + suffix;
}

AxisScale niceScale(double lo, double hi, int maxIntervals) {
    AxisScale a;
    if (!std::isfinite(lo) || !std::isfinite(hi)) return a;
    if (hi < lo) std::swap(lo, hi);
    if (hi - lo <= 1e-12 * std::max(1.0, std::abs(hi))) {
        const double w = std::max(std::abs(hi) * 0.05, 1e-3);
        lo -= w;
        hi += w;
    }
    maxIntervals = std::max(2, maxIntervals); // a range around 0 needs two
    double step = niceTickStep(hi - lo, maxIntervals);
    // Widening to multiples can add an interval at each end: take the next larger step until it fits.
    for (;;) {
        a.lo = std::floor(lo / step + 1e-9) * step;
        a.hi = std::ceil(hi / step - 1e-9) * step;
        if (std::lround((a.hi - a.lo) / step) <= maxIntervals) break;
        step = niceTickStep(step * 1.0001, 1);
    }
    a.step = step;
    a.decimals = tickDecimals(step);
    return a;
}

QString formatValue(double v) {
    if (!std::isfinite(v)) return QStringLiteral("–");
    const double a = std::abs(v);
    if (a >= 1e6 || (a < 1e-3 && a > 0)) return QString::number(v, 'g', 3);
    if (a >= 1000) return QString::number(v, 'f', 0);
    return QString::number(v, 'g', 3);
}

} // namespace ebm::ui
