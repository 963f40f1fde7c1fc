#pragma once
// A temporary file or directory next to the final output path, renamed over it only by commit(). The
// destructor removes it (recursively for a directory) unless commit() succeeded, so a failed or cancelled
// export leaves nothing behind. (Encoders that write through a path rather than a stream — FFmpeg's
// muxers, the PNG frames — need a name; io::AtomicFile gives a stream.)
#include <string>

namespace ebm::exporter {

class TempOutput {
public:
    enum class Kind { File, Directory };
    /// Creates the temporary (mkstemp / mkdtemp) in the final path's directory. Throws core::RuntimeError.
    TempOutput(const std::string& finalPath, Kind kind);
    ~TempOutput();
    TempOutput(const TempOutput&) = delete;
    TempOutput& operator=(const TempOutput&) = delete;

    const std::string& path() const { return m_tmp; }
    const std::string& finalPath() const { return m_final; }
    /// Syncs (files) and renames the temporary to the final path. Throws core::RuntimeError.
    void commit();

private:
    std::string m_final, m_tmp;
    Kind m_kind;
    bool m_committed = false;
};

} // namespace ebm::exporter
