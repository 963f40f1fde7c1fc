#pragma once
// A full disk for the tests: while a FileSizeLimit lives, this process cannot write a file past `bytes`
// (RLIMIT_FSIZE); a write beyond it fails with EFBIG (SIGXFSZ is ignored), as a write to a full disk fails
// with ENOSPC. Unlike a read-only folder it also holds for root, which CI runs as.
#include <csignal>
#include <sys/resource.h>

namespace ebm::test {

class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit limit = m_old;
        limit.rlim_cur = bytes;
        std::signal(SIGXFSZ, SIG_IGN);
        m_ok = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &m_old); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;
    /// The limit is in force.
    bool ok() const { return m_ok; }

private:
    rlimit m_old{};
    bool m_ok = false;
};

} // namespace ebm::test
