#include <ebm/core/parallel.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace ebm::core {

namespace {
std::atomic<int> g_threads{0};

int defaultThreads() {
    const unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : int(std::min(hc, 64u));
}
} // namespace

int threadCount() {
    const int n = g_threads.load(std::memory_order_relaxed);
    return n > 0 ? n : defaultThreads();
}

void setThreadCount(int n) {
    if (n < 0) throw InvalidArgument("thread count must be >= 1 (or 0 for the default), got " + std::to_string(n));
    g_threads.store(n, std::memory_order_relaxed);
}

int chunkCount(Index n, Index minChunk) {
    if (n <= 0) return 0;
    const Index byMin = std::max<Index>(1, n / std::max<Index>(1, minChunk));
    return int(std::min<Index>(threadCount(), byMin));
}

int parallelColumns(Index n, Index minChunk, const std::function<void(int, ColumnRange)>& fn) {
    const int chunks = chunkCount(n, minChunk);
    if (chunks <= 1) {
        if (n > 0) fn(0, ColumnRange{0, n});
        return chunks;
    }
    auto range = [&](int c) { return ColumnRange{n * c / chunks, n * (c + 1) / chunks}; };
    std::exception_ptr error;
    std::mutex errorMutex;
    // Threads are short-lived: a spawn costs ~20 µs, small next to a chunk of an MLP batch (~ms).
    std::vector<std::thread> workers;
    workers.reserve(chunks - 1);
    for (int c = 1; c < chunks; ++c) {
        workers.emplace_back([&, c] {
            try {
                fn(c, range(c));
            } catch (...) {
                std::lock_guard lock(errorMutex);
                if (!error) error = std::current_exception();
            }
        });
    }
    try {
        fn(0, range(0));
    } catch (...) {
        std::lock_guard lock(errorMutex);
        if (!error) error = std::current_exception();
    }
    for (auto& w : workers) w.join();
    if (error) std::rethrow_exception(error);
    return chunks;
}

} // namespace ebm::core
