#include <ebm/render/figure.h>

#include <ebm/core/objective.h>
#include <ebm/render/arrows.h>
#include <ebm/render/particles.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ebm::render {

namespace {
const std::string kSeparator = "  \xC2\xB7  "; // "  ·  " between caption parts on one line
const std::string kXName = "x\xE2\x82\x81";    // x₁
const std::string kYName = "x\xE2\x82\x82";    // x₂
const std::string kWidestBarLabel = "\xE2\x88\x92"
                                    "00.000"; // the colour bar's label column width

void fill(Image& img, const Rect& r, const Rgb& c) {
    const Rgb8 q = toRgb8(c);
    for (int y = std::max(0, r.y); y < std::min(img.height, r.bottom()); ++y)
        for (int x = std::max(0, r.x); x < std::min(img.width, r.right()); ++x) {
            std::uint8_t* p = img.pixel(x, y);
            p[0] = q.r;
            p[1] = q.g;
            p[2] = q.b;
        }
}

// An anti-aliased-free one-pixel line between integer points (Bresenham), blended with alpha a.
void line(Image& img, int x0, int y0, int x1, int y1, const Rgb& c, float a = 1.0f) {
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0);
    const int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        img.blend(x0, y0, float(c.r), float(c.g), float(c.b), a);
        if (x0 == x1 && y0 == y1) break;
        const int e2 = 2 * err;
        if (e2 >= dy) err += dy, x0 += sx;
        if (e2 <= dx) err += dx, y0 += sy;
    }
}

// Text rotated a quarter turn clockwise (reading downwards), centred on (cx, cy).
void drawVertical(Image& img, int cx, int cy, const std::string& s, const TextRenderer& t, const Rgb& c) {
    const int w = t.measure(s), h = t.lineHeight();
    if (w <= 0 || h <= 0) return;
    Image mask(w, h); // white text on black: the red channel is the coverage
    t.draw(mask, 0, t.ascent(), s, Rgb{1, 1, 1});
    for (int ty = 0; ty < h; ++ty)
        for (int tx = 0; tx < w; ++tx) {
            const std::uint8_t cov = mask.pixel(tx, ty)[0];
            if (cov)
                img.blend(cx + h / 2 - 1 - ty, cy - w / 2 + tx, float(c.r), float(c.g), float(c.b),
                          cov / 255.0f);
        }
}

// The caption parts joined on lines no wider than maxWidth (breaking only between parts).
std::vector<std::string> wrapCaption(const std::vector<std::string>& parts, const TextRenderer& t,
                                     int maxWidth) {
    std::vector<std::string> lines;
    for (const std::string& p : parts) {
        if (!lines.empty() && t.measure(lines.back() + kSeparator + p) <= maxWidth)
            lines.back() += kSeparator + p;
        else
            lines.push_back(p);
    }
    return lines;
}

struct LegendItem {
    const LegendRow* entry;
    int x, row, width;
};

int glyphWidth(const TextRenderer& t) {
    return std::max(12, t.lineHeight() * 5 / 4);
}

// Legend entries flowed into rows of at most maxWidth pixels, each row centred in [0, frameWidth).
std::vector<LegendItem> flowLegend(const std::vector<LegendRow>& entries, const TextRenderer& t,
                                   int frameWidth, int maxWidth, int* rowCount) {
    std::vector<LegendItem> items;
    const int gw = glyphWidth(t), gap = t.lineHeight();
    int row = 0, x = 0;
    std::vector<int> rowWidth{0};
    for (const LegendRow& e : entries) {
        const int w = gw + 5 + t.measure(e.text);
        if (x > 0 && x + gap + w > maxWidth) {
            ++row;
            x = 0;
            rowWidth.push_back(0);
        }
        if (x > 0) x += gap;
        items.push_back({&e, x, row, w});
        x += w;
        rowWidth.back() = x;
    }
    for (LegendItem& it : items)
        it.x += std::max(0, (frameWidth - rowWidth[size_t(it.row)]) / 2);
    *rowCount = items.empty() ? 0 : row + 1;
    return items;
}

