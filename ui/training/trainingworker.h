#pragma once
/// @file trainingworker.h
/// Runs a TrainingEngine on its own thread. The GUI sends commands (messages applied between chunks)
/// and picks up the newest snapshot when notified; it never waits for training. Cancellation is an
/// atomic flag; the destructor stops and joins the thread.
#include "trainingsnapshot.h"
#include "workerloop.h"
#include "workersettings.h"
#include <QObject>
#include <QString>
#include <ebm/io/session.h>
#include <functional>
#include <memory>
#include <variant>

namespace ebm::ui {

class TrainingEngine;

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    explicit TrainingWorker(const WorkerSettings& settings, QObject* parent = nullptr);
    ~TrainingWorker() override; ///< cancels and joins the thread

    /// Starts the thread (once). The first snapshot follows within one chunk.
    void start();
    bool isRunning() const;

    // Commands: thread-safe, queued, applied by the worker between chunks. None of them block.
    void applySettings(const WorkerSettings& s);
    void setView(const core::Box& view);
    void reset();         ///< re-initialise model, optimiser and particles from the seed
    void step(int n = 1); ///< n training steps (meant for when training is paused)
    void resetParticles();
    void spawnParticles(double x, double y, int n);
    /// Captures the session's state between chunks and calls done with it on the GUI thread (the GUI
    /// never waits). The view, display and history are the GUI's to add.
    void capture(std::function<void(io::SessionFile)> done);
    /// Replaces the whole scene by a saved session (checked by the caller with the same target; a failure
    /// here is reported through failed() and leaves the scene as it was).
    void restore(std::shared_ptr<const io::SessionFile> session,
                 std::shared_ptr<const core::TargetDensity> target);

    /// The newest snapshot (null before the first). Also re-arms the snapshotReady notification.
    SnapshotPtr takeLatest();
    /// The newest snapshot without re-arming the notification.
    SnapshotPtr latest() const;

signals:
    /// A snapshot newer than the last one taken is available (coalesced: at most one pending).
    /// Emitted on the worker thread: connect with the default (auto → queued) connection.
    void snapshotReady();
    /// A command or step threw; training continues with the previous state. Emitted on the worker thread.
    void failed(const QString& message);

private:
    struct Reset {};
    struct Step {
        int n;
    };
    struct ResetParticles {};
    struct Spawn {
        double x, y;
        int n;
    };
    struct View {
        core::Box box;
    };
    struct Capture {
        std::function<void(io::SessionFile)> done;
    };
    struct Restore {
        std::shared_ptr<const io::SessionFile> session;
        std::shared_ptr<const core::TargetDensity> target;
    };
    using Command = std::variant<WorkerSettings, View, Reset, Step, ResetParticles, Spawn, Capture, Restore>;

    void post(Command c) { m_loop.post(std::move(c)); }
    void run();
    void execute(TrainingEngine& engine, const Command& c);
    void publish(SnapshotPtr s);
    void reportFailure(const QString& message);

    WorkerSettings m_initial;
    WorkerLoop<Command, TrainingSnapshot> m_loop;
};

} // namespace ebm::ui
