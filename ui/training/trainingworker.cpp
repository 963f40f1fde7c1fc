#include "trainingworker.h"

#include "trainingengine.h"
#include <QThread>
#include <exception>

namespace ebm::ui {

namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
} // namespace

TrainingWorker::TrainingWorker(const WorkerSettings& settings, QObject* parent)
    : QObject(parent), m_initial(settings) {
    qRegisterMetaType<SnapshotPtr>();
}

TrainingWorker::~TrainingWorker() {
    m_loop.stop(); // joins the thread before the rest of this object goes
}

void TrainingWorker::start() {
    m_loop.start(QStringLiteral("ebm-training"), [this] { run(); });
}

bool TrainingWorker::isRunning() const {
    return m_loop.running();
}

void TrainingWorker::applySettings(const WorkerSettings& s) {
    post(s);
}
void TrainingWorker::setView(const core::Box& view) {
    post(View{view});
}
void TrainingWorker::reset() {
    post(Reset{});
}
void TrainingWorker::step(int n) {
    post(Step{n});
}
void TrainingWorker::resetParticles() {
    post(ResetParticles{});
}
void TrainingWorker::spawnParticles(double x, double y, int n) {
    post(Spawn{x, y, n});
}

void TrainingWorker::capture(std::function<void(io::SessionFile)> done) {
    post(Capture{std::move(done)});
}
void TrainingWorker::restore(std::shared_ptr<const io::SessionFile> session,
                             std::shared_ptr<const core::TargetDensity> target) {
    post(Restore{std::move(session), std::move(target)});
}

SnapshotPtr TrainingWorker::takeLatest() {
    return m_loop.take();
}

SnapshotPtr TrainingWorker::latest() const {
    return m_loop.latest();
}

void TrainingWorker::publish(SnapshotPtr s) {
    // Emitted on the worker thread: receivers on the GUI thread (auto connection) get a queued call.
    if (m_loop.publish(std::move(s))) emit snapshotReady();
}

void TrainingWorker::reportFailure(const QString& message) {
    emit failed(message);
}

void TrainingWorker::execute(TrainingEngine& engine, const Command& c) {
    std::visit(Overloaded{[&](const WorkerSettings& s) { engine.apply(s); },
                          [&](const View& v) { engine.setView(v.box); },
                          [&](const Reset&) { engine.reset(); },
                          [&](const Step& s) { engine.requestSteps(s.n); },
                          [&](const ResetParticles&) { engine.resetParticles(); },
                          [&](const Spawn& s) { engine.spawn(s.x, s.y, s.n); },
                          [&](const Capture& c) {
                              io::SessionFile f;
                              engine.save(f);
                              // Delivered on the GUI thread, where this object lives.
                              QMetaObject::invokeMethod(
                                  this, [done = c.done, f = std::move(f)]() mutable { done(std::move(f)); },
                                  Qt::QueuedConnection);
                          },
                          [&](const Restore& r) {
                              engine.nextEpoch(); // counted even if it fails, as the GUI counts it
                              engine.restore(*r.session, r.target);
                          }},
               c);
}

void TrainingWorker::run() {
    std::unique_ptr<TrainingEngine> engine;
    try {
        engine = std::make_unique<TrainingEngine>(m_initial);
    } catch (const std::exception& e) {
        reportFailure(QString::fromStdString(e.what()));
        return;
    }
    m_loop.run(
        *engine, [this](TrainingEngine& en, const Command& c) { execute(en, c); },
        [this](SnapshotPtr s) { publish(std::move(s)); },
        [this](const std::exception& e) { reportFailure(QString::fromStdString(e.what())); });
}

} // namespace ebm::ui
