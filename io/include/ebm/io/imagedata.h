#pragma once
/// @file imagedata.h
/// The image data sets by name (ebmlab-cli's `--images`, the window's image mode): a training set and a
/// held-out set.
#include <ebm/core/imageset.h>

#include <memory>
#include <string>

namespace ebm::io {

struct ImageData {
    std::shared_ptr<const core::ImageSet> train, heldOut;
    bool labelled = false;
};

/// True when Debian's dataset-fashion-mnist files are installed (the training images' IDX file exists).
bool fashionMnistAvailable();

/// "digits", "fashion-mnist" or a folder of PNGs, at size x size. count = 0: the default count. Held-out:
/// digits from another seed, Fashion-MNIST's test set, or the last 10% of a folder (at least one image).
/// Throws like makeDigits, loadFashionMnist and loadPngFolder.
ImageData loadImageData(const std::string& name, int size, core::Index count, std::uint64_t seed);

} // namespace ebm::io
