#include <ebm/exporter/palette.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace ebm::exporter {

using render::Image;
using render::Rgb8;

namespace {
using Sample = std::array<std::uint8_t, 3>;

struct Box {
    std::size_t begin = 0, end = 0;
    int channel = 0; // widest channel
    int range = 0;   // its extent
};

Box measure(const std::vector<Sample>& s, std::size_t begin, std::size_t end) {
    Box b{begin, end, 0, 0};
    int lo[3] = {255, 255, 255}, hi[3] = {0, 0, 0};
    for (std::size_t i = begin; i < end; ++i)
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], int(s[i][size_t(k)]));
            hi[k] = std::max(hi[k], int(s[i][size_t(k)]));
        }
    for (int k = 0; k < 3; ++k)
        if (hi[k] - lo[k] > b.range) {
            b.range = hi[k] - lo[k];
            b.channel = k;
        }
    return b;
}
} // namespace

std::vector<Rgb8> medianCutPalette(const std::vector<Image>& frames, int maxColors, std::size_t maxSamples) {
    std::size_t total = 0;
    for (const auto& f : frames)
        total += f.rgb.size() / 3;
    std::vector<Sample> s;
    if (total == 0) return {Rgb8{0, 0, 0}};
    const std::size_t stride = std::max<std::size_t>(1, total / std::max<std::size_t>(1, maxSamples));
    s.reserve(total / stride + frames.size());
    std::size_t k = 0;
    for (const auto& f : frames)
        for (std::size_t p = 0; p < f.rgb.size() / 3; ++p, ++k)
            if (k % stride == 0) s.push_back({f.rgb[3 * p], f.rgb[3 * p + 1], f.rgb[3 * p + 2]});

    std::vector<Box> boxes{measure(s, 0, s.size())};
    maxColors = std::clamp(maxColors, 1, 256);
    while (int(boxes.size()) < maxColors) {
        const bool byCount = int(boxes.size()) < maxColors / 2;
        int best = -1;
        double bestScore = 0;
        for (int i = 0; i < int(boxes.size()); ++i) {
            const Box& b = boxes[size_t(i)];
            if (b.range == 0 || b.end - b.begin < 2) continue;
            const double score = byCount ? double(b.range) * double(b.end - b.begin) : double(b.range);
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        if (best < 0) break; // every box is a single colour
        const Box b = boxes[size_t(best)];
        const std::size_t mid = b.begin + (b.end - b.begin) / 2;
        const int c = b.channel;
        std::nth_element(s.begin() + std::ptrdiff_t(b.begin), s.begin() + std::ptrdiff_t(mid),
                         s.begin() + std::ptrdiff_t(b.end),
                         [c](const Sample& x, const Sample& y) { return x[size_t(c)] < y[size_t(c)]; });
        boxes[size_t(best)] = measure(s, b.begin, mid);
        boxes.push_back(measure(s, mid, b.end));
    }
    std::vector<Rgb8> pal;
    pal.reserve(boxes.size());
    for (const Box& b : boxes) {
        double sum[3] = {0, 0, 0};
        for (std::size_t i = b.begin; i < b.end; ++i)
            for (int c = 0; c < 3; ++c)
                sum[c] += s[i][size_t(c)];
        const double n = double(std::max<std::size_t>(1, b.end - b.begin));
        pal.push_back({std::uint8_t(std::lround(sum[0] / n)), std::uint8_t(std::lround(sum[1] / n)),
                       std::uint8_t(std::lround(sum[2] / n))});
    }
    return pal;
}

PaletteMapper::PaletteMapper(std::vector<Rgb8> palette) : m_palette(std::move(palette)) {
    if (m_palette.empty()) m_palette.push_back({0, 0, 0});
    m_cache.assign(64 * 64 * 64, -1);
}

int PaletteMapper::search(int r, int g, int b) const {
    int best = 0, bestD = 1 << 30;
    for (int i = 0; i < int(m_palette.size()); ++i) {
        const Rgb8& p = m_palette[size_t(i)];
        const int dr = r - p.r, dg = g - p.g, db = b - p.b;
        const int d = dr * dr + dg * dg + db * db;
        if (d < bestD) {
            bestD = d;
            best = i;
        }
    }
    return best;
}

int PaletteMapper::nearest(int r, int g, int b) {
    const std::size_t key = (std::size_t(r >> 2) << 12) | (std::size_t(g >> 2) << 6) | std::size_t(b >> 2);
    std::int16_t& c = m_cache[key];
    if (c < 0) c = std::int16_t(search((r & ~3) | 2, (g & ~3) | 2, (b & ~3) | 2));
    return c;
}

void PaletteMapper::dither(const Image& img, std::vector<std::uint8_t>& out) {
    const int w = img.width, h = img.height;
    out.assign(std::size_t(w) * std::size_t(h), 0);
    // Error rows with one pixel of margin on each side.
    std::vector<float> cur(std::size_t(w + 2) * 3, 0.0f), next(std::size_t(w + 2) * 3, 0.0f);
    for (int y = 0; y < h; ++y) {
        std::fill(next.begin(), next.end(), 0.0f);
        const bool ltr = (y % 2) == 0;
        const int dir = ltr ? 1 : -1;
        for (int i = 0; i < w; ++i) {
            const int x = ltr ? i : w - 1 - i;
            const std::uint8_t* p = img.pixel(x, y);
            float v[3];
            int q[3];
            for (int k = 0; k < 3; ++k) {
                v[k] = std::clamp(p[k] + cur[std::size_t(x + 1) * 3 + k], 0.0f, 255.0f);
                q[k] = int(std::lround(v[k]));
            }
            const int idx = nearest(q[0], q[1], q[2]);
            out[std::size_t(y) * w + x] = std::uint8_t(idx);
            const Rgb8& c = m_palette[size_t(idx)];
            const float e[3] = {v[0] - c.r, v[1] - c.g, v[2] - c.b};
            for (int k = 0; k < 3; ++k) {
                cur[std::size_t(x + 1 + dir) * 3 + k] += e[k] * (7.0f / 16);
                next[std::size_t(x + 1 - dir) * 3 + k] += e[k] * (3.0f / 16);
                next[std::size_t(x + 1) * 3 + k] += e[k] * (5.0f / 16);
                next[std::size_t(x + 1 + dir) * 3 + k] += e[k] * (1.0f / 16);
            }
        }
        std::swap(cur, next);
    }
}

} // namespace ebm::exporter
