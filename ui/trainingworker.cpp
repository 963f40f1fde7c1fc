#include "trainingworker.h"

#include "trainingsession.h"
#include <QThread>
#include <chrono>
#include <exception>

namespace ebm::ui {

namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
constexpr auto kMinChunk = std::chrono::milliseconds(16); // ~60 Hz when only the particles move
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

void TrainingWorker::execute(TrainingSession& session, const Command& c) {
    std::visit(Overloaded{[&](const WorkerSettings& s) { session.apply(s); },
                          [&](const View& v) { session.setView(v.box); },
                          [&](const Reset&) { session.reset(); },
                          [&](const Step& s) { session.requestSteps(s.n); },
                          [&](const ResetParticles&) { session.resetParticles(); },
                          [&](const Spawn& s) { session.spawn(s.x, s.y, s.n); },
                          [&](const Capture& c) {
                              io::SessionFile f;
                              session.save(f);
                              // Delivered on the GUI thread, where this object lives.
                              QMetaObject::invokeMethod(
                                  this, [done = c.done, f = std::move(f)]() mutable { done(std::move(f)); },
                                  Qt::QueuedConnection);
                          },
                          [&](const Restore& r) {
                              session.nextEpoch(); // counted even if it fails, as the GUI counts it
                              session.restore(*r.session, r.target);
                          }},
               c);
}

void TrainingWorker::run() {
    std::unique_ptr<TrainingSession> session;
    try {
        session = std::make_unique<TrainingSession>(m_initial);
    } catch (const std::exception& e) {
        reportFailure(QString::fromStdString(e.what()));
        return;
    }
    while (!m_loop.cancelled()) {
        const auto chunkStart = std::chrono::steady_clock::now();
        bool guiIdle = false; // the GUI has taken the last snapshot
        const std::deque<Command> commands = m_loop.next([&] { return session->wantsToRun(); }, guiIdle);
        if (m_loop.cancelled()) break;
        // Each command on its own: one that fails is reported and the rest still apply.
        for (const Command& c : commands) {
            try {
                execute(*session, c);
            } catch (const std::exception& e) {
                reportFailure(QString::fromStdString(e.what()));
            }
        }
        bool failed = false;
        try {
            // Build a snapshot (and move the live particles) only when the GUI has taken the previous
            // one: training never waits for the GUI, and a slow GUI costs no snapshots it would drop.
            session->advance(guiIdle);
            if (guiIdle) publish(session->snapshot());
        } catch (const std::exception& e) {
            // A step that keeps failing would otherwise spin at full speed and flood the GUI with
            // messages: report once per chunk and pace like an idle chunk until a command arrives.
            reportFailure(QString::fromStdString(e.what()));
            failed = true;
        }
        if (failed || !session->busy()) {
            // Training at a set speed, only the particles moving, or nothing: pace to ~60 Hz, waking
            // early for commands.
            m_loop.idleUntil(chunkStart + kMinChunk);
        }
    }
}

} // namespace ebm::ui
