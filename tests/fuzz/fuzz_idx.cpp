// libFuzzer target for IDX files, plain or gzip-compressed (io::readIdxImages / readIdxLabels: Fashion-MNIST
// and any MNIST-format file). The first byte chooses images or labels and how many to read; the rest is
// the file. Accepted images must have values in [0, 1] and as many columns as asked for (or fewer).
#include "fuzzing.h"

#include <ebm/io/idx.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool labels = data[0] & 1;
    const ebm::core::Index maxCount = data[0] >> 1; // 0 = all
    const auto path = ebm::fuzz::scratchDir() / "input-idx-ubyte.gz";
    ebm::fuzz::writeBytes(path, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    if (labels) {
        std::vector<int> l;
        if (!ebm::fuzz::accepts([&] { l = ebm::io::readIdxLabels(path.string(), maxCount); })) return 0;
        if (maxCount > 0 && ebm::core::Index(l.size()) > maxCount)
            ebm::fuzz::broken("more labels than asked");
        for (int v : l)
            if (v < 0 || v > 255) ebm::fuzz::broken("a label outside 0..255");
        return 0;
    }
    ebm::core::ImageSet s;
    if (!ebm::fuzz::accepts([&] { s = ebm::io::readIdxImages(path.string(), maxCount); })) return 0;
    if (maxCount > 0 && s.size() > maxCount) ebm::fuzz::broken("more images than asked");
    if (s.width < 1 || s.height < 1 || s.width > 256 || s.height > 256 || s.pixels.rows() != s.dim())
        ebm::fuzz::broken("implausible image size accepted");
    if (s.size() > 0 && !(s.pixels.minCoeff() >= 0 && s.pixels.maxCoeff() <= 1))
        ebm::fuzz::broken("pixel values outside [0, 1]");
    return 0;
}
