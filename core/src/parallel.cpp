#include <ebm/core/parallel.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ebm::core {

namespace {
std::atomic<int> g_threads{0};

int defaultThreads() {
    // Asked once: glibc reads /sys/devices/system/cpu/online on every call (an open, read and close per
    // batched product otherwise).
    static const int n = [] {
        const unsigned hc = std::thread::hardware_concurrency();
        return hc == 0 ? 1 : int(std::min(hc, 64u));
    }();
    return n;
}

// A persistent pool: worker w always runs chunk w + 1 of a job, the caller runs chunk 0. Persistent
// threads keep their thread-local workspaces (see mlp.cpp), which matters: fresh 128 KiB buffers per
// call are served by mmap and cost more in page faults than the arithmetic they hold.
class Pool {
public:
    static Pool& instance() {
        static Pool pool;
        return pool;
    }

    ~Pool() {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        for (auto& t : m_workers)
            t.join();
    }

    /// Runs fn(c) for c in [0, chunks) on the pool; returns false (running nothing) if another caller
    /// holds the pool, so that caller-side code can fall back to running the chunks inline.
    bool tryRun(int chunks, const std::function<void(int)>& fn) {
        std::unique_lock busy(m_busy, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        ensureWorkers(chunks - 1);
        {
            std::lock_guard lock(m_mutex);
            m_job = &fn;
            m_jobChunks = chunks;
            m_pending = chunks - 1;
            ++m_generation;
            m_error = nullptr;
        }
        m_wake.notify_all();
        std::exception_ptr error;
        try {
            fn(0);
        } catch (...) {
            error = std::current_exception();
        }
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [&] { return m_pending == 0; });
        m_job = nullptr;
        if (!error) error = m_error;
        lock.unlock();
        if (error) std::rethrow_exception(error);
        return true;
    }

private:
    void ensureWorkers(int n) {
        while (int(m_workers.size()) < n) {
            const int index = int(m_workers.size());
            m_workers.emplace_back([this, index] { loop(index); });
        }
    }

    void loop(int index) {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(int)>* job = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_quit || m_generation != seen; });
                if (m_quit) return;
                seen = m_generation;
                if (index + 1 >= m_jobChunks) continue; // not needed for this job
                job = m_job;
            }
            std::exception_ptr error;
            try {
                (*job)(index + 1);
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard lock(m_mutex);
            if (error && !m_error) m_error = error;
            if (--m_pending == 0) m_done.notify_all();
        }
    }

    std::mutex m_busy; // one job at a time
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::vector<std::thread> m_workers;
    const std::function<void(int)>* m_job = nullptr;
    int m_jobChunks = 0;
    int m_pending = 0;
    std::uint64_t m_generation = 0;
    bool m_quit = false;
    std::exception_ptr m_error;
};
} // namespace

int threadCount() {
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : defaultThreads();
}

void setThreadCount(int n) {
    if (n < 0)
        throw InvalidArgument("thread count must be >= 1 (or 0 for the default), got " + std::to_string(n));
    g_threads.store(n, std::memory_order_relaxed);
}

int chunkCount(Index n, Index minChunk) {
    if (n <= 0) return 0;
    const Index byMin = std::max<Index>(1, n / std::max<Index>(1, minChunk));
    return int(std::min<Index>(threadCount(), byMin));
}

int parallelColumns(Index n, Index minChunk, const std::function<void(int, ColumnRange)>& fn) {
    const int chunks = chunkCount(n, minChunk);
    auto range = [&](int c) { return ColumnRange{n * c / chunks, n * (c + 1) / chunks}; };
    if (chunks <= 1) {
        if (n > 0) fn(0, ColumnRange{0, n});
        return chunks;
    }
    const std::function<void(int)> job = [&](int c) { fn(c, range(c)); };
    // The chunking depends only on (n, thread count), so running the same chunks inline when the pool
    // is busy with another caller's job gives the same bits.
    if (!Pool::instance().tryRun(chunks, job))
        for (int c = 0; c < chunks; ++c)
            job(c);
    return chunks;
}

const char* simdInstructionSet() {
    return Eigen::SimdInstructionSetsInUse();
}

void keepFreedMemory() {
#ifdef __GLIBC__
    // Blocks up to 32 MB (glibc's maximum) come from the heap, and up to 512 MB free at a heap's top stay.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
}

} // namespace ebm::core
