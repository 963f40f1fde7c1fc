#pragma once
/// @file image.h
/// An 8-bit RGB image (rows top to bottom, 3 bytes per pixel, no padding) — the frame format the CPU
/// renderer draws and the encoders take — and premultiplied-alpha blending in linear float per pixel.
#include <cstdint>
#include <vector>

namespace ebm::render {

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb; ///< width * height * 3

    Image() = default;
    Image(int w, int h);
    bool empty() const { return width <= 0 || height <= 0; }
    std::uint8_t* pixel(int x, int y) { return rgb.data() + (std::size_t(y) * width + x) * 3; }
    const std::uint8_t* pixel(int x, int y) const { return rgb.data() + (std::size_t(y) * width + x) * 3; }
    bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
    /// dst = src + dst · (1 − a) with src = colour · a (colour in [0, 1], premultiplied like the GL view).
    void blend(int x, int y, float r, float g, float b, float a);
};

/// Mean absolute difference per channel (0..255) of two images of the same size; -1 if the sizes differ.
double meanAbsDifference(const Image& a, const Image& b);

} // namespace ebm::render
