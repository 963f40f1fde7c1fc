#pragma once
/// @file workerloop.h
/// What the 2D and the image training workers share: a thread, a queue of commands the GUI posts, the
/// newest-snapshot slot (the GUI takes the newest; one notification is outstanding at most), the
/// shutdown handshake, and the loop itself with its one publish/pacing rule (run()). The owner starts
/// a body that builds its engine and calls run(), and calls stop() in its destructor, before its own
/// members go.
#include "threadend.h"

#include <QString>
#include <QThread>
#include <atomic>
#include <chrono>
#include <concepts>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>

namespace ebm::ui {

/// What a worker's loop drives (TrainingEngine, ImageSession): wantsToRun() (there is something to do:
/// training, pending steps, moving particles, a change to show), busy() (running flat out: no pacing),
/// advance(publishing) (one chunk of work; publishing: a snapshot follows), snapshot().
template <class E, class SnapshotPtr>
concept WorkerEngine = requires(E& e, const E& ce, bool publishing) {
    { ce.wantsToRun() } -> std::convertible_to<bool>;
    { ce.busy() } -> std::convertible_to<bool>;
    e.advance(publishing);
    { e.snapshot() } -> std::convertible_to<SnapshotPtr>;
};

template <class Command, class Snapshot> class WorkerLoop {
public:
    using SnapshotPtr = std::shared_ptr<const Snapshot>;
    /// The pace of a chunk that is not busy (a set training speed, only particles moving) or failed.
    static constexpr std::chrono::milliseconds kIdleChunk{16}; // ~60 Hz

    /// On the worker: the loop, until stop(). Each pass waits for commands or engine.wantsToRun(),
    /// applies the commands with execute(engine, command) (each on its own: one that throws is reported
    /// and the rest still apply), advances the engine and publishes a snapshot only when the GUI took
    /// the previous one or commands were applied (training never waits for the GUI, and a slow GUI costs
    /// no snapshots it would drop). A chunk that is not busy is paced to ~60 Hz, waking early for a
    /// command. A step that throws is reported once (again only after a command or a step that
    /// succeeds) and paced like an idle chunk, so a step that keeps failing neither spins nor floods the
    /// GUI. publish(snapshot) and report(message) are called on the worker thread.
    template <class Engine, class Execute, class Publish, class Report>
    requires WorkerEngine<Engine, SnapshotPtr>
    void run(Engine& engine, Execute&& execute, Publish&& publish, Report&& report) {
        bool failing = false; // the last step threw and was reported
        while (!cancelled()) {
            const auto chunkStart = std::chrono::steady_clock::now();
            bool guiIdle = false; // the GUI has taken the last snapshot
            // Commands are the worker's own once taken: execute may move out of them (a capture's callback
            // then never gets copied, or its captures' reference counts touched, on this thread).
            std::deque<Command> commands = next([&] { return engine.wantsToRun(); }, guiIdle);
            if (cancelled()) break;
            for (Command& c : commands) {
                try {
                    execute(engine, c);
                } catch (const std::exception& e) {
                    report(e);
                }
            }
            if (!commands.empty()) failing = false;
            bool failed = false;
            try {
                const bool publishing = guiIdle || !commands.empty();
                engine.advance(publishing);
                if (publishing) publish(engine.snapshot());
                failing = false;
            } catch (const std::exception& e) {
                if (!failing) report(e);
                failing = failed = true;
            }
            if (failed || !engine.busy()) idleUntil(chunkStart + kIdleChunk);
        }
    }

    ~WorkerLoop() { stop(); }

    /// Runs body on a new thread (once).
    void start(const QString& name, std::function<void()> body) {
        if (m_thread) return;
        m_thread = QThread::create([this, body = std::move(body)] {
            struct Finished { // whatever way body ends, stop() hears of it
                ThreadEnd& end;
                ~Finished() { end.finish(); }
            } finished{m_ended};
            body();
        });
        m_thread->setObjectName(name);
        m_thread->start();
    }

    /// Cancels and joins (again: nothing).
    void stop() {
        m_cancel.store(true);
        {
            std::lock_guard lock(m_mutex);
            m_wake.notify_all();
        }
        if (!m_thread) return;
        // Hear the body finish before joining: the join itself happens inside Qt, which ThreadSanitizer
        // cannot see, so this gives it (and us) an explicit happens-before edge.
        m_ended.wait();
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }

    bool running() const { return m_thread && m_thread->isRunning(); }
    bool cancelled() const { return m_cancel.load(); }

    void post(Command c) {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(c));
        m_wake.notify_all();
    }

    /// On the worker: waits until there is a command, busy() holds or stop() was called; returns the
    /// commands queued so far and sets guiIdle when the GUI has taken the last snapshot.
    std::deque<Command> next(const std::function<bool()>& busy, bool& guiIdle) {
        std::deque<Command> commands;
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_cancel.load() || !m_queue.empty() || busy(); });
        commands.swap(m_queue);
        guiIdle = !m_notified;
        return commands;
    }

    /// On the worker: waits until the deadline, waking early for a command or stop().
    void idleUntil(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(m_mutex);
        m_wake.wait_until(lock, deadline, [&] { return m_cancel.load() || !m_queue.empty(); });
    }

    /// On the worker: makes s the newest snapshot; true when the GUI is to be notified (none outstanding).
    bool publish(SnapshotPtr s) {
        std::lock_guard lock(m_mutex);
        m_latest = std::move(s);
        const bool notify = !m_notified;
        m_notified = true;
        return notify;
    }
    /// On the GUI: the newest snapshot; re-arms the notification.
    SnapshotPtr take() {
        std::lock_guard lock(m_mutex);
        m_notified = false;
        return m_latest;
    }
    SnapshotPtr latest() const {
        std::lock_guard lock(m_mutex);
        return m_latest;
    }

    /// On the worker: queues f to run on the GUI thread, in order, at the owner's next runDeliveries()
    /// (the owner then emits a signal queued to the GUI). Results pass through this mutex rather than as a
    /// functor posted to Qt's event queue, whose futexes ThreadSanitizer cannot see.
    void deliver(std::function<void()> f) {
        std::lock_guard lock(m_mutex);
        m_deliveries.push_back(std::move(f));
    }
    /// On the GUI: runs the deliveries queued so far.
    void runDeliveries() {
        std::deque<std::function<void()>> due;
        {
            std::lock_guard lock(m_mutex);
            due.swap(m_deliveries);
        }
        for (auto& f : due)
            f();
    }

private:
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake;
    std::deque<Command> m_queue;
    SnapshotPtr m_latest;
    std::deque<std::function<void()>> m_deliveries; // results for the GUI thread
    bool m_notified = false; // a notification is outstanding (the snapshot not yet taken)
    ThreadEnd m_ended;       // the body has returned
};

} // namespace ebm::ui
