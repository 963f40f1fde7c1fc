// libFuzzer target for PNG files (io::readPngGray, libpng's simplified API: ebmlab --images FOLDER,
// ebmlab-cli --images FOLDER). An accepted image must be at most 8192 x 8192 with one byte per pixel,
// and write back and read again to the same pixels.
#include "fuzzing.h"

#include <ebm/io/png.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto dir = ebm::fuzz::scratchDir();
    const auto path = dir / "input.png";
    ebm::fuzz::writeBytes(path, std::string_view(reinterpret_cast<const char*>(data), size));
    ebm::io::GrayImage g;
    if (!ebm::fuzz::accepts([&] { g = ebm::io::readPngGray(path.string()); })) return 0;
    if (g.width < 1 || g.height < 1 || g.width > 8192 || g.height > 8192 ||
        g.pixels.size() != std::size_t(g.width) * std::size_t(g.height))
        ebm::fuzz::broken("an accepted PNG has an impossible size");
    if (g.pixels.size() <= 65536) {
        const auto again = dir / "again.png";
        ebm::io::writePngGray(again.string(), g);
        if (ebm::io::readPngGray(again.string()).pixels != g.pixels)
            ebm::fuzz::broken("a grey PNG does not survive its own round trip");
    }
    return 0;
}
