#pragma once
/// @file text.h
/// Caption text without Qt: FreeType rasterises DejaVu Sans (Debian's fonts-dejavu-core) with
/// anti-aliasing; the glyph coverage is blended into the image. The font is found at
/// /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf unless EBM_FONT names another TrueType file.
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <memory>
#include <string>
#include <vector>

namespace ebm::render {

/// The font file the renderer uses ("" if none was found).
std::string defaultFontPath();

class TextRenderer {
public:
    /// Loads the font at a pixel size. Throws core::RuntimeError if FreeType or the font fails.
    TextRenderer(const std::string& fontPath, int pixelSize);
    ~TextRenderer();
    TextRenderer(const TextRenderer&) = delete;
    TextRenderer& operator=(const TextRenderer&) = delete;

    int lineHeight() const;                     ///< baseline-to-baseline distance in pixels
    int ascent() const;                         ///< pixels above the baseline
    int measure(const std::string& utf8) const; ///< advance width in pixels
    /// Draws UTF-8 text with its baseline at y, starting at x.
    void draw(Image& img, int x, int y, const std::string& utf8, const Rgb& color) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// Lines of text in the top-left corner on a translucent dark panel (the slide caption).
void drawCaption(Image& img, const std::vector<std::string>& lines, const TextRenderer& text);

} // namespace ebm::render