// Bilinear resampling of src into the rectangle r of dst (a copy when the sizes agree).
void blit(Image& dst, const Image& src, const Rect& r) {
    if (src.empty() || r.empty()) return;
    if (src.width == r.w && src.height == r.h) {
        for (int y = 0; y < r.h; ++y)
            if (dst.contains(r.x, r.y + y) && dst.contains(r.right() - 1, r.y + y))
                std::copy_n(src.pixel(0, y), size_t(r.w) * 3, dst.pixel(r.x, r.y + y));
        return;
    }
    const double sx = double(src.width) / r.w, sy = double(src.height) / r.h;
    for (int y = 0; y < r.h; ++y) {
        const double fy = std::clamp((y + 0.5) * sy - 0.5, 0.0, src.height - 1.0);
        const int y0 = int(fy), y1 = std::min(y0 + 1, src.height - 1);
        const double wy = fy - y0;
        for (int x = 0; x < r.w; ++x) {
            if (!dst.contains(r.x + x, r.y + y)) continue;
            const double fx = std::clamp((x + 0.5) * sx - 0.5, 0.0, src.width - 1.0);
            const int x0 = int(fx), x1 = std::min(x0 + 1, src.width - 1);
            const double wx = fx - x0;
            std::uint8_t* d = dst.pixel(r.x + x, r.y + y);
            for (int k = 0; k < 3; ++k) {
                const double v = (1 - wy) * ((1 - wx) * src.pixel(x0, y0)[k] + wx * src.pixel(x1, y0)[k]) +
                                 wy * ((1 - wx) * src.pixel(x0, y1)[k] + wx * src.pixel(x1, y1)[k]);
                d[k] = std::uint8_t(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
}

// The box grown on one axis so that a w x h plot shows it with equal scales (like the window's view).
core::Box fitBox(const core::Box& b, int w, int h) {
    core::Box out = b;
    const double upp = std::max(b.width() / std::max(1, w), b.height() / std::max(1, h));
    const double cx = 0.5 * (b.x0 + b.x1), cy = 0.5 * (b.y0 + b.y1);
    out.x0 = cx - 0.5 * upp * w;
    out.x1 = cx + 0.5 * upp * w;
    out.y0 = cy - 0.5 * upp * h;
    out.y1 = cy + 0.5 * upp * h;
    return out;
}

// The geometry every decorated layout shares, from the label font.
struct Metrics {
    int lh, asc, pad, tick, barGap, barW, barLabW;
    explicit Metrics(const TextRenderer& t)
        : lh(t.lineHeight()), asc(t.ascent()), pad(std::max(4, t.lineHeight() / 3)),
          tick(std::max(3, t.lineHeight() / 4)), barGap(std::max(8, t.lineHeight() * 2 / 3)),
          barW(std::max(10, t.lineHeight() * 2 / 3)), barLabW(t.measure(kWidestBarLabel)) {}
};

int xTickTarget(int plotWidth, int lh) {
    return std::max(2, plotWidth / std::max(60, lh * 5));
}
int yTickTarget(int plotHeight, int lh) {
    return std::max(2, plotHeight / std::max(45, lh * 3));
}
} // namespace

FigureFonts::FigureFonts(int width, int height, const std::string& fontPath)
    : m_labelPx(std::clamp(std::min(width, height) / 40, 10, 40)) {
    const int captionPx = std::clamp(std::min(height / 28, width / 36), std::max(11, m_labelPx), 56);
    m_label = std::make_unique<TextRenderer>(fontPath, m_labelPx);
    m_caption = std::make_unique<TextRenderer>(fontPath, captionPx);
}

std::vector<double> niceTicks(double lo, double hi, int target) {
    std::vector<double> ticks;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
    const double raw = (hi - lo) / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / mag;
    const double step = mag * (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10);
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1)
        ticks.push_back(std::abs(k) < 0.5 ? 0.0 : k * step);
    return ticks;
}

std::string tickLabel(double v, double spacing) {
    char buf[48];
    if (std::abs(v) >= 1e4 || (std::abs(v) < 1e-3 && v != 0)) {
        std::snprintf(buf, sizeof buf, "%.3g", v);
    } else {
        const int decimals = spacing >= 1 ? 0 : int(std::ceil(-std::log10(spacing) - 1e-9));
        std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 6), v);
    }
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos) return s[0] == '-' ? s.substr(1) : s; // "-0.0"
    if (!s.empty() && s[0] == '-') s = "\xE2\x88\x92" + s.substr(1);                           // U+2212
    return s;
}

std::vector<LegendRow> legendFor(const std::string& method, const Layers& l) {
    const core::ObjectiveInfo& m = core::objective(method).info();
    const bool sm = m.family == core::Family::ScoreMatching;
    const bool nce = m.needs.noise;
    LegendContent c;
    c.particles = l.particles;
    c.data = l.data;
    c.negatives = l.method && m.needs.negatives;
    c.noise = l.method && nce;
    c.noiseBoundary = l.method && nce && l.landscape;
    c.modelScore = l.arrows;
    c.targetScore = l.arrows && l.method && sm;
    return legendRows(c);
}

