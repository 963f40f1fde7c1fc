#pragma once
/// @file imageset.h
/// A set of small grey-scale images, one image per column: image i is pixels.col(i), pixel (x, y) at row
/// y * width + x, values in [0, 1] (0 = black background, 1 = white ink). The layout is what the image
/// energies (mlp.h with inputDim = width * height, convnet.h) take as a batch.
#include <ebm/core/types.h>

#include <string>
#include <vector>

namespace ebm::core {

struct ImageSet {
    int width = 0, height = 0;
    Matf pixels;                         ///< (width * height) x n, values in [0, 1]
    std::vector<int> labels;             ///< n class indices in [0, classNames.size()), or empty
    std::vector<std::string> classNames; ///< e.g. "0".."9"; may be empty when there are no labels

    int dim() const { return width * height; }
    Index size() const { return pixels.cols(); }
    int numClasses() const { return int(classNames.size()); }
    /// Throws InvalidArgument if shapes, labels or values are inconsistent (values outside [0, 1], NaN).
    void validate() const;
};

/// The images resampled to w x h by area averaging (each output pixel is the mean of the input area it
/// covers, fractional overlaps weighted), labels kept. Throws InvalidArgument for sizes outside 1..256.
ImageSet resizeImages(const ImageSet& s, int w, int h);

/// Columns [begin, begin + count) with their labels. Throws InvalidArgument if out of range.
ImageSet subsetImages(const ImageSet& s, Index begin, Index count);

/// Tiles the first rows * cols images (d x n, values clipped to [0, 1]) into one image of
/// (rows * (h + gap) + gap) x (cols * (w + gap) + gap) pixels, row-major bytes 0..255 (grey gaps).
std::vector<unsigned char> tileImages(const Matf& images, int w, int h, int rows, int cols, int gap,
                                      int& outWidth, int& outHeight);

} // namespace ebm::core
