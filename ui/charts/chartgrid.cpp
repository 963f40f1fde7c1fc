#include "chartgrid.h"

#include "chartaxis.h"

#include <QChart>
#include <QChartView>
#include <QContextMenuEvent>
#include <QFontMetrics>
#include <QGridLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenu>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ebm::ui {

namespace {
struct Series {
    QLineSeries* series = nullptr;
    std::deque<QPointF> points;
};

// Draws the change markers over the plot and offers the log axis in its context menu.
class ChartView : public QChartView {
public:
    using QChartView::QChartView;
    std::function<void(QPainter*)> drawMarkers;
    std::function<void(bool)> setLog; ///< null when the chart has no log axis
    std::function<bool()> isLog;

protected:
    void drawForeground(QPainter* p, const QRectF& rect) override {
        QChartView::drawForeground(p, rect);
        if (drawMarkers) drawMarkers(p);
    }
    void contextMenuEvent(QContextMenuEvent* e) override {
        if (!setLog) return QChartView::contextMenuEvent(e);
        QMenu menu(this);
        QAction* a = menu.addAction(ChartGrid::tr("Logarithmic y axis"));
        a->setCheckable(true);
        a->setChecked(isLog());
        a->setToolTip(ChartGrid::tr("Spread values over decades, so a spike does not flatten the rest"));
        if (menu.exec(e->globalPos()) == a) setLog(a->isChecked());
    }
};

struct ChartBox {
    ChartGrid::Spec spec;
    QChart* chart = nullptr;
    ChartView* view = nullptr;
    QValueAxis *x = nullptr, *y = nullptr;
    QLogValueAxis* ylog = nullptr; ///< only for specs with logToggle
    bool log = false;
    double xScale = 1; ///< shown x = step / xScale (1000 past 10k steps: "116k")
    std::vector<Series> series;
    bool dirty = false;
    QString title;
};
} // namespace

struct ChartGrid::Impl {
    std::vector<ChartBox> charts;
    std::vector<Marker> markers;
    bool hasContext = false;
    QString method, context;
    QTimer* timer = nullptr;
    size_t next = 0; ///< the chart the timer refreshes next (round robin)
};

namespace {
// Ticks at the multiples of step inside [lo, hi], nudged up by a millionth of a step: Qt Charts places
// them by repeated addition from the anchor and stops at the first past the maximum, so exact multiples
// would print "-0.0" for a zero reached from below, or lose the top tick to rounding.
// Qt Charts lays the axis out (one label item per tick) on every change of the range or of the interval,
// so the new range under the old interval can ask for billions of ticks for a moment: a loss that jumped
// from 0.01 to 1e6 kept the GUI thread in QValueAxis::setRange for minutes. Under an interval as wide
// as both ranges first, every intermediate layout has two ticks at most.
void setTicks(QValueAxis* a, double lo, double hi, double step, const QString& suffix = QString()) {
    const double eps = step * 1e-6;
    if ((hi - lo) / a->tickInterval() > 64 || !(a->tickInterval() > 0))
        a->setTickInterval(std::max({hi - lo, a->max() - a->min(), step}));
    a->setRange(lo, hi + 2 * eps);
    a->setTickAnchor(eps);
    a->setTickInterval(step);
    a->setLabelFormat(tickFormat(step, suffix));
}

void paintMarkers(QPainter* p, const ChartBox& b, const std::vector<ChartGrid::Marker>& markers) {
    if (markers.empty()) return;
    const QRectF pa = b.chart->plotArea();
    const double x0 = b.x->min(), x1 = b.x->max();
    if (pa.width() < 10 || !(x1 > x0)) return;
    p->save();
    QFont f = b.x->labelsFont();
    p->setFont(f);
    const QFontMetrics fm(f);
    std::vector<double> xs;
    for (const ChartGrid::Marker& m : markers) {
        const double x = m.x / b.xScale;
        xs.push_back(x >= x0 && x <= x1 ? pa.left() + (x - x0) / (x1 - x0) * pa.width() : -1);
    }
    // The dashed lines first, then the labels as flags on top: each label touches its own line with a
    // solid edge, and lies to the right of it unless the plot ends first.
    p->setPen(QPen(QColor(235, 235, 240, 190), 1, Qt::DashLine));
    for (double px : xs)
        if (px >= 0) p->drawLine(QPointF(px, pa.top()), QPointF(px, pa.bottom()));
    std::vector<std::vector<std::pair<double, double>>> rows; // per row: the [left, right] spans used
    for (size_t i = 0; i < markers.size(); ++i) {
        const double px = xs[i];
        if (px < 0) continue;
        const double w = fm.horizontalAdvance(markers[i].label) + 8;
        const bool right = px + w <= pa.right();
        const double left = right ? px : px - w;
        size_t row = 0;
        for (; row < rows.size(); ++row) {
            bool free = true;
            for (const auto& span : rows[row])
                free = free && (left + w <= span.first || left >= span.second);
            if (free) break;
        }
        if (row == rows.size()) rows.emplace_back();
        rows[row].emplace_back(left, left + w);
        const QRectF box(left, pa.top() + 1 + double(row) * (fm.height() + 1), w, fm.height());
        p->fillRect(box, QColor(20, 21, 26, 150)); // translucent: the curves stay visible under it
        p->fillRect(QRectF(right ? px : px - 2, box.top(), 2, box.height()), QColor(235, 235, 240));
        p->setPen(QColor(240, 240, 245));
        p->drawText(box.adjusted(right ? 3 : 0, 0, right ? 0 : -3, 0), Qt::AlignCenter, markers[i].label);
    }
    p->restore();
}
} // namespace