FigureLayout figureLayout(int width, int height, const FigureSpec& spec, const FigureFonts* fonts,
                          bool fitView) {
    FigureLayout L;
    L.width = width;
    L.height = height;
    L.plot = {0, 0, width, height};
    L.view = spec.view;
    if (!spec.decorations || !fonts) return L;
    const TextRenderer& lab = fonts->label();
    const Metrics m(lab);
    const TextRenderer& cap = fonts->caption();
    const int capLines = int(wrapCaption(spec.caption, cap, width - 2 * m.pad).size());
    const int capH = capLines > 0 ? capLines * cap.lineHeight() + m.pad : 0;
    int legendRows = 0;
    (void)flowLegend(spec.legend, lab, width, width - 2 * m.pad, &legendRows);
    const int legendH = legendRows > 0 ? legendRows * m.lh + m.pad * 3 / 2 : 0;

    // Left: the y tick labels (their widths for the view, at about the final plot height).
    int yw = lab.measure(kYName);
    const std::vector<double> yt = niceTicks(spec.view.y0, spec.view.y1, yTickTarget(height * 3 / 4, m.lh));
    for (double y : yt)
        yw = std::max(yw, lab.measure(tickLabel(y, yt.size() > 1 ? yt[1] - yt[0] : 1)));
    const int left = m.pad + yw + 3 + m.tick;
    // Top: the caption strip, then room for "x₂" above the plot (and the top tick label's upper half).
    const int top = capH + m.lh + m.asc / 2 + 2;
    // Bottom: ticks, their labels, the legend strip.
    const int bottom = m.tick + 2 + m.lh + m.pad / 2 + legendH;
    // Right: the colour bar with its labels and its rotated title; or room for "x₁" and half a label.
    int right = m.pad + lab.measure(kXName) + m.lh + lab.measure(kWidestBarLabel) / 2;
    if (spec.colorBar)
        right = std::max(right, m.barGap + m.barW + m.tick + 3 + m.barLabW + m.pad + m.lh + m.pad);
    const Rect area{left, top, width - left - right, height - top - bottom};
    if (area.w < std::max(48, width / 2) || area.h < std::max(48, height / 2)) return L; // too small
    L.decorated = true;
    if (fitView) {
        L.plot = area;
        L.view = fitBox(spec.view, area.w, area.h);
    } else {
        // The plot keeps the view's aspect ratio; the block of plot and margins is centred.
        const double aspect = spec.view.height() > 0 ? spec.view.width() / spec.view.height() : 1.0;
        int w = area.w, h = int(std::lround(area.w / aspect));
        if (h > area.h) h = area.h, w = int(std::lround(area.h * aspect));
        L.plot = {area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, std::max(1, w), std::max(1, h)};
    }
    if (spec.colorBar) L.colorBar = {L.plot.right() + m.barGap, L.plot.y, m.barW, L.plot.h};
    if (capH > 0) L.caption = {0, 0, width, capH};
    if (legendH > 0) L.legend = {0, height - legendH, width, legendH};
    return L;
}

