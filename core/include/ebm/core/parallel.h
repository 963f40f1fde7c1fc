#pragma once
/// @file parallel.h
/// Splitting a batch across threads. For the small matrices of a 2D EBM (128 x 256) splitting the batch
/// into one chunk per thread beats a threaded GEMM. Chunks are fixed by (n, thread count) alone, so the
/// same thread count gives the same bits whatever the scheduling.
#include <ebm/core/types.h>
#include <functional>

namespace ebm::core {

/// Number of worker threads used by batch operations that the calling thread starts: its own count if
/// set (setThreadCountForThisThread), else the process's (default: hardware concurrency, at least 1).
int threadCount();
/// Sets the process's thread count (>= 1); 0 restores the default. Not thread-safe against running work.
void setThreadCount(int n);
/// Sets the count for batch operations started on the calling thread only (>= 1); 0 = the process's.
/// Lets one trainer's thread use more cores than another's in the same process: the image window opened
/// from the 2D window trains on every core while the 2D window keeps one for drawing. Call it before
/// the thread's first batch operation (a count that changes between chunkCount and parallelColumns
/// would split one batch two ways).
void setThreadCountForThisThread(int n);

/// A contiguous column range [begin, end) of a batch.
struct ColumnRange {
    Index begin = 0, end = 0;
    Index size() const { return end - begin; }
};

/// Splits n columns into chunks (at most threadCount(), each at least minChunk columns) and calls
/// fn(chunkIndex, range) for each, concurrently; returns the number of chunks used. Blocks until all
/// are done. Exceptions thrown by fn are rethrown on the calling thread.
int parallelColumns(Index n, Index minChunk, const std::function<void(int, ColumnRange)>& fn);

/// The chunk count parallelColumns would use for n columns.
int chunkCount(Index n, Index minChunk);

/// The vector instruction sets the numeric kernels were compiled for, e.g. "AVX512, FMA, AVX2, AVX, SSE,
/// SSE2, SSE3, SSSE3, SSE4.1, SSE4.2" (the host's by default; SSE up to 4.2 with EBM_PORTABLE=ON).
const char* simdInstructionSet();

/// Asks the C library to keep freed memory for reuse instead of returning it to the kernel: a grid
/// evaluation or a batch allocates matrices of several MB, and glibc served each from fresh mmap'd or
/// trimmed pages, so every frame of the display thread page-faulted them in again (a third of its time
/// in the kernel; the window's frame interval p50 went from ~130 ms to ~42 ms with this). Call once at
/// the start of main(); a no-op outside glibc.
void keepFreedMemory();

} // namespace ebm::core
