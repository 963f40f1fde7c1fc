// libFuzzer target for a folder of PNG images as a data set (io::loadPngFolder: ebmlab --images FOLDER).
// The input is up to eight files separated by "\n--8<--\n"; the first byte chooses the layout (all files
// in the folder, or in two class subfolders) and the image size. Accepted images are validated (sizes,
// labels, values in [0, 1]) and there are no more of them than files.
#include "fuzzing.h"

#include <ebm/io/png.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool classes = data[0] & 1;
    const int side = 4 + (data[0] >> 1) % 29; // 4..32
    auto parts =
        ebm::fuzz::split(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), "\n--8<--\n");
    if (parts.size() > 8) parts.resize(8);
    const auto dir = ebm::fuzz::scratchDir();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        auto folder = classes ? dir / (i % 2 ? "b" : "a") : dir;
        std::filesystem::create_directories(folder);
        ebm::fuzz::writeBytes(folder / ("image" + std::to_string(i) + ".png"), parts[i]);
    }
    ebm::core::ImageSet s;
    if (!ebm::fuzz::accepts([&] { s = ebm::io::loadPngFolder(dir.string(), side); })) return 0;
    s.validate(); // throws InvalidArgument, which escapes here: an accepted set must be valid
    if (s.width != side || s.height != side) ebm::fuzz::broken("images not resized to the size asked for");
    if (s.size() < 1 || s.size() > ebm::core::Index(parts.size()))
        ebm::fuzz::broken("more images than files");
    if (classes && s.labels.size() != std::size_t(s.size()))
        ebm::fuzz::broken("class folders without labels");
    return 0;
}
