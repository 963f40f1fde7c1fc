#pragma once
// Writes refused, as a user meets them: a disk that is full (FileSizeLimit) or a folder that cannot be
// written (ReadOnlyFolder), for tests that check both the same way (data rows "disk full", "read-only").
#include "filesizelimit.h"
#include "readonlyfolder.h"
#include <QMetaType>
#include <optional>

namespace ebm::test {

enum class Refusal { DiskFull, ReadOnlyFolder };

class RefusedWrites {
public:
    /// DiskFull: no file past `bytes`; ReadOnlyFolder: nothing written in `dir`.
    RefusedWrites(Refusal r, const QString& dir, rlim_t bytes) {
        if (r == Refusal::DiskFull)
            m_full.emplace(bytes);
        else
            m_readOnly.emplace(dir);
    }
    bool ok() const { return m_full ? m_full->ok() : m_readOnly->ok(); }
    /// What the message for a refused save says.
    static const char* says(Refusal r) { return r == Refusal::DiskFull ? "disk full" : "is not writable"; }

private:
    std::optional<FileSizeLimit> m_full;
    std::optional<ReadOnlyFolder> m_readOnly;
};

} // namespace ebm::test

Q_DECLARE_METATYPE(ebm::test::Refusal)
