#include <ebm/render/particles.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ebm::render {

Rgb8 pointColor(PointSet s, bool nce) {
    switch (s) {
    case PointSet::Data:
        return {255, 140, 26};
    case PointSet::MethodSamples:
        return nce ? Rgb8{140, 215, 255} : Rgb8{242, 64, 153};
    case PointSet::Particles:
        return {245, 245, 255};
    }
    return {255, 255, 255};
}

namespace {
using Counts = std::vector<std::uint32_t>;

// Calls fn(pixel index, dx, dy) for every pixel of each point's (2r+1)^2 square inside the w x h image,
// (dx, dy) its offset from the point's pixel; the pixel a point falls in is splat.comp's.
template <class Fn>
void forEachSquarePixel(int w, int h, const core::Box& view, const core::Matf& pts, int radius, Fn fn) {
    for (core::Index j = 0; j < pts.cols(); ++j) {
        const double tx = (pts(0, j) - view.x0) / view.width(), ty = (pts(1, j) - view.y0) / view.height();
        if (!std::isfinite(tx) || !std::isfinite(ty)) continue;
        const double fx = std::floor(tx * w), fy = std::floor(ty * h);
        if (fx < -radius - 1 || fy < -radius - 1 || fx > w + radius || fy > h + radius) continue;
        const int cx = int(fx), cy = int(fy); // GL pixel coordinates: y up
        for (int dy = -radius; dy <= radius; ++dy)
            for (int dx = -radius; dx <= radius; ++dx) {
                const int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= w || y >= h) continue;
                fn(std::size_t(h - 1 - y) * w + x, dx, dy); // image rows run top to bottom
            }
    }
}

// splat.comp for one slot of one set: newest slot a (2r+1)^2 footprint with half weight off-centre.
void splat(Counts& counts, int w, int h, const core::Box& view, const core::Matf& pts, std::uint32_t weight,
           int radius) {
    forEachSquarePixel(w, h, view, pts, radius, [&](std::size_t i, int dx, int dy) {
        counts[i] += (dx == 0 && dy == 0) ? weight : weight / 2;
    });
}
} // namespace

void drawPoints(Image& img, const core::Box& view, const PointLayers& layers) {
    const int w = img.width, h = img.height;
    if (w <= 0 || h <= 0) return;
    const std::size_t n = std::size_t(w) * h;
    Counts counts[kPointSetCount] = {Counts(n, 0), Counts(n, 0), Counts(n, 0)};
    splat(counts[0], w, h, view, layers.data, 512, 1);
    splat(counts[1], w, h, view, layers.methodSamples, 512, 1);
    const int slots = kTrailSlots;
    const int kept = std::min<int>(int(layers.particles.size()), slots);
    for (int age = kept - 1; age >= 0; --age) {
        const std::uint32_t weight = 256;
        const std::uint32_t wt =
            age == 0 ? weight
                     : std::max<std::uint32_t>(1u, (weight * std::uint32_t(slots - age)) / (3u * slots));
        splat(counts[2], w, h, view, layers.particles[size_t(age)], wt, age == 0 ? 1 : 0);
    }
    const float gain[kPointSetCount] = {1.2f / 256, 1.2f / 256, 0.9f / 256};
    float col[kPointSetCount][3];
    for (int l = 0; l < kPointSetCount; ++l) {
        const Rgb8 c = pointColor(PointSet(l), layers.nce);
        col[l][0] = c.r / 255.0f;
        col[l][1] = c.g / 255.0f;
        col[l][2] = c.b / 255.0f;
    }
    // splat.comp's ring around each live particle's newest footprint, where splat_composite.frag draws
    // their rim (a pixel of it that the particles barely cover).
    Counts ring(n, 0);
    if (kept > 0)
        forEachSquarePixel(w, h, view, layers.particles.front(), 2, [&](std::size_t i, int dx, int dy) {
            if (std::max(std::abs(dx), std::abs(dy)) == 2) ring[i] = 1;
        });
    const Counts& live = counts[int(PointSet::Particles)];
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * w + x;
            float c[3] = {0, 0, 0}, a = 0;
            for (int l = 0; l < kPointSetCount; ++l) {
                if (l == int(PointSet::Particles) && ring[i] && live[i] < kParticleRimThreshold) {
                    for (float& v : c)
                        v *= 1 - kParticleRimAlpha;
                    a = kParticleRimAlpha + a * (1 - kParticleRimAlpha);
                }
                const float al = 1.0f - std::exp(-float(counts[l][i]) * gain[l]);
                for (int k = 0; k < 3; ++k)
                    c[k] = col[l][k] * al + c[k] * (1 - al);
                a = al + a * (1 - al);
            }
            if (a <= 0) continue;
            std::uint8_t* p = img.pixel(x, y);
            for (int k = 0; k < 3; ++k)
                p[k] = std::uint8_t(std::clamp(std::lround(c[k] * 255.0f + p[k] * (1 - a)), 0L, 255L));
        }
}

} // namespace ebm::render
