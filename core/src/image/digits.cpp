// Digits from stroke skeletons. A skeleton is a list of polylines in a unit glyph box (x right, y down,
// the digit spanning about [0.26, 0.74] x [0.17, 0.83]); arcs are sampled into polylines. Each image
// jitters the points, maps them by a random affine transform into pixel space and draws every segment as
// a thick anti-aliased stroke: coverage = clamp(halfWidth + 0.5 − distance, 0, 1) per pixel centre.
#include <ebm/core/digits.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace ebm::core {

namespace {
struct Pt {
    double x, y;
};
using Polyline = std::vector<Pt>;
using Skeleton = std::vector<Polyline>;

constexpr double kPi = 3.14159265358979323846;

// Arc around (cx, cy) with radii (rx, ry) from angle a0 to a1 in degrees (y down: 90° is the bottom).
Polyline arc(double cx, double cy, double rx, double ry, double a0, double a1, int pieces = 0) {
    if (pieces <= 0) pieces = std::max(4, int(std::abs(a1 - a0) / 15.0));
    Polyline p;
    for (int i = 0; i <= pieces; ++i) {
        const double a = (a0 + (a1 - a0) * i / pieces) * kPi / 180.0;
        p.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
    }
    return p;
}

Polyline join(Polyline a, const Polyline& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The styles of each digit (a skeleton per style).
std::vector<std::vector<Skeleton>> digitStyles() {
    std::vector<std::vector<Skeleton>> s(10);
    s[0] = {{arc(0.5, 0.5, 0.22, 0.33, 0, 360)}, {arc(0.5, 0.5, 0.18, 0.33, -80, 280)}};
    s[1] = {{{{0.52, 0.17}, {0.52, 0.83}}},
            {{{0.38, 0.3}, {0.52, 0.17}, {0.52, 0.83}}},
            {{{0.38, 0.3}, {0.52, 0.17}, {0.52, 0.83}}, {{0.38, 0.83}, {0.66, 0.83}}}};
    s[2] = {{join(arc(0.5, 0.36, 0.21, 0.19, 190, 370), {{0.66, 0.5}, {0.27, 0.83}, {0.75, 0.83}})},
            {join(arc(0.5, 0.35, 0.2, 0.18, 200, 380), {{0.3, 0.82}, {0.42, 0.76}, {0.75, 0.83}})}};
    s[3] = {{arc(0.48, 0.33, 0.19, 0.16, 200, 450), arc(0.48, 0.66, 0.21, 0.17, 270, 520)},
            {{{0.28, 0.17}, {0.7, 0.17}, {0.46, 0.45}}, arc(0.48, 0.64, 0.22, 0.19, 250, 520)}};
    s[4] = {{{{0.63, 0.83}, {0.63, 0.17}, {0.25, 0.62}, {0.77, 0.62}}},
            {{{0.32, 0.17}, {0.28, 0.6}, {0.77, 0.6}}, {{0.63, 0.3}, {0.63, 0.83}}}};
    s[5] = {{join({{0.7, 0.17}, {0.34, 0.17}, {0.31, 0.47}}, arc(0.48, 0.63, 0.22, 0.2, 225, 515))},
            {{{0.72, 0.17}, {0.36, 0.17}},
             join({{0.36, 0.17}, {0.32, 0.46}}, arc(0.5, 0.63, 0.2, 0.2, 235, 500))}};
    s[6] = {{join({{0.66, 0.17}, {0.46, 0.29}, {0.34, 0.48}}, arc(0.5, 0.64, 0.19, 0.19, 190, 550))},
            {join(arc(0.62, 0.58, 0.32, 0.41, 250, 180), arc(0.5, 0.64, 0.19, 0.19, 180, 540))}};
    s[7] = {{{{0.26, 0.17}, {0.74, 0.17}, {0.42, 0.83}}},
            {{{0.26, 0.17}, {0.74, 0.17}, {0.44, 0.83}}, {{0.38, 0.5}, {0.66, 0.5}}},
            {{{0.26, 0.24}, {0.27, 0.17}, {0.74, 0.17}, {0.5, 0.55}, {0.46, 0.83}}}};
    s[8] = {{arc(0.5, 0.33, 0.16, 0.16, 0, 360), arc(0.5, 0.66, 0.19, 0.17, -90, 270)},
            {arc(0.5, 0.34, 0.18, 0.17, 90, 450), arc(0.5, 0.66, 0.2, 0.17, -90, 270)}};
    s[9] = {{arc(0.49, 0.36, 0.2, 0.19, 0, 360), {{0.69, 0.36}, {0.6, 0.83}}},
            {arc(0.49, 0.35, 0.2, 0.18, 0, 360),
             join({{0.69, 0.35}, {0.68, 0.62}}, arc(0.5, 0.62, 0.18, 0.21, 0, 120))}};
    return s;
}

double segmentDistance2(double px, double py, const Pt& a, const Pt& b) {
    const double vx = b.x - a.x, vy = b.y - a.y;
    const double wx = px - a.x, wy = py - a.y;
    const double l2 = vx * vx + vy * vy;
    const double t = l2 > 0 ? std::clamp((wx * vx + wy * vy) / l2, 0.0, 1.0) : 0.0;
    const double dx = wx - t * vx, dy = wy - t * vy;
    return dx * dx + dy * dy;
}

void drawDigit(const Skeleton& sk, const DigitOptions& o, Rng& rng, float* out) {
    const int n = o.size;
    const double unit = n / 16.0; // options are in pixels of a 16 x 16 image
    std::uniform_real_distribution<double> u(-1.0, 1.0), u01(0.0, 1.0);
    const double scale = o.minScale + (o.maxScale - o.minScale) * u01(rng);
    const double aspect = 1.0 + 0.08 * u(rng);
    const double rot = o.maxRotation * u(rng);
    const double shear = o.maxShear * u(rng);
    const double sx = o.maxShift * unit * u(rng), sy = o.maxShift * unit * u(rng);
    const double half = 0.5 * unit * (o.minStroke + (o.maxStroke - o.minStroke) * u01(rng));
    const double c = std::cos(rot), s = std::sin(rot);
    // Glyph box → pixels: centre, shear, scale, rotate, shift.
    auto map = [&](Pt p) {
        const double x0 = (p.x - 0.5 + o.jitter * u(rng)), y0 = (p.y - 0.5 + o.jitter * u(rng));
        const double xs = (x0 + shear * y0) * scale * aspect * n, ys = y0 * scale * n;
        return Pt{0.5 * n + c * xs - s * ys + sx, 0.5 * n + s * xs + c * ys + sy};
    };
    std::vector<std::pair<Pt, Pt>> segs;
    for (const Polyline& line : sk) {
        Pt prev = map(line.front());
        for (size_t i = 1; i < line.size(); ++i) {
            const Pt next = map(line[i]);
            segs.push_back({prev, next});
            prev = next;
        }
    }
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            double d2 = 1e30;
            for (const auto& [a, b] : segs)
                d2 = std::min(d2, segmentDistance2(x + 0.5, y + 0.5, a, b));
            out[y * n + x] = float(std::clamp(half + 0.5 - std::sqrt(d2), 0.0, 1.0));
        }
}
} // namespace

