#pragma once
/// @file digits.h
/// The embedded default image data: hand-written-looking digits 0–9 drawn from stroke skeletons (line
/// segments and arcs designed per digit, two or three styles for some digits) with anti-aliased thick
/// strokes, under a random affine map (shift, scale, rotation, shear) and a random stroke width, with small
/// per-image jitter of the skeleton's points. Everything is computed here (no fonts, no files), so the
/// same seed gives the same bits on every machine; see docs/images.md for why not a font rasteriser.
#include <ebm/core/imageset.h>

#include <cstdint>

namespace ebm::core {

struct DigitOptions {
    int size = 16;            ///< image width = height in pixels (8..64)
    Index count = 6000;       ///< number of images (labels cycle 0, 1, ..., 9), 1..1,000,000
    std::uint64_t seed = 1;   ///< everything random derives from it
    float maxShift = 1.5f;    ///< |shift| per axis, in pixels of a 16 x 16 image (scaled with size)
    float minScale = 0.8f;    ///< glyph scale range (1 = the skeleton fills ~70% of the height)
    float maxScale = 1.05f;   ///<
    float maxRotation = 0.2f; ///< |rotation| in radians
    float maxShear = 0.2f;    ///< |horizontal shear| (slant)
    float minStroke = 1.1f;   ///< stroke width range in pixels of a 16 x 16 image (scaled with size)
    float maxStroke = 2.1f;   ///<
    float jitter = 0.025f;    ///< skeleton point jitter, fraction of the glyph box
    void validate() const;    ///< throws InvalidArgument
};

/// count digits, labels i mod 10, classNames "0".."9", pixels in [0, 1] (ink = 1).
ImageSet makeDigits(const DigitOptions& o);

} // namespace ebm::core
