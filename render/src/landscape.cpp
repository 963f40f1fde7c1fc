#include <ebm/render/landscape.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ebm::render {

float contourCoverage(float f, float perPixel, float bottom, float top) {
    if (!std::isfinite(f) || !std::isfinite(perPixel)) return 0;
    float cover = 0;
    float every = 1;
    for (int tier = 0; tier < 3; ++tier, every *= 5) {
        const float g = f / every, gw = perPixel / every;
        const float level = std::floor(g + 0.5f);
        // Iso-lines only at the colour bar's levels above its bottom: a density never reaches its lower
        // end 0 (the line-distance estimate would paint the whole near-zero region as "on" it), and past
        // the top the colours saturate and lines would only hatch the saturated area.
        if (level * every <= bottom + 1e-3f || level * every > top + 1e-3f) continue;
        const float d = std::abs(g - level) / std::max(gw, 1e-6f); // pixels to the nearest line
        const float line = 1 - std::clamp(d, 0.0f, 1.0f);
        // Lines closer than 6 px fade, and are gone at 3 px: where levels crowd, only every 5th (then
        // every 25th) is left, so steep slopes thin out instead of filling with white.
        const float t = std::clamp((gw - 1.0f / 6) / (1.0f / 3 - 1.0f / 6), 0.0f, 1.0f);
        const float fade = 1 - t * t * (3 - 2 * t);
        cover = std::max(cover, line * fade);
    }
    return cover;
}

float ScalarField::sample(double x, double y) const {
    if (empty()) return 0;
    const double fx = (x - box.x0) / box.width() * nx - 0.5, fy = (y - box.y0) / box.height() * ny - 0.5;
    const double cx = std::clamp(fx, 0.0, double(nx - 1)), cy = std::clamp(fy, 0.0, double(ny - 1));
    const int ix = std::min(int(cx), nx - 1), iy = std::min(int(cy), ny - 1);
    const int ix1 = std::min(ix + 1, nx - 1), iy1 = std::min(iy + 1, ny - 1);
    const double tx = cx - ix, ty = cy - iy;
    const double a = (1 - tx) * values(iy, ix) + tx * values(iy, ix1);
    const double b = (1 - tx) * values(iy1, ix) + tx * values(iy1, ix1);
    return float((1 - ty) * a + ty * b);
}

double pixelToDataX(const core::Box& view, int width, double px) {
    return view.x0 + (px + 0.5) / width * view.width();
}

double pixelToDataY(const core::Box& view, int height, double py) {
    return view.y1 - (py + 0.5) / height * view.height();
}

void drawLandscape(Image& img, const core::Box& view, const ScalarField& energy, const LandscapeStyle& s,
                   const ScalarField* boundary) {
    const int w = img.width, h = img.height;
    if (w <= 0 || h <= 0) return;
    std::vector<float> v(std::size_t(w) * std::size_t(h));
    for (int y = 0; y < h; ++y) {
        const double dy = pixelToDataY(view, h, y);
        for (int x = 0; x < w; ++x)
            v[std::size_t(y) * w + x] =
                displayedValue(energy.sample(pixelToDataX(view, w, x), dy), s.quantity, s.range);
    }
    std::vector<float> b;
    if (boundary && !boundary->empty()) {
        b.resize(v.size());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x)
                b[std::size_t(y) * w + x] =
                    boundary->sample(pixelToDataX(view, w, x), pixelToDataY(view, h, y));
    }
    const float span = std::max(s.range.hi - s.range.lo, 1e-20f);
    const bool contours = s.contours && s.range.contourStep > 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const float val = v[std::size_t(y) * w + x];
            const double t = std::clamp((val - s.range.lo) / span, 0.0f, 1.0f);
            Rgb c = colorLookup(s.colorMap, t);
            if (contours) {
                // The gradient of the level index per pixel, from the neighbouring pixels (forward
                // differences, backward at the last one), like the shader's dFdx / dFdy.
                const int xn = x + 1 < w ? x + 1 : x - 1, yn = y + 1 < h ? y + 1 : y - 1;
                const float f = val / s.range.contourStep;
                const float fx = xn >= 0 ? v[std::size_t(y) * w + xn] / s.range.contourStep - f : 0.0f;
                const float fy = yn >= 0 ? v[std::size_t(yn) * w + x] / s.range.contourStep - f : 0.0f;
                const double k = contourCoverage(f, std::hypot(fx, fy), s.range.lo / s.range.contourStep,
                                                 s.range.hi / s.range.contourStep) *
                                 kContourWhite;
                c = {c.r + (1 - c.r) * k, c.g + (1 - c.g) * k, c.b + (1 - c.b) * k};
            }
            if (!b.empty()) {
                const int xn = x + 1 < w ? x + 1 : x - 1, yn = y + 1 < h ? y + 1 : y - 1;
                const float hv = b[std::size_t(y) * w + x];
                const float fw = (xn >= 0 ? std::abs(b[std::size_t(y) * w + xn] - hv) : 0.0f) +
                                 (yn >= 0 ? std::abs(b[std::size_t(yn) * w + x] - hv) : 0.0f);
                const double k = 1.0 - std::clamp(std::abs(hv) / std::max(fw, 1e-6f) - 0.75f, 0.0f, 1.0f);
                c = {c.r + (1.0 - c.r) * k, c.g + (0.35 - c.g) * k, c.b + (0.3 - c.b) * k};
            }
            const Rgb8 q = toRgb8(c);
            std::uint8_t* p = img.pixel(x, y);
            p[0] = q.r;
            p[1] = q.g;
            p[2] = q.b;
        }
}

} // namespace ebm::render
