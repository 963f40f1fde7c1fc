#include <ebm/io/imagedata.h>

#include <ebm/core/digits.h>
#include <ebm/io/idx.h>
#include <ebm/io/png.h>

#include <filesystem>

namespace ebm::io {

bool fashionMnistAvailable() {
    std::error_code ec;
    const std::filesystem::path dir(kFashionMnistDir);
    return std::filesystem::exists(dir / "train-images-idx3-ubyte.gz", ec) ||
           std::filesystem::exists(dir / "train-images-idx3-ubyte", ec);
}

ImageData loadImageData(const std::string& name, int size, core::Index count, std::uint64_t seed) {
    ImageData d;
    if (name == "digits") {
        core::DigitOptions o;
        o.size = size;
        o.count = count > 0 ? count : 6000;
        o.seed = seed;
        d.train = std::make_shared<core::ImageSet>(core::makeDigits(o));
        o.seed = seed ^ 0xD1B54A32D192ED03ull; // held-out digits from another stream
        o.count = 1000;
        d.heldOut = std::make_shared<core::ImageSet>(core::makeDigits(o));
    } else if (name == "fashion-mnist") {
        d.train = std::make_shared<core::ImageSet>(
            loadFashionMnist(kFashionMnistDir, true, size, count > 0 ? count : 10000));
        d.heldOut = std::make_shared<core::ImageSet>(loadFashionMnist(kFashionMnistDir, false, size, 1000));
    } else {
        // Every 10th image is held out (all classes are represented); a single image serves as both.
        const core::ImageSet all = loadPngFolder(name, size, count);
        core::ImageSet train = all, held = all;
        train.labels.clear();
        held.labels.clear();
        std::vector<core::Index> ti, hi;
        for (core::Index i = 0; i < all.size(); ++i)
            (all.size() > 1 && i % 10 == 9 ? hi : ti).push_back(i);
        if (hi.empty()) hi.push_back(0);
        auto pick = [&](const std::vector<core::Index>& idx, core::ImageSet& out) {
            out.pixels.resize(all.dim(), core::Index(idx.size()));
            for (size_t k = 0; k < idx.size(); ++k) {
                out.pixels.col(core::Index(k)) = all.pixels.col(idx[k]);
                if (!all.labels.empty()) out.labels.push_back(all.labels[size_t(idx[k])]);
            }
        };
        pick(ti, train);
        pick(hi, held);
        d.train = std::make_shared<core::ImageSet>(std::move(train));
        d.heldOut = std::make_shared<core::ImageSet>(std::move(held));
    }
    d.labelled = !d.train->labels.empty() && d.train->numClasses() > 1;
    return d;
}

} // namespace ebm::io
