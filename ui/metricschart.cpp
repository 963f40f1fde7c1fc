#include "metricschart.h"

#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <stdexcept>

#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <deque>

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
    bool logY = false;
};
} // namespace

struct MetricsChart::Impl {
    std::vector<ChartBox> charts;
    QTimer* timer = nullptr;
    std::int64_t lastStep = -1;
    std::vector<io::HistoryPoint> history;
    void add(const io::HistoryPoint& p);
};

void MetricsChart::Impl::add(const io::HistoryPoint& p) {
    lastStep = p.step;
    if (history.size() >= io::kMaxHistory)
        history.erase(history.begin(), history.begin() + history.size() / 10);
    history.push_back(p);
    const double x = double(p.step);
    const auto put = [&](int chart, int series, double y) {
        if (!std::isfinite(y)) return;
        auto& pts = charts[chart].series[series].points;
        pts.emplace_back(x, y);
        while (int(pts.size()) > kMaxPoints)
            pts.pop_front();
        charts[chart].dirty = true;
    };
    put(Loss, 0, p.loss);
    put(Kl, 0, p.kl);
    put(LogZ, 0, p.logZ);
    put(LogZ, 1, p.logZEstimate);
    put(Acceptance, 0, p.acceptRate);
    put(Acceptance, 1, p.liveAcceptRate);
    put(Throughput, 0, p.stepsPerSecond);
}

MetricsChart::MetricsChart(QWidget* parent) : QWidget(parent), d(new Impl) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    struct Spec {
        QString title;
        QStringList names;
        QList<QColor> colors;
    };
    const Spec specs[ChartCount] = {
        {tr("Training loss"), {tr("loss")}, {QColor(120, 190, 255)}},
        {tr("KL(target ‖ model) [nats]"), {tr("KL")}, {QColor(255, 180, 80)}},
        {tr("log Z"),
         {tr("exact (quadrature)"), tr("NCE estimate c")},
         {QColor(140, 230, 140), QColor(240, 110, 190)}},
        {tr("Acceptance rate"),
         {tr("CD sampler"), tr("live particles")},
         {QColor(200, 160, 255), QColor(240, 240, 240)}},
        {tr("Throughput [steps/s]"), {tr("steps/s")}, {QColor(255, 230, 120)}},
    };
    for (int c = 0; c < ChartCount; ++c) {
        ChartBox box;
        box.chart = new QChart;
        box.chart->setTheme(QChart::ChartThemeDark);
        box.chart->setBackgroundBrush(QColor(30, 31, 36));
        box.chart->setTitle(specs[c].title);
        box.chart->setMargins(QMargins(2, 2, 2, 2));
        box.chart->legend()->setVisible(specs[c].names.size() > 1);
        box.chart->legend()->setAlignment(Qt::AlignBottom);
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
        for (int s = 0; s < specs[c].names.size(); ++s) {
            Series ser;
            ser.series = new QLineSeries;
            ser.series->setName(specs[c].names[s]);
            QPen pen(specs[c].colors[s]);
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
        grid->addWidget(view, 0, c);
        d->charts.push_back(box);
    }
    d->timer = new QTimer(this);
    d->timer->setInterval(250);
    connect(d->timer, &QTimer::timeout, this, &MetricsChart::flush);
    d->timer->start();
}

MetricsChart::~MetricsChart() {
    delete d;
}

void MetricsChart::clear() {
    for (ChartBox& b : d->charts) {
        for (Series& s : b.series)
            s.points.clear();
        b.dirty = true;
    }
    d->lastStep = -1;
    d->history.clear();
    flush();
}

void MetricsChart::addSnapshot(const TrainingSnapshot& s) {
    if (s.step < d->lastStep) clear(); // reset: start the charts again
    if (s.stepsInChunk == 0) return;   // nothing trained since the last point
    d->add(io::HistoryPoint{s.step, s.loss, s.kl, s.logZ, s.logZEstimate, s.acceptRate, s.liveAcceptRate,
                            s.stepsPerSecond});
}

const std::vector<io::HistoryPoint>& MetricsChart::history() const {
    return d->history;
}

void MetricsChart::setHistory(const std::vector<io::HistoryPoint>& h) {
    clear();
    for (const io::HistoryPoint& p : h)
        d->add(p);
    flush();
}

int MetricsChart::pointCount(Chart c) const {
    return int(d->charts[c].series[0].points.size());
}

void MetricsChart::saveSvg(const QString& path) {
    flush();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) throw std::runtime_error(file.errorString().toStdString());
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size());
        svg.setViewBox(rect());
        svg.setTitle(tr("EBM Lab training charts"));
        QPainter p(&svg);
        render(&p);
    }
    if (!file.commit()) throw std::runtime_error(file.errorString().toStdString());
}

void MetricsChart::flush() {
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
        b.y->setRange(y0 - pad, y1 + pad);
    }
}

} // namespace ebm::ui
