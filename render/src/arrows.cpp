#include <ebm/render/arrows.h>

#include <algorithm>
#include <cmath>

namespace ebm::render {

float arrowReference(const core::Matf& vec, double q) {
    std::vector<float> m;
    m.reserve(size_t(vec.cols()));
    for (core::Index j = 0; j < vec.cols(); ++j) {
        const float v = vec.col(j).norm();
        if (std::isfinite(v)) m.push_back(v);
    }
    if (m.empty()) return 1;
    const size_t k = std::min(m.size() - 1, size_t(q * double(m.size() - 1)));
    std::nth_element(m.begin(), m.begin() + std::ptrdiff_t(k), m.end());
    return std::max(m[k], 1e-12f);
}

void appendArrows(const core::Box& box, int nx, int ny, const core::Matf& pos, const core::Matf& vec,
                  float reference, std::vector<float>& out) {
    if (nx == 0 || ny == 0 || vec.cols() == 0) return;
    const float cell = float(std::min(box.width() / nx, box.height() / ny));
    const float c = std::cos(0.45f), s = std::sin(0.45f);
    for (core::Index j = 0; j < vec.cols(); ++j) {
        const float vx = vec(0, j), vy = vec(1, j);
        const float m = std::sqrt(vx * vx + vy * vy);
        if (!std::isfinite(m) || m < 1e-12f) continue;
        const float rel = std::min(1.0f, m / reference);
        // sqrt keeps weak arrows visible without letting strong ones cross their neighbours.
        const float len = 0.9f * cell * std::sqrt(rel);
        const float ux = vx / m, uy = vy / m;
        const float x0 = pos(0, j) - 0.5f * len * ux, y0 = pos(1, j) - 0.5f * len * uy;
        const float x1 = x0 + len * ux, y1 = y0 + len * uy;
        const float h = 0.35f * len;
        const float lx = -(ux * c - uy * s) * h, ly = -(ux * s + uy * c) * h;
        const float rx = -(ux * c + uy * s) * h, ry = -(-ux * s + uy * c) * h;
        const float seg[18] = {x0,      y0,      rel, x1, y1, rel, x1,      y1,      rel,
                               x1 + lx, y1 + ly, rel, x1, y1, rel, x1 + rx, y1 + ry, rel};
        out.insert(out.end(), seg, seg + 18);
    }
}

namespace {
// One pixel per step along the major axis at the pixel centres the segment crosses (like GL's
// diamond-exit rule for one-pixel lines, without the end-point subtleties).
void line(Image& img, double ax, double ay, double bx, double by, const Rgb& col, float a) {
    const bool steep = std::abs(by - ay) > std::abs(bx - ax);
    if (steep) {
        std::swap(ax, ay);
        std::swap(bx, by);
    }
    if (ax > bx) {
        std::swap(ax, bx);
        std::swap(ay, by);
    }
    const int i0 = int(std::ceil(ax - 0.5)), i1 = int(std::ceil(bx - 0.5)) - 1;
    const double slope = bx > ax ? (by - ay) / (bx - ax) : 0;
    for (int i = i0; i <= i1; ++i) {
        const double c = i + 0.5, m = ay + (c - ax) * slope;
        const int j = int(std::floor(m));
        if (steep)
            img.blend(j, i, float(col.r), float(col.g), float(col.b), a);
        else
            img.blend(i, j, float(col.r), float(col.g), float(col.b), a);
    }
}
} // namespace

void drawArrows(Image& img, const core::Box& view, const std::vector<float>& seg, const Rgb& color) {
    const double sx = img.width / view.width(), sy = img.height / view.height();
    for (size_t k = 0; k + 6 <= seg.size(); k += 6) {
        const double ax = (seg[k] - view.x0) * sx, ay = (view.y1 - seg[k + 1]) * sy;
        const double bx = (seg[k + 3] - view.x0) * sx, by = (view.y1 - seg[k + 4]) * sy;
        const float mag = std::clamp(seg[k + 2], 0.0f, 1.0f);
        line(img, ax, ay, bx, by, color, 0.35f + 0.65f * std::sqrt(mag));
    }
}

} // namespace ebm::render
