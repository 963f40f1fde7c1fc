#include "tempoutput.h"

#include <ebm/core/types.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace ebm::exporter {

namespace {
std::string stripSlashes(std::string p) {
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}
} // namespace

TempOutput::TempOutput(const std::string& finalPath, Kind kind)
    : m_final(stripSlashes(finalPath)), m_kind(kind) {
    if (m_final.empty()) throw core::RuntimeError("cannot write an output with an empty name");
    std::string templ = m_final + ".tmp-XXXXXX";
    if (kind == Kind::File) {
        const int fd = ::mkstemp(templ.data());
        if (fd < 0)
            throw core::RuntimeError("cannot create a temporary file next to '" + m_final +
                                     "': " + std::strerror(errno));
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::fchmod(fd, 0666 & ~mask);
        ::close(fd);
    } else {
        if (!::mkdtemp(templ.data()))
            throw core::RuntimeError("cannot create a temporary directory next to '" + m_final +
                                     "': " + std::strerror(errno));
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::chmod(templ.c_str(), 0777 & ~mask);
    }
    m_tmp = templ;
}

TempOutput::~TempOutput() {
    if (m_committed || m_tmp.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(m_tmp, ec);
}

void TempOutput::commit() {
    if (m_committed) return;
    if (m_kind == Kind::File) {
        const int fd = ::open(m_tmp.c_str(), O_RDONLY);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    if (std::rename(m_tmp.c_str(), m_final.c_str()) != 0)
        throw core::RuntimeError("cannot rename '" + m_tmp + "' to '" + m_final +
                                 "': " + std::strerror(errno));
    m_committed = true;
}

} // namespace ebm::exporter
