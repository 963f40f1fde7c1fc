#include <ebm/render/text.h>

#include <ebm/core/types.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace ebm::render {

std::string defaultFontPath() {
    if (const char* env = std::getenv("EBM_FONT"); env && *env) return env;
    for (const char* p : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                          "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"}) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) return p;
    }
    return {};
}

struct TextRenderer::Impl {
    FT_Library lib = nullptr;
    FT_Face face = nullptr;
    ~Impl() {
        if (face) FT_Done_Face(face);
        if (lib) FT_Done_FreeType(lib);
    }
};

namespace {
// Decodes UTF-8 (invalid bytes become U+FFFD).
std::vector<char32_t> decode(const std::string& s) {
    std::vector<char32_t> out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || i + size_t(n) >= s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = n == 0 ? c : c & (0x3F >> n);
        bool ok = true;
        for (int k = 1; k <= n; ++k) {
            const unsigned char d = static_cast<unsigned char>(s[i + size_t(k)]);
            if ((d >> 6) != 2) ok = false;
            cp = (cp << 6) | (d & 0x3F);
        }
        out.push_back(ok ? cp : 0xFFFD);
        i += ok ? size_t(n) + 1 : 1;
    }
    return out;
}
} // namespace

TextRenderer::TextRenderer(const std::string& fontPath, int pixelSize) : m(std::make_unique<Impl>()) {
    if (fontPath.empty())
        throw core::RuntimeError("no font for the caption: install fonts-dejavu-core or set EBM_FONT");
    if (FT_Init_FreeType(&m->lib)) throw core::RuntimeError("FreeType failed to initialise");
    if (FT_New_Face(m->lib, fontPath.c_str(), 0, &m->face))
        throw core::RuntimeError("cannot load the font '" + fontPath + "'");
    if (FT_Set_Pixel_Sizes(m->face, 0, FT_UInt(std::clamp(pixelSize, 4, 512))))
        throw core::RuntimeError("the font '" + fontPath + "' has no scalable outline");
}

TextRenderer::~TextRenderer() = default;

int TextRenderer::lineHeight() const {
    return int(m->face->size->metrics.height >> 6);
}

int TextRenderer::ascent() const {
    return int(m->face->size->metrics.ascender >> 6);
}

int TextRenderer::measure(const std::string& utf8) const {
    long adv = 0;
    for (char32_t cp : decode(utf8))
        if (!FT_Load_Char(m->face, cp, FT_LOAD_DEFAULT)) adv += m->face->glyph->advance.x;
    return int(adv >> 6);
}

void TextRenderer::draw(Image& img, int x, int y, const std::string& utf8, const Rgb& color) const {
    long penX = long(x) << 6;
    for (char32_t cp : decode(utf8)) {
        if (FT_Load_Char(m->face, cp, FT_LOAD_RENDER)) continue;
        const FT_GlyphSlot g = m->face->glyph;
        const FT_Bitmap& bm = g->bitmap;
        const int left = int(penX >> 6) + g->bitmap_left, top = y - g->bitmap_top;
        for (unsigned r = 0; r < bm.rows; ++r)
            for (unsigned c = 0; c < bm.width; ++c) {
                const unsigned char cov = bm.buffer[long(r) * bm.pitch + long(c)];
                if (cov)
                    img.blend(left + int(c), top + int(r), float(color.r), float(color.g), float(color.b),
                              cov / 255.0f);
            }
        penX += g->advance.x;
    }
}

void drawCaption(Image& img, const std::vector<std::string>& lines, const TextRenderer& text) {
    if (lines.empty()) return;
    const int pad = std::max(3, text.lineHeight() / 3);
    int w = 0;
    for (const auto& l : lines)
        w = std::max(w, text.measure(l));
    const int h = int(lines.size()) * text.lineHeight();
    for (int y = pad / 2; y < pad / 2 + h + pad; ++y)
        for (int x = pad / 2; x < pad / 2 + w + 2 * pad; ++x)
            img.blend(x, y, 0.08f, 0.08f, 0.1f, 0.62f);
    int baseline = pad / 2 + pad / 2 + text.ascent();
    for (const auto& l : lines) {
        text.draw(img, pad / 2 + pad, baseline, l, Rgb{0.95, 0.95, 0.96});
        baseline += text.lineHeight();
    }
}

} // namespace ebm::render
