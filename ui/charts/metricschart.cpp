#include "metricschart.h"

namespace ebm::ui {

struct MetricsChart::Impl {
    std::int64_t lastStep = -1;
    std::vector<io::HistoryPoint> history;
};

namespace {
std::vector<ChartGrid::Spec> specs() {
    using R = ChartGrid::YRange;
    return {
        {MetricsChart::tr("Training loss"),
         {MetricsChart::tr("loss")},
         {QColor(120, 190, 255)},
         R::Auto,
         {},
         true},
        {MetricsChart::tr("KL(target‖model)"),
         {MetricsChart::tr("KL")},
         {QColor(255, 180, 80)},
         R::FromZero,
         MetricsChart::tr("nats"),
         true},
        {MetricsChart::tr("log Z"),
         {MetricsChart::tr("exact"), MetricsChart::tr("NCE c")},
         {QColor(140, 230, 140), QColor(240, 110, 190)},
         R::Auto,
         {},
         false},
        {MetricsChart::tr("Acceptance"),
         {MetricsChart::tr("chains"), MetricsChart::tr("live")},
         {QColor(200, 160, 255), QColor(240, 240, 240)},
         R::Unit,
         {},
         false},
        {MetricsChart::tr("Throughput"),
         {MetricsChart::tr("steps/s")},
         {QColor(255, 230, 120)},
         R::FromZero,
         MetricsChart::tr("steps/s"),
         false},
    };
}
} // namespace

MetricsChart::MetricsChart(QWidget* parent) : ChartGrid(specs(), parent), d(new Impl) {}

MetricsChart::~MetricsChart() {
    delete d;
}

QString MetricsChart::methodMarker(const std::string& method) {
    return QString::fromStdString(core::objective(method).info().shortLabel);
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
    // A switch made while paused is marked too, at the step it takes effect.
    markChanges(double(s.step), methodMarker(s.method),
                tr("target: %1").arg(QString::fromStdString(s.targetName)));
    if (s.stepsInChunk == 0) return; // nothing trained since the last point
    add(io::HistoryPoint{s.step, s.loss, s.kl, s.logZ, s.logZEstimate, s.acceptRate, s.liveAcceptRate,
                         s.stepsPerSecond});
}

void MetricsChart::markSettings(const QString& label) {
    if (d->lastStep >= 0) addMarker(double(d->lastStep), label);
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
