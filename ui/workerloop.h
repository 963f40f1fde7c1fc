#pragma once
/// @file workerloop.h
/// What the 2D and the image training workers share: a thread, a queue of commands the GUI posts, the
/// newest-snapshot slot (the GUI takes the newest; one notification is outstanding at most) and the
/// shutdown handshake. The owner runs its loop in the body it starts and calls stop() in its destructor,
/// before its own members go.
#include <QString>
#include <QThread>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace ebm::ui {

template <class Command, class Snapshot> class WorkerLoop {
public:
    using SnapshotPtr = std::shared_ptr<const Snapshot>;

    ~WorkerLoop() { stop(); }

    /// Runs body on a new thread (once).
    void start(const QString& name, std::function<void()> body) {
        if (m_thread) return;
        m_thread = QThread::create([this, body = std::move(body)] {
            struct Finished { // whatever way body ends, stop() hears of it
                WorkerLoop* loop;
                ~Finished() {
                    std::lock_guard lock(loop->m_mutex);
                    loop->m_finished = true;
                    loop->m_wake.notify_all();
                }
            } finished{this};
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
        // Hear the body finish under our mutex before joining: the join itself happens inside Qt, which
        // ThreadSanitizer cannot see, so this gives it (and us) an explicit happens-before edge.
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_finished; });
        }
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

private:
    QThread* m_thread = nullptr;
    std::atomic<bool> m_cancel{false};
    mutable std::mutex m_mutex; // guards everything below
    std::condition_variable m_wake;
    std::deque<Command> m_queue;
    SnapshotPtr m_latest;
    bool m_notified = false; // a notification is outstanding (the snapshot not yet taken)
    bool m_finished = false; // the body has returned
};

} // namespace ebm::ui