ChartGrid::ChartGrid(const std::vector<Spec>& specs, QWidget* parent) : QWidget(parent), d(new Impl) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (size_t c = 0; c < specs.size(); ++c) {
        const Spec& spec = specs[c];
        ChartBox box;
        box.spec = spec;
        box.title = spec.title;
        box.chart = new QChart;
        box.chart->setTheme(QChart::ChartThemeDark);
        box.chart->setBackgroundBrush(QColor(30, 31, 36));
        box.chart->setTitle(spec.title);
        box.chart->setMargins(QMargins(2, 2, 6, 2));
        QFont small = box.chart->titleFont();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        box.chart->setTitleFont(small);
        // Several series: a legend under the plot, where the short names have the chart's whole width.
        QLegend* legend = box.chart->legend();
        legend->setVisible(spec.names.size() > 1);
        legend->setAlignment(Qt::AlignBottom);
        legend->setMarkerShape(QLegend::MarkerShapeFromSeries);
        QFont legendFont = legend->font();
        legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
        legend->setFont(legendFont);
        box.x = new QValueAxis;
        box.y = new QValueAxis;
        box.x->setTitleText(tr("step"));
        box.x->setTitleVisible(false); // the labels say "step" below; saves a line of height
        for (QValueAxis* a : {box.x, box.y}) {
            a->setTickType(QValueAxis::TicksDynamic);
            a->setTickAnchor(0);
            a->setTickInterval(1);
            a->setLabelFormat(QStringLiteral("%.0f"));
        }
        QFont axisFont = box.x->labelsFont();
        axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);
        box.x->setLabelsFont(axisFont);
        box.y->setLabelsFont(axisFont);
        box.chart->addAxis(box.x, Qt::AlignBottom);
        box.chart->addAxis(box.y, Qt::AlignLeft);
        if (spec.logToggle) {
            box.ylog = new QLogValueAxis;
            box.ylog->setBase(10);
            box.ylog->setLabelFormat(QStringLiteral("%g"));
            box.ylog->setMinorTickCount(8);
            box.ylog->setMinorGridLinePen(QPen(QColor(58, 60, 68), 1)); // faint: the decades stand out
            box.ylog->setLabelsFont(axisFont);
            box.ylog->setVisible(false);
            box.chart->addAxis(box.ylog, Qt::AlignLeft);
        }
        for (int s = 0; s < spec.names.size(); ++s) {
            Series ser;
            ser.series = new QLineSeries;
            ser.series->setName(spec.names[s]);
            QPen pen(spec.colors.value(s, QColor(220, 220, 220)));
            pen.setWidthF(1.5);
            ser.series->setPen(pen);
            box.chart->addSeries(ser.series);
            ser.series->attachAxis(box.x);
            ser.series->attachAxis(box.y);
            box.series.push_back(ser);
        }
        box.view = new ChartView(box.chart);
        box.view->setRenderHint(QPainter::Antialiasing);
        box.view->setMinimumSize(200, 150);
        const int index = int(c);
        box.view->drawMarkers = [this, index](QPainter* p) {
            paintMarkers(p, d->charts[size_t(index)], d->markers);
        };
        if (spec.logToggle) {
            box.view->setLog = [this, index](bool on) { setLogScale(index, on); };
            box.view->isLog = [this, index] { return logScale(index); };
            box.view->setToolTip(tr("Right-click: logarithmic y axis"));
        }
        grid->addWidget(box.view, 0, int(c));
        d->charts.push_back(box);
    }
    // One chart per tick, each at most twice a second: a chart's refresh (points, axes, title, layout and
    // repaint) costs the GUI thread ~20 ms on a software renderer, and all of them at once held back
    // the landscape's frames by ~100 ms four times a second.
    d->timer = new QTimer(this);
    d->timer->setInterval(std::max(20, 500 / std::max(1, int(d->charts.size()))));
    connect(d->timer, &QTimer::timeout, this, &ChartGrid::refreshNext);
    d->timer->start();
}