void DigitOptions::validate() const {
    if (size < 8 || size > 64)
        throw InvalidArgument("digit image size must be in 8..64, got " + std::to_string(size));
    if (count < 1 || count > 1'000'000)
        throw InvalidArgument("digit count must be in 1..1000000, got " + std::to_string(count));
    const bool ok = std::isfinite(maxShift) && maxShift >= 0 && minScale > 0 && maxScale >= minScale &&
                    maxScale < 4 && std::isfinite(maxRotation) && maxRotation >= 0 &&
                    std::isfinite(maxShear) && maxShear >= 0 && minStroke > 0 && maxStroke >= minStroke &&
                    maxStroke < 16 && std::isfinite(jitter) && jitter >= 0 && jitter < 0.5f;
    if (!ok)
        throw InvalidArgument(
            "digit options: shift, rotation, shear and jitter must be >= 0, scale and stroke "
            "ranges positive with min <= max");
}

ImageSet makeDigits(const DigitOptions& o) {
    o.validate();
    static const std::vector<std::vector<Skeleton>> styles = digitStyles();
    ImageSet set;
    set.width = set.height = o.size;
    set.pixels.resize(Index(o.size) * o.size, o.count);
    set.labels.resize(size_t(o.count));
    for (int k = 0; k < 10; ++k)
        set.classNames.push_back(std::to_string(k));
    Rng rng(o.seed);
    for (Index i = 0; i < o.count; ++i) {
        const int digit = int(i % 10);
        const auto& st = styles[digit];
        const size_t style = std::uniform_int_distribution<size_t>(0, st.size() - 1)(rng);
        set.labels[size_t(i)] = digit;
        drawDigit(st[style], o, rng, set.pixels.col(i).data());
    }
    return set;
}

} // namespace ebm::core
