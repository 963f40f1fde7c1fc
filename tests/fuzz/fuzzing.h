#pragma once
// Shared by the libFuzzer targets in this folder (README.md): what counts as a refusal, and a private
// scratch folder for the loaders that read paths rather than text.
#include <ebm/core/types.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace ebm::fuzz {

/// Runs load(); a loader may refuse an input only with core::InvalidArgument or core::RuntimeError (one
/// message for the user). Returns true if load() accepted the input. Anything else escapes and fails.
template <class F> bool accepts(F&& load) {
    try {
        load();
        return true;
    } catch (const core::InvalidArgument&) {
    } catch (const core::RuntimeError&) {
    }
    return false;
}

/// Stops the run: an accepted input broke a property the loader promises.
[[noreturn]] inline void broken(const char* what) {
    std::fprintf(stderr, "property broken: %s\n", what);
    std::abort();
}

/// A folder of this process's own under the temporary folder, emptied on every call.
inline std::filesystem::path scratchDir() {
    static const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("ebmlab-fuzz-" + std::to_string(::getpid()));
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    return dir;
}

inline void writeBytes(const std::filesystem::path& p, std::string_view bytes) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), std::streamsize(bytes.size()));
    if (!f) broken("the scratch file could not be written");
}

/// The input cut at every occurrence of sep (a multi-file input: "first<sep>second<sep>…").
inline std::vector<std::string_view> split(std::string_view in, std::string_view sep) {
    std::vector<std::string_view> parts;
    for (;;) {
        const std::size_t at = in.find(sep);
        parts.push_back(in.substr(0, at));
        if (at == std::string_view::npos) return parts;
        in.remove_prefix(at + sep.size());
    }
}

} // namespace ebm::fuzz
