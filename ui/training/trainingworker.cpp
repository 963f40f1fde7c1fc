#include "trainingworker.h"

#include "trainingengine.h"
#include <QThread>
#include <exception>
#include <limits>
#include <thread>

namespace ebm::ui {

namespace {
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;
} // namespace

TrainingWorker::TrainingWorker(const WorkerSettings& settings, QObject* parent)
    : QObject(parent), m_initial(settings) {
    connect(
        this, &TrainingWorker::deliveryQueued, this, [this] { m_loop.runDeliveries(); },
        Qt::QueuedConnection);
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
    std::lock_guard lock(m_displayMutex);
    m_frameNotified = false;
    m_displayWake.notify_all(); // the display thread may build the next frame
    return m_frame;
}

SnapshotPtr TrainingWorker::latest() const {
    std::lock_guard lock(m_displayMutex);
    return m_frame;
}

void TrainingWorker::publish(SnapshotPtr s) {
    bool notify = false;
    {
        std::lock_guard lock(m_displayMutex);
        m_frame = std::move(s);
        notify = !m_frameNotified;
        m_frameNotified = true;
    }
    // Emitted on the display thread: receivers on the GUI thread (auto connection) get a queued call.
    if (notify) emit snapshotReady();
}

bool TrainingWorker::waitForDisplayWork(const std::function<bool()>& frameDue,
                                        std::chrono::steady_clock::time_point next) {
    std::unique_lock lock(m_displayMutex);
    for (;;) {
        if (m_displayStop) return false;
        const bool guiFree = !m_frameNotified;
        const bool due = guiFree && frameDue();
        if (guiFree && m_captureReady) break;
        if (due && std::chrono::steady_clock::now() >= next) break;
        if (due)
            m_displayWake.wait_until(lock, next);
        else
            m_displayWake.wait(lock);
    }
    m_captureReady = false;
    return true;
}

void TrainingWorker::displayLoop(TrainingEngine& engine) {
    using clock = std::chrono::steady_clock;
    SnapshotFields fields;
    CapturePtr cap;
    std::int64_t serial = 0, shownCapture = -1;
    auto next = clock::now();
    bool failing = false;
    const auto frameDue = [&] { return cap && (cap->particlesMoving || fields.refining()); };
    while (waitForDisplayWork(frameDue, next)) {
        bool show = false; // a frame now, whatever the time: the scene changed, or nothing moves
        if (CapturePtr c = m_loop.take(); c && (!cap || c->serial != cap->serial)) {
            show = c->urgent || !c->particlesMoving || !cap;
            cap = std::move(c);
        }
        if (!cap) continue;
        const auto start = clock::now();
        const bool tick = frameDue() && start >= next;
        if (!tick && !show) continue; // a new capture is shown with the next tick
        try {
            core::Matf particles = engine.moveParticles(*cap, tick && cap->particlesMoving);
            fields.update(*cap, true, start);
            auto snap = std::make_shared<TrainingSnapshot>(cap->base);
            snap->serial = ++serial;
            if (cap->serial == shownCapture) {
                // The capture's figures went out with an earlier frame: the charts take them once.
                snap->stepsInChunk = 0;
                snap->loss = snap->acceptRate = std::numeric_limits<double>::quiet_NaN();
                snap->diverged = false;
                snap->message.clear();
            }
            shownCapture = cap->serial;
            fields.fill(*snap);
            snap->particles = std::move(particles);
            publish(std::move(snap));
            failing = false;
        } catch (const std::exception& e) {
            if (!failing) reportFailure(QString::fromStdString(e.what()));
            failing = true;
        }
        // A coarse grid is refined at once; otherwise the next frame comes a period after this one's start.
        if (tick) next = std::max(next + kFrame, start);
        if (fields.refining()) next = clock::now();
    }
}

void TrainingWorker::reportFailure(const QString& message) {
    emit failed(message);
}

void TrainingWorker::execute(TrainingEngine& engine, Command& c) {
    std::visit(Overloaded{[&](const WorkerSettings& s) { engine.apply(s); },
                          [&](const View& v) { engine.setView(v.box); },
                          [&](const Reset&) { engine.reset(); },
                          [&](const Step& s) { engine.requestSteps(s.n); },
                          [&](const ResetParticles&) { engine.resetParticles(); },
                          [&](const Spawn& s) { engine.spawn(s.x, s.y, s.n); },
                          [&](Capture& c) {
                              io::SessionFile f;
                              engine.save(f);
                              // Delivered on the GUI thread, where this object lives.
                              m_loop.deliver([done = std::move(c.done), f = std::move(f)]() mutable {
                                  done(std::move(f));
                              });
                              emit deliveryQueued();
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
    engine->setParticlesMovedElsewhere(true);
    std::thread display([this, &engine] { displayLoop(*engine); });
    // The training thread's view of the engine: a chunk hands over a capture, not a whole snapshot.
    struct Training {
        TrainingEngine& e;
        bool wantsToRun() const { return e.wantsToRun(); }
        bool busy() const { return e.busy(); }
        void advance(bool publishing) { e.advance(publishing); }
        CapturePtr snapshot() { return e.capture(); }
    } training{*engine};
    m_loop.run(
        training, [this](Training& t, Command& c) { execute(t.e, c); },
        [this](CapturePtr c) {
            if (!m_loop.publish(std::move(c))) return; // the display thread has not taken the last one
            std::lock_guard lock(m_displayMutex);
            m_captureReady = true;
            m_displayWake.notify_all();
        },
        [this](const std::exception& e) { reportFailure(QString::fromStdString(e.what())); });
    {
        std::lock_guard lock(m_displayMutex);
        m_displayStop = true;
        m_displayWake.notify_all();
    }
    display.join(); // before the engine goes
}

} // namespace ebm::ui