ChartGrid::~ChartGrid() {
    for (ChartBox& b : d->charts) // the views outlive d by a moment (QWidget deletes its children later)
        b.view->drawMarkers = nullptr;
    delete d;
}

void ChartGrid::addPoint(int chart, int series, double x, double y) {
    if (!std::isfinite(y)) return;
    auto& pts = d->charts[size_t(chart)].series[size_t(series)].points;
    pts.emplace_back(x, y);
    while (int(pts.size()) > kMaxPoints)
        pts.pop_front();
    d->charts[size_t(chart)].dirty = true;
}

void ChartGrid::clearPoints() {
    for (ChartBox& b : d->charts) {
        for (Series& s : b.series)
            s.points.clear();
        b.dirty = true;
    }
    d->markers.clear();
    d->hasContext = false;
    flush();
}

int ChartGrid::pointCount(int chart, int series) const {
    return int(d->charts[size_t(chart)].series[size_t(series)].points.size());
}

double ChartGrid::lastValue(int chart, int series) const {
    const auto& pts = d->charts[size_t(chart)].series[size_t(series)].points;
    return pts.empty() ? std::numeric_limits<double>::quiet_NaN() : pts.back().y();
}

QString ChartGrid::title(int chart) const {
    return d->charts[size_t(chart)].title;
}

void ChartGrid::markChanges(double x, const QString& method, const QString& context) {
    if (!d->hasContext) {
        d->hasContext = true;
        d->method = method;
        d->context = context;
        return;
    }
    QStringList what;
    if (method != d->method) what << method;
    if (context != d->context) what << context;
    d->method = method;
    d->context = context;
    if (!what.isEmpty()) addMarker(x, what.join(QStringLiteral(" · ")));
}

void ChartGrid::addMarker(double x, const QString& label) {
    d->markers.push_back(Marker{x, label});
    if (int(d->markers.size()) > kMaxMarkers) d->markers.erase(d->markers.begin());
    for (ChartBox& b : d->charts)
        b.dirty = true;
}

const std::vector<ChartGrid::Marker>& ChartGrid::markers() const {
    return d->markers;
}

void ChartGrid::setLogScale(int chart, bool on) {
    ChartBox& b = d->charts[size_t(chart)];
    if (!b.ylog || b.log == on) return;
    b.log = on;
    refresh(chart); // a log axis takes only the positive points: leave out the others before attaching
    QAbstractAxis* from = on ? static_cast<QAbstractAxis*>(b.y) : b.ylog;
    QAbstractAxis* to = on ? static_cast<QAbstractAxis*>(b.ylog) : b.y;
    for (Series& s : b.series) {
        s.series->detachAxis(from);
        s.series->attachAxis(to);
    }
    from->setVisible(false);
    to->setVisible(true);
    refresh(chart);
}

bool ChartGrid::logScale(int chart) const {
    return d->charts[size_t(chart)].log;
}

void ChartGrid::saveSvg(const QString& path, const QString& title) {
    flush();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) throw std::runtime_error(file.errorString().toStdString());
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size());
        svg.setViewBox(rect());
        svg.setTitle(title);
        QPainter p(&svg);
        render(&p);
    }
    if (!file.commit()) throw std::runtime_error(file.errorString().toStdString());
}

void ChartGrid::refreshNext() {
    if (!isVisible()) return; // a hidden dock: refreshed when shown again
    const size_t n = d->charts.size();
    for (size_t k = 0; k < n; ++k) {
        const size_t c = (d->next + k) % n;
        if (!d->charts[c].dirty) continue;
        d->charts[c].dirty = false;
        refresh(int(c));
        d->next = (c + 1) % n;
        return;
    }
}

void ChartGrid::flush() {
    for (size_t c = 0; c < d->charts.size(); ++c)
        if (d->charts[c].dirty) {
            d->charts[c].dirty = false;
            refresh(int(c));
        }
}

