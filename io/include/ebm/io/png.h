#pragma once
/// @file png.h
/// PNG files through libpng: grey-scale reading (any PNG, converted), writing, sample grids, and folders
/// of PNG images as a data set.
#include <ebm/core/imageset.h>

#include <string>
#include <vector>

namespace ebm::io {

/// An 8-bit grey image, row-major.
struct GrayImage {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;
};

/// Reads any PNG (colour, alpha, palette, 16-bit: converted to 8-bit grey, alpha composited on black).
/// Throws core::RuntimeError if unreadable, core::InvalidArgument if not a valid PNG or larger than
/// 8192 x 8192.
GrayImage readPngGray(const std::string& path);

/// Writes an 8-bit grey PNG atomically. Throws core::RuntimeError on failure, InvalidArgument on bad sizes.
void writePngGray(const std::string& path, const GrayImage& image);

/// Writes images (d x n, values in [0, 1], w x h each) as a rows x cols grid, each pixel scaled up `zoom`
/// times, as a grey PNG.
void writeImageGrid(const std::string& path, const core::Matf& images, int w, int h, int rows, int cols,
                    int zoom = 4);

/// Every *.png in dir (sorted by name) as an ImageSet of size x size images. If dir has subfolders holding
/// PNGs, each subfolder is a class (named after it, sorted) and the PNGs directly in dir are ignored.
/// Images are grey-scaled and resized by area averaging; ink is taken to be the minority tone: when the
/// mean over all the images is above 0.5 (dark strokes on white), all are inverted so that ink is 1 as
/// elsewhere. Throws core::RuntimeError if dir is missing or unreadable, core::InvalidArgument if it holds no
/// PNG or a PNG is corrupt (the message names the file).
core::ImageSet loadPngFolder(const std::string& dir, int size = 16, core::Index maxCount = 0);

} // namespace ebm::io
