#pragma once
/// @file threadend.h
/// A thread's end, heard through a std::mutex. The thread calls finish() as its last act (after its
/// last use of anything it shares); the owner calls wait() before it reads the thread's results or frees
/// what the thread used. QThread::wait() and QThread::finished synchronise inside Qt, with futexes that
/// ThreadSanitizer cannot see; this gives it (and the reader) an explicit happens-before edge.
#include <condition_variable>
#include <mutex>

namespace ebm::ui {

class ThreadEnd {
public:
    /// On the thread, last.
    void finish() {
        std::lock_guard lock(m_mutex);
        m_finished = true;
        m_wake.notify_all();
    }
    /// On the owner: returns once finish() was called.
    void wait() {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_finished; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_finished = false;
};

} // namespace ebm::ui
