#include <ebm/render/legend.h>

#include <ebm/render/arrows.h>
#include <ebm/render/particles.h>
#include <ebm/render/scene.h>

#include <algorithm>
#include <cmath>

namespace ebm::render {

std::vector<LegendRow> legendRows(const LegendContent& c) {
    std::vector<LegendRow> rows;
    if (c.particles)
        rows.push_back({LegendGlyph::Dot, pointColor(PointSet::Particles, false), "live particles"});
    if (c.data) rows.push_back({LegendGlyph::Dot, pointColor(PointSet::Data, false), "data batch x\u207A"});
    if (c.negatives)
        rows.push_back(
            {LegendGlyph::Dot, pointColor(PointSet::MethodSamples, false), "MCMC negatives x\u207B"});
    if (c.noise)
        rows.push_back({LegendGlyph::Dot, pointColor(PointSet::MethodSamples, true), "noise samples"});
    if (c.noiseBoundary)
        rows.push_back({LegendGlyph::Line, toRgb8(kBoundaryColor), "decision boundary (model = noise)"});
    if (c.modelScore)
        rows.push_back({LegendGlyph::Arrow, toRgb8(kModelArrowColor), "model score \u2212\u03B2\u2207E"});
    if (c.targetScore)
        rows.push_back({LegendGlyph::Arrow, toRgb8(kTargetArrowColor), "target score \u2207log p"});
    return rows;
}

LegendContent legendContent(const Scene& s) {
    LegendContent c;
    c.particles = !s.points.particles.empty() && s.points.particles.front().cols() > 0;
    c.data = s.points.data.cols() > 0;
    c.negatives = s.points.methodSamples.cols() > 0 && !s.points.nce;
    c.noise = s.points.methodSamples.cols() > 0 && s.points.nce;
    c.noiseBoundary = !s.nceLogit.empty();
    c.modelScore = s.arrowVec.cols() > 0;
    c.targetScore = s.targetArrowVec.cols() > 0;
    return c;
}

namespace {
// Distance from (px, py) to the segment a–b.
double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    const double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    const double t = l2 > 0 ? std::clamp(((px - ax) * dx + (py - ay) * dy) / l2, 0.0, 1.0) : 0.0;
    return std::hypot(px - (ax + t * dx), py - (ay + t * dy));
}
} // namespace

void drawLegendGlyph(Image& img, int x, int y, int size, LegendGlyph g, Rgb8 color) {
    const double cx = x + size / 2.0, cy = y + size / 2.0;
    const double width = std::max(1.2, size / 9.0); // stroke width
    // Segments (x0, y0, x1, y1) of the glyph, or a disc for a dot.
    std::vector<double> seg;
    const double l = x + size * 0.08, r = x + size * 0.92, h = size * 0.3;
    if (g == LegendGlyph::Arrow) {
        seg = {l, cy, r, cy, r, cy, r - h, cy - h, r, cy, r - h, cy + h};
    } else if (g == LegendGlyph::Line) {
        seg = {l, cy, r, cy};
    }
    const double lineWidth = g == LegendGlyph::Line ? width * 1.8 : width;
    const double radius = size * 0.26;
    for (int py = y; py < y + size; ++py)
        for (int px = x; px < x + size; ++px) {
            const double sx = px + 0.5, sy = py + 0.5;
            double cover = 0;
            if (g == LegendGlyph::Dot) {
                cover = std::clamp(radius + 0.5 - std::hypot(sx - cx, sy - cy), 0.0, 1.0);
            } else {
                double d = 1e9;
                for (size_t k = 0; k + 3 < seg.size(); k += 4)
                    d = std::min(d, segmentDistance(sx, sy, seg[k], seg[k + 1], seg[k + 2], seg[k + 3]));
                cover = std::clamp(lineWidth / 2 + 0.5 - d, 0.0, 1.0);
            }
            if (cover > 0)
                img.blend(px, py, color.r / 255.0f, color.g / 255.0f, color.b / 255.0f, float(cover));
        }
}

std::string fieldLabel(FieldKind f, Quantity q) {
    switch (f) {
    case FieldKind::Difference:
        return "log-density, model \u2212 target [nats]";
    case FieldKind::ScoreError:
        return "score error \u2016\u2212\u2207E \u2212 \u2207log p\u2016\u00B2 (Fisher integrand)";
    case FieldKind::Model:
    case FieldKind::Target:
        break;
    }
    const bool target = f == FieldKind::Target;
    const std::string who = target ? "target" : "model";
    switch (q) {
    case Quantity::Energy:
        return target ? "target energy \u2212log p(x)" : "model energy E(x)";
    case Quantity::UnnormalisedDensity:
        return who + " exp(\u2212\u03B2(E \u2212 min E))";
    case Quantity::Density:
        return who + " density p(x)";
    case Quantity::LogDensity:
        return who + " log-density log p(x)";
    }
    return who;
}

} // namespace ebm::render
