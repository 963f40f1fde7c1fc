#pragma once
/// @file palette.h
/// Colour quantisation for GIF: one palette for a whole animation by median cut over pixels sampled from
/// every frame (so colours do not jump between frames), and Floyd–Steinberg error diffusion (serpentine)
/// onto it.
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>

#include <cstdint>
#include <vector>

namespace ebm::exporter {

/// Median cut over at most maxSamples pixels spread evenly over all frames. The first half of the splits
/// go to the boxes with the most pixels × extent (smooth gradients get many levels), the rest to the
/// widest boxes (rare but distinct colours — particles, arrows, text — keep their own entries).
/// Returns between 1 and maxColors colours (fewer when the frames have fewer distinct colours).
std::vector<render::Rgb8> medianCutPalette(const std::vector<render::Image>& frames, int maxColors,
                                           std::size_t maxSamples = 1 << 18);

/// Maps colours to the nearest palette entry (squared RGB distance), cached on a 64³ grid.
class PaletteMapper {
public:
    explicit PaletteMapper(std::vector<render::Rgb8> palette);
    int nearest(int r, int g, int b);
    /// Floyd–Steinberg dithering of the image onto the palette: one index per pixel, row-major.
    void dither(const render::Image& img, std::vector<std::uint8_t>& indices);
    const std::vector<render::Rgb8>& palette() const { return m_palette; }

private:
    std::vector<render::Rgb8> m_palette;
    std::vector<std::int16_t> m_cache; // -1 = not computed
    int search(int r, int g, int b) const;
};

} // namespace ebm::exporter
