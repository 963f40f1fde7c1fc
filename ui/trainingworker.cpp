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
    m_cancel.store(true);
    {
        std::lock_guard lock(m_mutex);
        m_wake.notify_all();
    }
    if (m_thread) {
        // Wait for run() to say it is done under our mutex before joining: the join itself happens inside
        // Qt, which ThreadSanitizer cannot see, so this gives it (and us) an explicit happens-before edge.
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_finished; });
        }
        m_thread->wait();
        delete m_thread;
    }
}

void TrainingWorker::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("ebm-training"));
    m_thread->start();
}

bool TrainingWorker::isRunning() const {
    return m_thread && m_thread->isRunning();
}

void TrainingWorker::post(Command c) {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(c));
    m_wake.notify_all();
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
    std::lock_guard lock(m_mutex);
    m_notified = false;
    return m_latest;
}

SnapshotPtr TrainingWorker::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void TrainingWorker::publish(SnapshotPtr s) {
    bool notify = false;
    {
        std::lock_guard lock(m_mutex);
        m_latest = std::move(s);
        notify = !m_notified;
        m_notified = true;
    }
    // Emitted on the worker thread: receivers on the GUI thread (auto connection) get a queued call.
    if (notify) emit snapshotReady();
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
    struct Finished { // whatever way run() ends, the destructor hears of it
        TrainingWorker* w;
        ~Finished() {
            std::lock_guard lock(w->m_mutex);
            w->m_finished = true;
            w->m_wake.notify_all();
        }
    } finished{this};
    std::unique_ptr<TrainingSession> session;
    try {
        session = std::make_unique<TrainingSession>(m_initial);
    } catch (const std::exception& e) {
        reportFailure(QString::fromStdString(e.what()));
        return;
    }
    while (!m_cancel.load()) {
        const auto chunkStart = std::chrono::steady_clock::now();
        std::deque<Command> commands;
        bool guiIdle = false; // the GUI has taken the last snapshot
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_cancel.load() || !m_queue.empty() || session->wantsToRun(); });
            commands.swap(m_queue);
            guiIdle = !m_notified;
        }
        if (m_cancel.load()) break;
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
            session->advance();
            // Build a snapshot only when the GUI has taken the previous one: training never waits for
            // the GUI, and a slow GUI costs no snapshots it would drop anyway.
            if (guiIdle) publish(session->snapshot());
        } catch (const std::exception& e) {
            // A step that keeps failing would otherwise spin at full speed and flood the GUI with
            // messages: report once per chunk and pace like an idle chunk until a command arrives.
            reportFailure(QString::fromStdString(e.what()));
            failed = true;
        }
        if (failed || !session->busy()) {
            // Only the particles move (or nothing): pace to ~60 Hz, waking early for commands.
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, chunkStart + kMinChunk,
                              [&] { return m_cancel.load() || !m_queue.empty(); });
        }
    }
}

} // namespace ebm::ui
