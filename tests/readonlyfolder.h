#pragma once
// A read-only folder for the tests: while a ReadOnlyFolder lives, this process cannot create, replace or
// remove a file in `dir` (nor anywhere else it does not own as a user). The folder is made r-x for everyone;
// and since root may write anywhere (CI runs as root), a root process also takes the effective user
// "nobody" (65534) for the while, which clears the effective capabilities of every thread (glibc applies
// seteuid to all of them), as a user without write permission or a read-only medium would see it.
#include <QByteArray>
#include <QString>
#include <cerrno>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace ebm::test {

class ReadOnlyFolder {
public:
    explicit ReadOnlyFolder(const QString& dir) : m_dir(dir.toLocal8Bit().toStdString()) {
        struct stat st {};
        if (::stat(m_dir.c_str(), &st) != 0) return;
        m_mode = st.st_mode & 07777;
        if (::chmod(m_dir.c_str(), 0555) != 0) return;
        m_chmodded = true;
        if (::geteuid() == 0) {
            if (::seteuid(65534) != 0) return;
            m_switched = true;
        }
        // The folder must now refuse a new file, as the saves will find it.
        const std::string probe = m_dir + "/.read-only-probe";
        const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            ::close(fd);
            ::unlink(probe.c_str());
            return;
        }
        m_ok = errno == EACCES || errno == EPERM || errno == EROFS;
    }
    ~ReadOnlyFolder() {
        if (m_switched) (void)::seteuid(0);
        if (m_chmodded) ::chmod(m_dir.c_str(), m_mode);
    }
    ReadOnlyFolder(const ReadOnlyFolder&) = delete;
    ReadOnlyFolder& operator=(const ReadOnlyFolder&) = delete;
    /// The folder refuses writes.
    bool ok() const { return m_ok; }

private:
    std::string m_dir;
    mode_t m_mode = 0755;
    bool m_chmodded = false, m_switched = false, m_ok = false;
};

} // namespace ebm::test
