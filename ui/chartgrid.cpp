#include "chartgrid.h"

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLineSeries>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

namespace ebm::ui {

namespace {
struct Series {
    QLineSeries* series = nullptr;
    std::deque<QPointF> points;
};
struct ChartBox {
    QChart* chart = nullptr;
    QValueAxis *x = nullptr, *y = nullptr;
    std::vector<Series> series;
    bool dirty = false;
};
} // namespace

struct ChartGrid::Impl {
    std::vector<ChartBox> charts;
    QTimer* timer = nullptr;
};

ChartGrid::ChartGrid(const std::vector<Spec>& specs, QWidget* parent) : QWidget(parent), d(new Impl) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    for (size_t c = 0; c < specs.size(); ++c) {
        const Spec& spec = specs[c];
        ChartBox box;
        box.chart = new QChart;
        box.chart->setTheme(QChart::ChartThemeDark);
        box.chart->setBackgroundBrush(QColor(30, 31, 36));
        box.chart->setTitle(spec.title);
        box.chart->setMargins(QMargins(2, 2, 2, 2));
        box.chart->legend()->setVisible(spec.names.size() > 1);
        box.chart->legend()->setAlignment(Qt::AlignRight);
        QFont small = box.chart->titleFont();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        box.chart->setTitleFont(small);
        box.x = new QValueAxis;
        box.y = new QValueAxis;
        box.x->setTitleText(tr("step"));
        box.x->setLabelFormat(QStringLiteral("%.0f"));
        box.y->setLabelFormat(QStringLiteral("%.3g"));
        box.x->setTickCount(4);
        box.y->setTickCount(4);
        QFont axisFont = box.x->labelsFont();
        axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);
        box.x->setLabelsFont(axisFont);
        box.y->setLabelsFont(axisFont);
        box.x->setTitleFont(axisFont);
        box.chart->addAxis(box.x, Qt::AlignBottom);
        box.chart->addAxis(box.y, Qt::AlignLeft);
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
        auto* view = new QChartView(box.chart);
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(200, 150);
        grid->addWidget(view, 0, int(c));
        d->charts.push_back(box);
    }
    d->timer = new QTimer(this);
    d->timer->setInterval(250);
    connect(d->timer, &QTimer::timeout, this, &ChartGrid::flush);
    d->timer->start();
}

ChartGrid::~ChartGrid() {
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
    flush();
}

int ChartGrid::pointCount(int chart, int series) const {
    return int(d->charts[size_t(chart)].series[size_t(series)].points.size());
}

double ChartGrid::lastValue(int chart, int series) const {
    const auto& pts = d->charts[size_t(chart)].series[size_t(series)].points;
    return pts.empty() ? std::numeric_limits<double>::quiet_NaN() : pts.back().y();
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

void ChartGrid::flush() {
    for (ChartBox& b : d->charts) {
        if (!b.dirty) continue;
        b.dirty = false;
        double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
        for (Series& s : b.series) {
            s.series->replace(QList<QPointF>(s.points.begin(), s.points.end()));
            for (const QPointF& p : s.points) {
                x0 = std::min(x0, p.x());
                x1 = std::max(x1, p.x());
                y0 = std::min(y0, p.y());
                y1 = std::max(y1, p.y());
            }
        }
        if (x0 > x1) continue;
        if (x1 - x0 < 1) x1 = x0 + 1;
        const double pad = std::max((y1 - y0) * 0.08, 1e-6 + std::abs(y1) * 1e-3);
        b.x->setRange(x0, x1);
        // A quantity that is never negative (a rate, a KL) keeps its axis at or above zero.
        b.y->setRange(y0 >= 0 ? std::max(0.0, y0 - pad) : y0 - pad, y1 + pad);
    }
}

} // namespace ebm::ui