void ChartGrid::refresh(int chart) {
    ChartBox& b = d->charts[size_t(chart)];
    double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
    for (const Series& s : b.series)
        for (const QPointF& p : s.points) {
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
        }
    // Past 10k steps the x labels count thousands ("116k"), so they stay short.
    b.xScale = std::max(std::abs(x0), std::abs(x1)) >= 1e4 && x0 <= x1 ? 1000 : 1;
    int hidden = 0;
    QStringList values;
    for (size_t si = 0; si < b.series.size(); ++si) {
        Series& s = b.series[si];
        QList<QPointF> shown;
        shown.reserve(qsizetype(s.points.size()));
        for (const QPointF& p : s.points) {
            if (b.log && !(p.y() > 0)) {
                ++hidden;
                continue;
            }
            shown.append(QPointF(p.x() / b.xScale, p.y()));
            y0 = std::min(y0, p.y());
            y1 = std::max(y1, p.y());
        }
        s.series->replace(shown);
        // The title gives the series that are current (not NCE's c, say, after a switch back to CD).
        if (s.points.empty() || s.points.back().x() < x1) continue;
        const QString v = formatValue(s.points.back().y());
        values << (b.series.size() > 1 ? b.spec.names.value(int(si)) + QLatin1Char(' ') + v : v);
    }
    // The title: the chart's name and the newest values.
    QString title = b.spec.title;
    if (!values.isEmpty()) {
        title += b.series.size() > 1 ? QStringLiteral(": ") + values.join(QStringLiteral(" · "))
                                     : QStringLiteral(" = ") + values.front();
        if (!b.spec.unit.isEmpty()) title += QLatin1Char(' ') + b.spec.unit;
    }
    if (hidden > 0) title += tr(" (≤ 0 not shown)");
    if (title != b.title) {
        b.title = title;
        b.chart->setTitle(title);
    }
    if (x0 > x1) { // no points (a reset, or a new run): axes from step 0, not the last run's range
        x0 = 0;
        x1 = 1;
    }

    // x: the data's range, ticks at a round step with room for each label.
    const QFontMetrics fm(b.x->labelsFont());
    const QString suffix = b.xScale > 1 ? QStringLiteral("k") : QString();
    double lo = x0 / b.xScale, hi = x1 / b.xScale;
    if (hi - lo < 1 / b.xScale) hi = lo + 1 / b.xScale;
    const QRectF plot = b.chart->plotArea();
    const double plotW = plot.width() > 40 ? plot.width() : b.view->width() - 60;
    const int labelW = fm.horizontalAdvance(QString::number(hi, 'f', b.xScale > 1 ? 1 : 0) + suffix) + 16;
    // Steps are whole numbers: no tick between two of them.
    const double xStep = std::max(niceTickStep(hi - lo, std::clamp(int(plotW / labelW), 1, 6)), 1 / b.xScale);
    // The axis ends at the next tick, so it is re-laid out only when the steps pass one, not at every
    // refresh (the layout is half of a chart's refresh).
    hi = std::ceil(hi / xStep - 1e-9) * xStep;
    setTicks(b.x, lo, hi, xStep, suffix);

    if (y0 > y1) { // nothing to show (no points, or none > 0 on a log axis)
        y0 = b.log ? 1 : 0;
        y1 = b.log ? 10 : 1;
    }
    const double plotH = plot.height() > 30 ? plot.height() : b.view->height() - 70;
    const int yIntervals = std::clamp(int(plotH / (fm.height() * 1.8)), 2, 5);
    if (b.log) {
        double l = std::pow(10.0, std::floor(std::log10(y0))), h = std::pow(10.0, std::ceil(std::log10(y1)));
        if (!(h > l)) h = l * 10;
        // A hair beyond the decades, so rounding in log10 never drops the end labels.
        b.ylog->setRange(l * 0.999, h * 1.001);
    } else {
        AxisScale s;
        switch (b.spec.range) {
        case YRange::Auto:
            s = niceScale(y0, y1, yIntervals);
            break;
        case YRange::FromZero:
            s = niceScale(std::min(0.0, y0), y1 > 0 ? y1 : 1, yIntervals);
            break;
        case YRange::Unit:
            s = niceScale(std::min(0.0, y0), std::max(1.0, y1), yIntervals);
            break;
        }
        setTicks(b.y, s.lo, s.hi, s.step);
    }
    b.view->viewport()->update();
}

} // namespace ebm::ui
