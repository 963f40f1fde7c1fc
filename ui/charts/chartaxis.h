#pragma once
/// @file chartaxis.h
/// The numbers behind a chart axis: round tick steps (1, 2 or 5 × 10^k), a range on multiples of the
/// step, printf formats whose labels never repeat, and the short value strings of the chart titles.
/// Qt-free arithmetic, so it is tested on its own (tst_charts).
#include <QString>

namespace ebm::ui {

/// The smallest step of the form 1, 2 or 5 × 10^k that splits `span` into at most `maxIntervals` pieces.
/// span ≤ 0 or non-finite: 1. maxIntervals below 1 counts as 1.
double niceTickStep(double span, int maxIntervals);

/// Decimals that print every multiple of a 1-2-5 step differently and without noise ("%.<n>f"): 0 for
/// steps ≥ 1, 1 for 0.1–0.5, 2 for 0.01–0.05, … (at most 9).
int tickDecimals(double step);

/// A printf format for tick labels at this step ("%.2f"), with an optional suffix ("%.0fk").
QString tickFormat(double step, const QString& suffix = QString());

struct AxisScale {
    double lo = 0, hi = 1; ///< the axis range: multiples of step that cover the data
    double step = 1;       ///< distance between ticks (a 1-2-5 step)
    int decimals = 0;      ///< tickDecimals(step)
};

/// The axis for data in [lo, hi]: a nice step giving at most maxIntervals intervals and the range widened
/// outwards to multiples of it (maxIntervals below 2 counts as 2). A flat range (lo == hi) is widened
/// around the value first.
AxisScale niceScale(double lo, double hi, int maxIntervals);

/// A chart title's number: three significant digits, no exponent between 0.001 and 10^6 ("0.084",
/// "66.3", "1250").
QString formatValue(double v);

} // namespace ebm::ui
