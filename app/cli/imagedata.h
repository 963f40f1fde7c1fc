#pragma once
// The image data sets of `train --images` and `bench --images`: a training set and a held-out set.
#include <ebm/core/imageset.h>

#include <memory>
#include <string>

namespace ebm::cli {

struct ImageData {
    std::shared_ptr<const core::ImageSet> train, heldOut;
    bool labelled = false;
};

/// "digits", "fashion-mnist" or a folder of PNGs, at size x size. count = 0: the default count. Held-out:
/// digits from another seed, Fashion-MNIST's test set, or the last 10% of a folder (at least one image).
ImageData loadImageData(const std::string& name, int size, core::Index count, std::uint64_t seed);

} // namespace ebm::cli
