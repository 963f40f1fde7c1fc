#pragma once
/// @file idx.h
/// IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed (read through zlib), and the
/// Fashion-MNIST set of Debian's dataset-fashion-mnist package.
#include <ebm/core/imageset.h>

#include <string>
#include <vector>

namespace ebm::io {

/// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// Reads an IDX3 image file (magic 0x00000803, unsigned bytes, n x rows x cols), .gz or not, as an
/// ImageSet without labels, pixel values byte / 255. maxCount > 0 reads only the first maxCount images.
/// Throws core::RuntimeError if the file is missing or unreadable, core::InvalidArgument if it is not an
/// IDX image file, is truncated or has implausible dimensions (each image at most 256 x 256).
core::ImageSet readIdxImages(const std::string& path, core::Index maxCount = 0);

/// Reads an IDX1 label file (magic 0x00000801, unsigned bytes). Same errors as readIdxImages.
std::vector<int> readIdxLabels(const std::string& path, core::Index maxCount = 0);

/// Fashion-MNIST from dir (train-*-idx?-ubyte.gz or t10k-*): images with labels 0..9 and the class
/// names ("T-shirt/top", ...), resized to size x size (28 = as stored). maxCount > 0 limits the count.
core::ImageSet loadFashionMnist(const std::string& dir, bool train, int size = 28, core::Index maxCount = 0);

} // namespace ebm::io
