#include "metricschart.h"

namespace ebm::ui {

struct MetricsChart::Impl {
    std::int64_t lastStep = -1;
    std::vector<io::HistoryPoint> history;
};

namespace {
std::vector<ChartGrid::Spec> specs() {
    return {
        {MetricsChart::tr("Training loss"), {MetricsChart::tr("loss")}, {QColor(120, 190, 255)}},
        {MetricsChart::tr("KL(target ‖ model) [nats]"), {MetricsChart::tr("KL")}, {QColor(255, 180, 80)}},
        {MetricsChart::tr("log Z"),
         {MetricsChart::tr("exact (quadrature)"), MetricsChart::tr("NCE estimate c")},
         {QColor(140, 230, 140), QColor(240, 110, 190)}},
        {MetricsChart::tr("Acceptance rate"),
         {MetricsChart::tr("CD sampler"), MetricsChart::tr("live particles")},
         {QColor(200, 160, 255), QColor(240, 240, 240)}},
        {MetricsChart::tr("Throughput [steps/s]"), {MetricsChart::tr("steps/s")}, {QColor(255, 230, 120)}},
    };
}
} // namespace

MetricsChart::MetricsChart(QWidget* parent) : ChartGrid(specs(), parent), d(new Impl) {}

MetricsChart::~MetricsChart() {
    delete d;
}

void MetricsChart::add(const io::HistoryPoint& p) {
    d->lastStep = p.step;
    if (d->history.size() >= io::kMaxHistory)
        d->history.erase(d->history.begin(), d->history.begin() + d->history.size() / 10);
    d->history.push_back(p);
    const double x = double(p.step);
    addPoint(Loss, 0, x, p.loss);
    addPoint(Kl, 0, x, p.kl);
    addPoint(LogZ, 0, x, p.logZ);
    addPoint(LogZ, 1, x, p.logZEstimate);
    addPoint(Acceptance, 0, x, p.acceptRate);
    addPoint(Acceptance, 1, x, p.liveAcceptRate);
    addPoint(Throughput, 0, x, p.stepsPerSecond);
}

void MetricsChart::clear() {
    clearPoints();
    d->lastStep = -1;
    d->history.clear();
}

void MetricsChart::addSnapshot(const TrainingSnapshot& s) {
    if (s.step < d->lastStep) clear(); // reset: start the charts again
    if (s.stepsInChunk == 0) return;   // nothing trained since the last point
    add(io::HistoryPoint{s.step, s.loss, s.kl, s.logZ, s.logZEstimate, s.acceptRate, s.liveAcceptRate,
                         s.stepsPerSecond});
}

const std::vector<io::HistoryPoint>& MetricsChart::history() const {
    return d->history;
}

void MetricsChart::setHistory(const std::vector<io::HistoryPoint>& h) {
    clear();
    for (const io::HistoryPoint& p : h)
        add(p);
    flush();
}

void MetricsChart::saveSvg(const QString& path) {
    ChartGrid::saveSvg(path, tr("EBM Lab training charts"));
}

} // namespace ebm::ui
