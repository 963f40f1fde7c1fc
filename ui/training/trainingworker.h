#pragma once
/// @file trainingworker.h
/// Runs a TrainingEngine on two threads. The training thread applies the GUI's commands between chunks,
/// trains and hands over a capture (parameters, batches, figures) whenever the display thread took the
/// last one. The display thread runs at the display rate: it moves the live particles with the newest
/// parameters, re-evaluates the fields when the model or the view changed (coarse first) and publishes
/// a snapshot whenever the GUI took the last one, so the GUI never waits for training and training
/// never waits for the GUI. Cancellation is an atomic flag; the destructor stops and joins both.
#include "snapshotfields.h"
#include "trainingsnapshot.h"
#include "workerloop.h"
#include "workersettings.h"
#include <QObject>
#include <QString>
#include <chrono>
#include <condition_variable>
#include <ebm/io/session.h>
#include <functional>
#include <memory>
#include <mutex>
#include <variant>

namespace ebm::ui {

class TrainingEngine;

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    /// The display thread's period while particles move or the model trains (~36 frames per second).
    static constexpr std::chrono::milliseconds kFrame{28};

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
    /// Internal: the worker queued a result for the GUI thread (m_loop.deliver); runs it there.
    void deliveryQueued();
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
    void execute(TrainingEngine& engine, Command& c);
    void displayLoop(TrainingEngine& engine);
    /// On the display thread: waits until the GUI took the last frame and there is something to show;
    /// false when stopping. frameDue: the next frame's time has come (particles moving, or refining).
    bool waitForDisplayWork(const std::function<bool()>& frameDue,
                            std::chrono::steady_clock::time_point next);
    void publish(SnapshotPtr s);
    void reportFailure(const QString& message);

    WorkerSettings m_initial;
    WorkerLoop<Command, TrainerCapture> m_loop; ///< the training thread; its slot holds captures
    // The display thread's side: the GUI's slot and the wake-ups.
    mutable std::mutex m_displayMutex; // guards everything below
    std::condition_variable m_displayWake;
    SnapshotPtr m_frame;
    bool m_frameNotified = false; ///< a snapshotReady is outstanding (the frame not yet taken)
    bool m_captureReady = false;  ///< the training thread published a capture since the last look
    bool m_displayStop = false;
};

} // namespace ebm::ui
