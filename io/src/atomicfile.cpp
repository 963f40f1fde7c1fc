#include <ebm/io/atomicfile.h>

#include <ebm/core/types.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace ebm::io {

using core::InvalidArgument;
using core::RuntimeError;

namespace {
std::string directoryOf(const std::string& path) {
    const std::filesystem::path p(path);
    const auto dir = p.parent_path();
    return dir.empty() ? std::string(".") : dir.string();
}

std::string errnoText() {
    return std::strerror(errno);
}
} // namespace

AtomicFile::AtomicFile(std::string path) : m_path(std::move(path)) {
    if (m_path.empty()) throw RuntimeError("cannot write a file with an empty name");
    std::string templ = m_path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(templ.data());
    if (fd < 0) {
        const int err = errno;
        if (err == EACCES || err == EPERM || err == EROFS)
            throw RuntimeError("cannot save '" + m_path + "': the folder '" + directoryOf(m_path) +
                               "' is not writable (" + std::strerror(err) + ")");
        throw RuntimeError("cannot create a temporary file next to '" + m_path + "': " + std::strerror(err));
    }
    // mkstemp creates the file 0600; give it the permissions an ordinary new file would get.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    ::close(fd);
    m_tmp = templ;
    m_out.open(m_tmp, std::ios::binary | std::ios::trunc);
    if (!m_out) {
        std::remove(m_tmp.c_str());
        throw RuntimeError("cannot open the temporary file '" + m_tmp + "' for writing");
    }
}

AtomicFile::~AtomicFile() {
    if (!m_committed) {
        m_out.close();
        std::remove(m_tmp.c_str());
    }
}

void AtomicFile::commit() {
    if (m_committed) return;
    m_out.flush();
    const bool ok = bool(m_out);
    m_out.close();
    if (!ok || m_out.fail()) throw RuntimeError("writing '" + m_path + "' failed (disk full?)");
    // fsync before rename so a crash cannot leave an empty file under the final name.
    if (FILE* f = std::fopen(m_tmp.c_str(), "rb")) {
        ::fsync(::fileno(f));
        std::fclose(f);
    }
    if (std::rename(m_tmp.c_str(), m_path.c_str()) != 0)
        throw RuntimeError("cannot rename '" + m_tmp + "' to '" + m_path + "': " + errnoText());
    m_committed = true;
}

void writeFileAtomically(const std::string& path, const std::string& contents) {
    AtomicFile f(path);
    f.stream().write(contents.data(), std::streamsize(contents.size()));
    f.commit();
}

void checkWritableLocation(const std::string& path) {
    if (path.empty()) throw InvalidArgument("the output file name is empty");
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw InvalidArgument("'" + path + "' is a directory, not a file name");
    const std::string dir = directoryOf(path);
    if (!std::filesystem::is_directory(dir, ec))
        throw InvalidArgument("cannot write '" + path + "': directory '" + dir + "' does not exist");
    // The effective user's permission (AT_EACCESS), which is the one a write is checked against.
    if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0)
        throw InvalidArgument("cannot write '" + path + "': directory '" + dir + "' is not writable");
}

std::string readFile(const std::string& path, std::size_t maxBytes) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw RuntimeError("'" + path + "' is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RuntimeError("cannot open '" + path + "': " + errnoText());
    std::string data;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        data.append(buf, std::size_t(in.gcount()));
        if (data.size() > maxBytes)
            throw RuntimeError("'" + path + "' is larger than " + std::to_string(maxBytes >> 20) + " MiB");
    }
    if (in.bad()) throw RuntimeError("reading '" + path + "' failed");
    return data;
}

} // namespace ebm::io