Image composeFigure(const Image& plot, const FigureSpec& spec, const FigureLayout& L,
                    const FigureFonts* fonts, const FigureTheme& th) {
    Image img(L.width, L.height);
    fill(img, {0, 0, L.width, L.height}, th.background);
    blit(img, plot, L.plot);
    if (!L.decorated) {
        if (fonts && !spec.caption.empty()) drawCaption(img, spec.caption, fonts->caption());
        return img;
    }
    const TextRenderer& lab = fonts->label();
    const Metrics m(lab);
    const Rect& p = L.plot;
    const core::Box& v = L.view;

    // The frame and the ticks along the bottom (x₁) and left (x₂) edges.
    line(img, p.x - 1, p.y - 1, p.right(), p.y - 1, th.axis);
    line(img, p.x - 1, p.bottom(), p.right(), p.bottom(), th.axis);
    line(img, p.x - 1, p.y - 1, p.x - 1, p.bottom(), th.axis);
    line(img, p.right(), p.y - 1, p.right(), p.bottom(), th.axis);
    const std::vector<double> xt = niceTicks(v.x0, v.x1, xTickTarget(p.w, m.lh));
    const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1;
    const int xBaseline = p.bottom() + m.tick + 2 + m.asc;
    int lastLabelRight = p.right();
    for (double x : xt) {
        const int px = p.x + int(std::lround((x - v.x0) / v.width() * p.w));
        line(img, px, p.bottom(), px, p.bottom() + m.tick, th.axis);
        const std::string s = tickLabel(x, xs);
        const int w = lab.measure(s);
        lab.draw(img, px - w / 2, xBaseline, s, th.text);
        lastLabelRight = std::max(lastLabelRight, px - w / 2 + w);
    }
    lab.draw(img, lastLabelRight + m.lh / 2, xBaseline, kXName, th.faint);
    const std::vector<double> yt = niceTicks(v.y0, v.y1, yTickTarget(p.h, m.lh));
    const double ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double y : yt) {
        const int py = p.y + int(std::lround((v.y1 - y) / v.height() * p.h));
        line(img, p.x - 1 - m.tick, py, p.x - 1, py, th.axis);
        const std::string s = tickLabel(y, ys);
        lab.draw(img, p.x - m.tick - 3 - lab.measure(s), py + m.asc * 2 / 5, s, th.text);
    }
    lab.draw(img, p.x - m.tick - 3 - lab.measure(kYName), p.y - m.asc / 2 - 4, kYName, th.faint);

    // The colour bar: the map from bottom (lo) to top (hi), ticks with values, the quantity along it.
    if (!L.colorBar.empty()) {
        const Rect& b = L.colorBar;
        for (int y = 0; y < b.h; ++y)
            fill(img, {b.x, b.y + y, b.w, 1}, colorLookup(spec.colorMap, 1.0 - (y + 0.5) / b.h));
        line(img, b.x - 1, b.y - 1, b.right(), b.y - 1, th.axis);
        line(img, b.x - 1, b.bottom(), b.right(), b.bottom(), th.axis);
        line(img, b.x - 1, b.y - 1, b.x - 1, b.bottom(), th.axis);
        line(img, b.right(), b.y - 1, b.right(), b.bottom(), th.axis);
        const std::vector<double> bt = niceTicks(spec.lo, spec.hi, std::max(2, b.h / std::max(45, m.lh * 3)));
        const double bs = bt.size() > 1 ? bt[1] - bt[0] : 1;
        for (double t : bt) {
            const int y = b.bottom() - 1 - int(std::lround((t - spec.lo) / (spec.hi - spec.lo) * (b.h - 1)));
            line(img, b.right(), y, b.right() + m.tick, y, th.axis);
            lab.draw(img, b.right() + m.tick + 3, y + m.asc * 2 / 5, tickLabel(t, bs), th.text);
        }
        std::string title = spec.barLabel;
        if (lab.measure(title) > b.h) { // elided at the end, by whole UTF-8 characters
            std::string base = title;
            title.clear();
            while (!base.empty()) {
                while (!base.empty() && (static_cast<unsigned char>(base.back()) & 0xC0) == 0x80)
                    base.pop_back();
                if (!base.empty()) base.pop_back();
                if (lab.measure(base + "\xE2\x80\xA6") <= b.h) {
                    title = base + "\xE2\x80\xA6";
                    break;
                }
            }
        }
        drawVertical(img, b.right() + m.tick + 3 + m.barLabW + m.pad + m.lh / 2, b.y + b.h / 2, title, lab,
                     th.text);
    }

    // The legend strip, one glyph per layer.
    if (!L.legend.empty()) {
        int rows = 0;
        const std::vector<LegendItem> items =
            flowLegend(spec.legend, lab, L.width, L.width - 2 * m.pad, &rows);
        for (const LegendItem& it : items) {
            const int rowTop = L.legend.y + m.pad / 2 + it.row * m.lh;
            const int gw = glyphWidth(lab), size = std::min(gw, m.lh);
            drawLegendGlyph(img, it.x + (gw - size) / 2, rowTop + (m.lh - size) / 2, size, it.entry->glyph,
                            it.entry->color);
            lab.draw(img, it.x + gw + 5, rowTop + m.asc, it.entry->text, th.text);
        }
    }

    // The caption strip above the plot, aligned with the plot's left edge when it fits.
    if (!L.caption.empty()) {
        const TextRenderer& cap = fonts->caption();
        const std::vector<std::string> lines = wrapCaption(spec.caption, cap, L.width - 2 * m.pad);
        int widest = 0;
        for (const std::string& s : lines)
            widest = std::max(widest, cap.measure(s));
        const int x = p.x + widest <= L.width - m.pad ? p.x : std::max(m.pad, (L.width - widest) / 2);
        int baseline = L.caption.y + m.pad / 2 + cap.ascent();
        for (const std::string& s : lines) {
            if (baseline - cap.ascent() + cap.lineHeight() > L.caption.bottom()) break; // never into the plot
            cap.draw(img, x, baseline, s, Rgb{0.95, 0.95, 0.96});
            baseline += cap.lineHeight();
        }
    }
    return img;
}

Image renderFigure(const Scene& scene, const RenderStyle& style, const FigureSpec& spec,
                   const FigureLayout& L, const FigureFonts* fonts) {
    return composeFigure(renderScene(scene, style, L.plot.w, L.plot.h, nullptr), spec, L, fonts);
}

FigureSpec sceneFigure(const Scene& scene, const SceneOptions& o, const std::string& method) {
    FigureSpec f;
    f.view = scene.view;
    f.decorations = o.layers.axes;
    f.colorBar = o.layers.landscape;
    f.colorMap = o.colorMap;
    f.lo = scene.range.lo;
    f.hi = scene.range.hi;
    f.barLabel = fieldLabel(FieldKind::Model, o.quantity);
    f.legend = legendFor(method, o.layers);
    f.caption = scene.caption;
    return f;
}

} // namespace ebm::render
