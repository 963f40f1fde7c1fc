#include <ebm/core/parallel.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <Eigen/Core>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
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

// A persistent pool. A job's chunks are claimed one at a time by whoever is free (the caller first,
// then the workers it woke), so a worker that the OS has not scheduled yet (the window's renderer and GUI
// share the cores) costs a wait for nothing: the caller runs its chunk too. Which thread runs a chunk
// changes no bits, as each chunk writes its own output. Persistent threads keep their thread-local
// workspaces (see mlp.cpp), which matters: fresh 128 KiB buffers per call are served by mmap and cost
// more in page faults than the arithmetic they hold.
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
        std::uint32_t job = 0;
        {
            std::lock_guard lock(m_mutex);
            job = std::uint32_t(++m_generation);
            m_job = &fn;
            m_jobChunks = chunks;
            m_remaining = chunks;
            m_error = nullptr;
            m_claim.store(std::uint64_t(job) << 32, std::memory_order_release);
        }
        m_wake.notify_all();
        work(job, chunks, fn);
        std::unique_lock lock(m_mutex);
        m_done.wait(lock, [&] { return m_remaining == 0; });
        m_job = nullptr;
        const std::exception_ptr error = m_error;
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

    /// Claims and runs chunks of job `job` until none is left. The claim word holds the job's number,
    /// so a worker that wakes after its job ended claims nothing (and never calls a finished job's fn).
    void work(std::uint32_t job, int chunks, const std::function<void(int)>& fn) {
        for (;;) {
            std::uint64_t v = m_claim.load(std::memory_order_acquire);
            int c = 0;
            do {
                if (std::uint32_t(v >> 32) != job) return;
                c = int(std::uint32_t(v));
                if (c >= chunks) return;
            } while (!m_claim.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel));
            std::exception_ptr error;
            try {
                fn(c);
            } catch (...) {
                error = std::current_exception();
            }
            std::lock_guard lock(m_mutex);
            if (error && !m_error) m_error = error;
            if (--m_remaining == 0) m_done.notify_all();
        }
    }

    void loop(int index) {
        std::uint64_t seen = 0;
        for (;;) {
            const std::function<void(int)>* fn = nullptr;
            int chunks = 0;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_quit || m_generation != seen; });
                if (m_quit) return;
                seen = m_generation;
                if (!m_job || index + 1 >= m_jobChunks) continue; // ended, or not needed for this job
                fn = m_job;
                chunks = m_jobChunks;
            }
            work(std::uint32_t(seen), chunks, *fn);
        }
    }

    std::mutex m_busy; // one job at a time
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::vector<std::thread> m_workers;
    const std::function<void(int)>* m_job = nullptr;
    int m_jobChunks = 0;
    int m_remaining = 0; // chunks not yet finished
    std::uint64_t m_generation = 0;
    std::atomic<std::uint64_t> m_claim{0}; // the job's number << 32 | the next chunk to claim
    bool m_quit = false;
    std::exception_ptr m_error;
};
} // namespace

namespace {
thread_local int t_threads = 0; // this thread's own count; 0 = the process's
} // namespace

int threadCount() {
    if (t_threads > 0) return t_threads;
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : defaultThreads();
}

void setThreadCount(int n) {
    if (n < 0)
        throw InvalidArgument("thread count must be >= 1 (or 0 for the default), got " + std::to_string(n));
    g_threads.store(n, std::memory_order_relaxed);
}

void setThreadCountForThisThread(int n) {
    if (n < 0)
        throw InvalidArgument("thread count must be >= 1 (or 0 for the process's), got " + std::to_string(n));
    t_threads = n;
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
