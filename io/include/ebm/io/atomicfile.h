#pragma once
/// @file atomicfile.h
/// Writing a file atomically: the content goes to a temporary file in the same directory, which is
/// renamed over the destination only by commit(). Readers never see a half-written file, and a failed
/// or abandoned write leaves the destination untouched (the temporary is removed).
#include <fstream>
#include <string>

namespace ebm::io {

class AtomicFile {
public:
    /// Creates the temporary file next to path. Throws core::RuntimeError if it cannot be created.
    explicit AtomicFile(std::string path);
    /// Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// The stream to write the content to.
    std::ostream& stream() { return m_out; }
    /// Flushes, syncs and renames the temporary over the destination. Throws core::RuntimeError on failure.
    void commit();

    const std::string& path() const { return m_path; }

private:
    std::string m_path, m_tmp;
    std::ofstream m_out;
    bool m_committed = false;
};

/// Writes contents to path atomically (AtomicFile). Throws core::RuntimeError on failure.
void writeFileAtomically(const std::string& path, const std::string& contents);

/// Checks that a file could be created at path (its directory exists and is writable) without creating
/// it. Throws core::InvalidArgument with a message naming the problem.
void checkWritableLocation(const std::string& path);

/// Reads a whole file (at most maxBytes). Throws core::RuntimeError if it cannot be read or is too large.
std::string readFile(const std::string& path, std::size_t maxBytes);

} // namespace ebm::io
