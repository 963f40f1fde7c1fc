#pragma once
/// @file colormap.h
/// The colour maps of the landscape view (the one definition: the GL view's lookup texture, its colour
/// bar and the CPU renderer all take their colours from here). Perceptually uniform viridis and magma,
/// and Moreland's cool–warm diverging map.
#include <array>
#include <cstdint>
#include <string>

namespace ebm::render {

enum class ColorMap { Viridis = 0, Magma = 1, CoolWarm = 2 };
constexpr int kColorMapCount = 3;
constexpr int kColorTableSize = 256;

struct Rgb {
    double r = 0, g = 0, b = 0; ///< in [0, 1]
};
struct Rgb8 {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb8&) const = default;
};

std::string colorMapKey(ColorMap m);            ///< "viridis" | "magma" | "coolwarm"
ColorMap parseColorMap(const std::string& key); ///< throws core::InvalidArgument listing the keys
Rgb colorAt(ColorMap m, double t);              ///< t clamped to [0, 1]; NaN counts as 0
Rgb8 toRgb8(const Rgb& c);                      ///< rounded to the nearest 8-bit value
/// The 256-entry table the GL view uploads as its lookup texture: entry i = colorAt(m, i / 255).
const std::array<Rgb8, kColorTableSize>& colorTable(ColorMap m);
/// The colour the GL view shows for t: the table sampled with linear filtering at texel (t · 255 + ½) / 256.
Rgb colorLookup(ColorMap m, double t);

} // namespace ebm::render
