// libFuzzer target for the session loader (tests/fuzz/README.md). The loader may refuse an input only
// with core::InvalidArgument or core::RuntimeError; anything else (another exception, a crash, a leak,
// undefined behaviour under ASan/UBSan) is a bug. A file it accepts must also write back and read again
// identically, and its trainer state must restore into a core Trainer or be refused the same way.
#include <ebm/core/density.h>
#include <ebm/core/trainer.h>
#include <ebm/io/modelfile.h>
#include <ebm/io/session.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {
void accepted(const ebm::io::SessionFile& s) {
    const std::string again = ebm::io::toJson(s);
    if (ebm::io::toJson(ebm::io::parseSessionJson(again, "rewritten")) != again) {
        std::fprintf(stderr, "a session does not survive its own round trip\n");
        std::abort();
    }
    // Restoring allocates the network: only small ones, to keep iterations fast.
    if (ebm::io::parameterCount(s.trainer.options.model) > 20000 || s.target == "drawing") return;
    auto target = std::shared_ptr<const ebm::core::TargetDensity>(ebm::core::makePreset(s.target));
    try {
        ebm::core::Trainer t(target, s.trainer.options);
        t.restore(s.trainer);
    } catch (const ebm::core::InvalidArgument&) {
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ebm::io::SessionFile s;
    try {
        s = ebm::io::parseSessionJson(text, "fuzz input");
    } catch (const ebm::core::InvalidArgument&) {
        return 0;
    } catch (const ebm::core::RuntimeError&) {
        return 0;
    }
    accepted(s);
    return 0;
}
