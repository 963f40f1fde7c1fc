// The CPU renderer's pieces: colour maps against matplotlib's published values, the landscape's colours and
// iso-lines on a known field, arrows, points, caption text, the legend's glyphs and the layer list.
#include <ebm/core/types.h>
#include <ebm/render/arrows.h>
#include <ebm/render/figure.h>
#include <ebm/render/landscape.h>
#include <ebm/render/legend.h>
#include <ebm/render/particles.h>
#include <ebm/render/renderer.h>
#include <ebm/render/scene.h>
#include <ebm/render/text.h>

#include <QtTest>
#include <algorithm>
#include <limits>

using namespace ebm;
using namespace ebm::render;

namespace {
int distance(Rgb8 a, Rgb8 b) {
    return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}
Rgb8 at(const Image& img, int x, int y) {
    const std::uint8_t* p = img.pixel(x, y);
    return {p[0], p[1], p[2]};
}
// The displayed value at every pixel centre of a w x h frame of the field (what drawLandscape colours).
std::vector<float> pixelValues(const ScalarField& f, const core::Box& view, int w, int h,
                               const LandscapeStyle& s) {
    std::vector<float> v(size_t(w) * size_t(h));
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            v[size_t(y) * w + x] = displayedValue(
                f.sample(pixelToDataX(view, w, x), pixelToDataY(view, h, y)), s.quantity, s.range);
    return v;
}
// Whether an iso-line level (a multiple of step above lo) lies within the values of the (2r+1)² pixels
// around (x, y): a line passes within r pixels.
bool nearLevel(const std::vector<float>& v, int w, int h, int x, int y, int r, const ColorRange& range) {
    float lo = std::numeric_limits<float>::max(), hi = -lo;
    for (int yy = std::max(0, y - r); yy <= std::min(h - 1, y + r); ++yy)
        for (int xx = std::max(0, x - r); xx <= std::min(w - 1, x + r); ++xx) {
            lo = std::min(lo, v[size_t(yy) * w + xx]);
            hi = std::max(hi, v[size_t(yy) * w + xx]);
        }
    double k = std::ceil(lo / range.contourStep);
    if (k * range.contourStep <= range.lo) k = std::floor(range.lo / range.contourStep) + 1;
    return k * range.contourStep <= hi && k * range.contourStep > range.lo;
}
int maxChannelDifference(Rgb8 a, Rgb8 b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}
// E(x, y) = x on a fine grid over [0, 1] x [0, 1].
ScalarField ramp() {
    ScalarField f;
    f.box = core::Box{0, 1, 0, 1};
    f.nx = f.ny = 200;
    f.values.resize(200, 200);
    for (int ix = 0; ix < 200; ++ix)
        f.values.col(ix).setConstant(float((ix + 0.5) / 200));
    return f;
}
// The pixels of img near colour c inside [x0, x1) x [y0, y1): bounding-box width, and the vertical extent of
// the leftmost and rightmost fifth of that box (an arrow carries its head on the right).
struct Shape {
    int width = 0, leftSpan = 0, rightSpan = 0;
};
Shape shapeOf(const Image& img, Rgb8 c, int x0, int y0, int x1, int y1) {
    const auto lit = [&](int x, int y) { return distance(at(img, x, y), c) < 60; };
    int bx0 = x1, bx1 = -1;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            if (lit(x, y)) {
                bx0 = std::min(bx0, x);
                bx1 = std::max(bx1, x);
            }
    Shape s;
    if (bx1 < 0) return s;
    s.width = bx1 - bx0 + 1;
    const auto span = [&](int xa, int xb) {
        int lo = y1, hi = -1;
        for (int x = xa; x <= xb; ++x)
            for (int y = y0; y < y1; ++y)
                if (lit(x, y)) {
                    lo = std::min(lo, y);
                    hi = std::max(hi, y);
                }
        return hi < 0 ? 0 : hi - lo + 1;
    };
    s.leftSpan = span(bx0, bx0 + s.width / 5);
    s.rightSpan = span(bx1 - s.width / 5, bx1);
    return s;
}
} // namespace

class TestRender : public QObject {
    Q_OBJECT

private slots:
    void colourMapsMatchMatplotlib() {
        // matplotlib's viridis / magma at 0, 0.5, 1 (the polynomial fits are within a few levels) and
        // Moreland's cool-warm ends and middle (sRGB).
        const struct {
            ColorMap m;
            double t;
            Rgb8 expected;
        } cases[] = {
            {ColorMap::Viridis, 0.0, {0x44, 0x01, 0x54}}, {ColorMap::Viridis, 0.5, {0x21, 0x91, 0x8c}},
            {ColorMap::Viridis, 1.0, {0xfd, 0xe7, 0x25}}, {ColorMap::Magma, 0.0, {0x00, 0x00, 0x04}},
            {ColorMap::Magma, 0.5, {0xb7, 0x37, 0x79}},   {ColorMap::Magma, 1.0, {0xfc, 0xfd, 0xbf}},
            {ColorMap::CoolWarm, 0.0, {59, 76, 192}},     {ColorMap::CoolWarm, 0.5, {221, 221, 221}},
            {ColorMap::CoolWarm, 1.0, {180, 4, 38}}};
        for (const auto& c : cases) {
            const Rgb8 got = colorTable(c.m)[size_t(std::lround(c.t * 255))];
            QVERIFY2(distance(got, c.expected) <= 12,
                     qPrintable(QString("%1 at %2: %3 %4 %5")
                                    .arg(QString::fromStdString(colorMapKey(c.m)))
                                    .arg(c.t)
                                    .arg(got.r)
                                    .arg(got.g)
                                    .arg(got.b)));
        }
        QCOMPARE(parseColorMap("magma"), ColorMap::Magma);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, parseColorMap("jet"));
    }

    void landscapeColoursFollowTheMap() {
        Image img(200, 50);
        LandscapeStyle s;
        s.range.lo = 0;
        s.range.hi = 1;
        s.contours = false;
        drawLandscape(img, core::Box{0, 1, 0, 1}, ramp(), s);
        for (int x : {0, 37, 100, 163, 199}) {
            const double t = (x + 0.5) / 200;
            const Rgb8 want = toRgb8(colorAt(ColorMap::Viridis, t));
            QVERIFY2(distance(at(img, x, 25), want) <= 3, qPrintable(QString::number(x)));
            QCOMPARE(at(img, x, 0), at(img, x, 49)); // E does not depend on y
        }
        // Outside the range the map is clamped.
        s.range.lo = 0.5;
        drawLandscape(img, core::Box{0, 1, 0, 1}, ramp(), s);
        QCOMPARE(at(img, 10, 10), colorTable(ColorMap::Viridis)[0]);
    }

    void contoursBrightenTheLevels() {
        Image plain(200, 20), lined(200, 20);
        LandscapeStyle s;
        s.range.lo = 0;
        s.range.hi = 1;
        s.range.contourStep = 0.25f;
        s.contours = false;
        drawLandscape(plain, core::Box{0, 1, 0, 1}, ramp(), s);
        s.contours = true;
        drawLandscape(lined, core::Box{0, 1, 0, 1}, ramp(), s);
        int changed = 0;
        for (int x = 0; x < 200; ++x) {
            const int d = distance(at(plain, x, 10), at(lined, x, 10));
            const bool nearLevel = std::abs(std::fmod((x + 0.5) / 200 + 0.125, 0.25) - 0.125) < 2.0 / 200;
            if (d > 20) {
                ++changed;
                QVERIFY2(nearLevel, qPrintable(QString("column %1 changed away from a level").arg(x)));
            }
        }
        QVERIFY2(changed >= 3 && changed <= 12, qPrintable(QString::number(changed))); // 0, .25, .5, .75, 1
    }

    void contoursNeverPaintArea() {
        // A narrow well in a steep bowl: the density falls to zero (and underflows) over most of the frame,
        // where the old contour pass washed everything white-lavender.
        ScalarField f;
        f.box = core::Box{0, 1, 0, 1};
        f.nx = f.ny = 160;
        f.values.resize(160, 160);
        double z = 0;
        for (int ix = 0; ix < 160; ++ix)
            for (int iy = 0; iy < 160; ++iy) {
                const double x = (ix + 0.5) / 160, y = (iy + 0.5) / 160;
                f.values(iy, ix) = float(300 * (x - 0.25) * (x - 0.25) + 20 * (y - 0.5) * (y - 0.5));
                z += std::exp(-f.values(iy, ix)) / (160.0 * 160.0);
            }
        std::vector<float> e(f.values.data(), f.values.data() + f.values.size());
        LandscapeStyle s;
        s.colorMap = ColorMap::Magma;
        s.quantity = Quantity::Density;
        s.range = energyRange(e, Quantity::Density, 1, float(std::log(z)));
        const int w = 320, h = 320;
        Image plain(w, h), lined(w, h);
        s.contours = false;
        drawLandscape(plain, f.box, f, s);
        s.contours = true;
        drawLandscape(lined, f.box, f, s);
        const std::vector<float> v = pixelValues(f, f.box, w, h, s);
        long far = 0, farChanged = 0, zero = 0, zeroChanged = 0, changed = 0;
        int worst = 0;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const int d = maxChannelDifference(at(plain, x, y), at(lined, x, y));
                changed += d > 1;
                if (!nearLevel(v, w, h, x, y, 2, s.range)) {
                    ++far;
                    farChanged += d > 1;
                    worst = std::max(worst, d);
                }
                if (v[size_t(y) * w + x] < 1e-3f * s.range.hi) {
                    ++zero;
                    zeroChanged += d > 1;
                }
            }
        qInfo("step %.3g of %.3g: %ld pixels changed; %ld of %ld far from a line changed (worst %d); %ld of "
              "%ld near-zero pixels changed",
              double(s.range.contourStep), double(s.range.hi), changed, farChanged, far, worst, zeroChanged,
              zero);
        QVERIFY(zero > w * h / 2);         // most of the frame is the near-zero region
        QCOMPARE(farChanged, 0L);          // away from a line: the colour map's own colour (±1)
        QVERIFY(zeroChanged < zero / 200); // lines cross the near-zero region, they do not fill it
        QVERIFY(changed > 200);            // and the iso-lines around the well are drawn
    }

    void crowdedLevelsThinOut() {
        // E = 200 x over 200 px with a step of 0.5: two levels per pixel. Only every 25th level (12.5 px
        // apart) is left, each covering at most about a pixel and a half.
        ScalarField f;
        f.box = core::Box{0, 1, 0, 1};
        f.nx = f.ny = 200;
        f.values.resize(200, 200);
        for (int ix = 0; ix < 200; ++ix)
            f.values.col(ix).setConstant(float(200 * (ix + 0.5) / 200));
        LandscapeStyle s;
        s.range.lo = 0;
        s.range.hi = 200;
        s.range.contourStep = 0.5f;
        Image plain(200, 20), lined(200, 20);
        s.contours = false;
        drawLandscape(plain, f.box, f, s);
        s.contours = true;
        drawLandscape(lined, f.box, f, s);
        double coverage = 0;
        for (int x = 0; x < 200; ++x) {
            const Rgb8 a = at(plain, x, 10), b = at(lined, x, 10);
            // White mixed in at kContourWhite per unit of coverage, read back from the red channel.
            if (a.r < 250) coverage += (b.r - a.r) / ((255.0 - a.r) * kContourWhite);
        }
        qInfo("total line coverage %.1f px along a row crossing 15 kept levels", coverage);
        QVERIFY2(coverage > 8 && coverage < 15 * 1.5, qPrintable(QString::number(coverage)));
        // The same slope at one level per 8 px keeps every level.
        s.range.contourStep = 8;
        drawLandscape(lined, f.box, f, s);
        int lines = 0;
        for (int x = 1; x < 200; ++x)
            lines += distance(at(lined, x, 10), at(plain, x, 10)) > 20 &&
                     distance(at(lined, x - 1, 10), at(plain, x - 1, 10)) <= 20;
        QVERIFY2(lines >= 23 && lines <= 26, qPrintable(QString::number(lines)));
    }

    void energyRangeIsRobust() {
        // Two wells and a bowl whose corners reach 60: the range ends past the wells' region instead of at
        // the corners, and holds the wells' slopes.
        std::vector<float> e;
        for (int ix = 0; ix < 100; ++ix)
            for (int iy = 0; iy < 100; ++iy) {
                const double x = -4 + 8 * (ix + 0.5) / 100, y = -4 + 8 * (iy + 0.5) / 100;
                const double w1 = ((x - 1.5) * (x - 1.5) + y * y) / (2 * 0.09);
                const double w2 = ((x + 1.5) * (x + 1.5) + y * y) / (2 * 0.09);
                e.push_back(float(-std::log(std::exp(-w1) + std::exp(-w2)) + 0.9 * (x * x + y * y)));
            }
        std::vector<float> copy = e;
        const ColorRange r = energyRange(copy, Quantity::Energy, 1, 0);
        const float eMax = *std::max_element(e.begin(), e.end());
        qInfo("range %.2f .. %.2f, energies up to %.2f", double(r.lo), double(r.hi), double(eMax));
        QCOMPARE(r.lo, *std::min_element(e.begin(), e.end()));
        QVERIFY(r.hi < r.lo + 0.5f * (eMax - r.lo)); // the corners do not set the scale
        QVERIFY(r.hi > r.lo + 6.9f);                 // 99.9% of a well's mass lies within 6.9 nats
        QVERIFY(r.contourStep > 0 && (r.hi - r.lo) / r.contourStep >= 6);
        // A flat-topped density (a uniform disc, 8 nats below its surroundings) holds all its mass at one
        // level: the map still spans 3 nats, the disc at its bottom and the rest saturated.
        std::vector<float> disc;
        for (int ix = 0; ix < 100; ++ix)
            for (int iy = 0; iy < 100; ++iy)
                disc.push_back(std::hypot(ix - 49.5, iy - 49.5) < 30 ? 0.0f : 8.0f);
        const ColorRange d = energyRange(disc, Quantity::Energy, 1, 0);
        QCOMPARE(d.lo, 0.0f);
        QCOMPARE(d.hi, 3.0f);
        QCOMPARE(energyRange(disc, Quantity::Energy, 2, 0).hi, 1.5f); // nats: β E
    }

    void rangeEasesAndLocks() {
        RangeSmoother sm(0.15f);
        ColorRange a;
        a.lo = 0;
        a.hi = 10;
        a.contourStep = 1;
        QCOMPARE(sm.update(a, 1).hi, 10.0f); // the first fit is taken as it is
        ColorRange b = a;
        b.hi = 40;
        b.contourStep = 5;
        const ColorRange e1 = sm.update(b, 1);
        QCOMPARE(e1.hi, 14.5f);         // a fraction of the way
        QCOMPARE(e1.contourStep, 1.0f); // 14.5 lines of 1: kept
        float hi = e1.hi;
        for (int i = 0; i < 80; ++i)
            hi = sm.update(b, 1).hi;
        QVERIFY(std::abs(hi - 40) < 0.01f);
        QCOMPARE(sm.current().contourStep, 5.0f);  // past 25 lines of 1 the fit's spacing is taken
        QCOMPARE(sm.update(a, 1, true).hi, 10.0f); // jump
        // Held: fits move, the range does not; another key (other units) re-holds at its fit.
        sm.setHeld(true);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(sm.update(b, 1, i % 2 == 0).hi, 10.0f);
        QCOMPARE(sm.update(b, 2).hi, 40.0f);
        QCOMPARE(sm.update(a, 2).hi, 40.0f);
        sm.setHeld(false);
        QCOMPARE(sm.update(a, 2).hi, 35.5f);
        // The lower end follows the fit at once (an energy offset drifts); a symmetric range stays so.
        ColorRange shifted = a;
        shifted.lo = -5;
        shifted.hi = 15;
        const ColorRange s1 = sm.update(shifted, 2);
        QCOMPARE(s1.lo, -5.0f);
        QCOMPARE(s1.hi - s1.lo, 35.5f + 0.15f * (20 - 35.5f));
        ColorRange sym;
        sym.lo = -2;
        sym.hi = 2;
        sm.update(sym, 3);
        sym.lo = -4;
        sym.hi = 4;
        const ColorRange s2 = sm.update(sym, 3);
        QCOMPARE(s2.lo, -s2.hi);
        QCOMPARE(s2.hi, 2.3f);
        // A lock restored from the settings.
        RangeSmoother restored;
        restored.hold(a, 7);
        QCOMPARE(restored.update(b, 7).hi, 10.0f);
    }

    void arrowPointsAlongTheScore() {
        Image img(100, 100);
        core::Matf pos(2, 1), vec(2, 1);
        pos << 0.5f, 0.5f;
        vec << 1.0f, 0.0f;
        std::vector<float> seg;
        appendArrows(core::Box{0, 1, 0, 1}, 1, 1, pos, vec, 1.0f, seg);
        QCOMPARE(int(seg.size()), 18);
        drawArrows(img, core::Box{0, 1, 0, 1}, seg, kModelArrowColor);
        // The shaft runs through the middle row from x ≈ 5 to 95; the barbs sit at the right end.
        QVERIFY(img.pixel(50, 50)[0] > 200);
        QVERIFY(img.pixel(50, 30)[0] == 0);
        int rightBarb = 0, leftBarb = 0;
        for (int y = 30; y < 70; ++y) {
            rightBarb += img.pixel(85, y)[0] > 100;
            leftBarb += img.pixel(15, y)[0] > 100;
        }
        QVERIFY(rightBarb >= 3);
        QCOMPARE(leftBarb, 1);
    }

    void pointsTakeTheirSetColours() {
        Image img(100, 100);
        PointLayers l;
        l.data = core::Matf(2, 1);
        l.data << -0.5f, 0.5f;
        l.methodSamples = core::Matf(2, 1);
        l.methodSamples << 0.5f, 0.5f;
        core::Matf p(2, 1);
        p << 0.0f, -0.5f;
        l.particles = {p, p}; // the newest position and one trail position under it
        drawPoints(img, core::Box{-1, 1, -1, 1}, l);
        const Rgb8 data = at(img, 25, 24), neg = at(img, 75, 24), part = at(img, 50, 74);
        QVERIFY(data.r > 150 && data.r > data.b + 80);
        QVERIFY(neg.r > 150 && neg.r > neg.g + 80);
        QVERIFY(part.r > 120 && part.g > 120 && part.b > 120 && std::abs(part.r - part.b) < 20);
        QCOMPARE(at(img, 50, 50), (Rgb8{0, 0, 0}));
    }

    void liveParticlesHaveADarkRimOnLightColours() {
        // White particles on viridis' yellow end were all but invisible: each gets a dark one-pixel rim
        // around its 3 x 3 footprint, and nothing beyond it changes.
        const Rgb8 yellow{253, 231, 37};
        Image img(40, 40);
        for (int y = 0; y < 40; ++y)
            for (int x = 0; x < 40; ++x) {
                std::uint8_t* p = img.pixel(x, y);
                p[0] = yellow.r, p[1] = yellow.g, p[2] = yellow.b;
            }
        PointLayers l;
        core::Matf p(2, 1);
        p << 0.025f, 0.025f; // the centre of pixel (20, 19): x = 20, y counted from the top
        l.particles = {p};
        drawPoints(img, core::Box{-1, 1, -1, 1}, l);
        const auto lum = [&](int x, int y) {
            const Rgb8 c = at(img, x, y);
            return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        };
        const double background = 0.2126 * yellow.r + 0.7152 * yellow.g + 0.0722 * yellow.b;
        int rim = 0;
        for (int y = 17; y <= 21; ++y)
            for (int x = 18; x <= 22; ++x) {
                const bool ring = std::abs(x - 20) == 2 || std::abs(y - 19) == 2;
                if (!ring) continue;
                QVERIFY2(lum(x, y) < 0.5 * background,
                         qPrintable(QString("%1,%2: %3").arg(x).arg(y).arg(lum(x, y))));
                ++rim;
            }
        QCOMPARE(rim, 16);
        QVERIFY(lum(20, 19) > 0.9 * background); // the particle itself stays light
        QCOMPARE(at(img, 20, 16), yellow);       // three pixels off: untouched
        QCOMPARE(at(img, 23, 19), yellow);
    }

    void captionIsDrawn() {
        const std::string font = defaultFontPath();
        QVERIFY2(!font.empty(), "DejaVu Sans not found (fonts-dejavu-core)");
        TextRenderer text(font, 16);
        QVERIFY(text.measure("step 100") > text.measure("step 1"));
        Image img(200, 80);
        drawCaption(img, captionLines(std::string("sm"), 120, 0.25), text);
        int lit = 0;
        for (int y = 0; y < 80; ++y)
            for (int x = 0; x < 200; ++x)
                lit += img.pixel(x, y)[0] > 128;
        QVERIFY2(lit > 100, qPrintable(QString::number(lit)));
        QCOMPARE(captionLines(std::string("nce"), 5, std::nan("")).size(), size_t(2));
        QVERIFY_THROWS_EXCEPTION(core::RuntimeError, TextRenderer("/nonexistent/font.ttf", 12));
    }

    void legendDrawsArrowsForScores() {
        // Glyphs: an arrow (head on the right) for score fields, a round dot for point sets.
        Image g(40, 40);
        drawLegendGlyph(g, 4, 4, 32, LegendGlyph::Arrow, Rgb8{255, 255, 255});
        const Shape arrow = shapeOf(g, Rgb8{255, 255, 255}, 0, 0, 40, 40);
        QVERIFY2(arrow.width >= 24 && arrow.rightSpan >= 12 && arrow.rightSpan >= 3 * arrow.leftSpan,
                 qPrintable(QString("%1 %2 %3").arg(arrow.width).arg(arrow.leftSpan).arg(arrow.rightSpan)));
        Image d(40, 40);
        drawLegendGlyph(d, 4, 4, 32, LegendGlyph::Dot, Rgb8{255, 255, 255});
        const Shape dot = shapeOf(d, Rgb8{255, 255, 255}, 0, 0, 40, 40);
        QVERIFY(dot.width > 8 && dot.width < 24 && std::abs(dot.leftSpan - dot.rightSpan) <= 1);

        // An exported frame carries the legend in its strip under the plot: the target score's turquoise
        // arrow glyph there, away from the field's arrows, and a row per layer.
        const std::string font = defaultFontPath();
        QVERIFY2(!font.empty(), "DejaVu Sans not found (fonts-dejavu-core)");
        Scene sc;
        sc.view = core::Box{0, 1, 0, 1};
        sc.arrowsAcross = 4;
        sc.arrowPos = core::Matf(2, 1);
        sc.arrowPos << 0.85f, 0.15f;
        sc.arrowVec = core::Matf(2, 1);
        sc.arrowVec << 1.0f, 0.0f;
        sc.targetArrowVec = core::Matf(2, 1);
        sc.targetArrowVec << 0.0f, 1.0f;
        sc.points.data = core::Matf(2, 1);
        sc.points.data << 0.9f, 0.9f;
        sc.caption = captionLines(std::string("sm"), 10, 0.5);
        QCOMPARE(int(legendRows(legendContent(sc)).size()), 3); // data, model score, target score
        const FigureSpec spec = sceneFigure(sc, SceneOptions{}, std::string("sm"));
        const std::vector<LegendRow>& rows = spec.legend; // particles, data, model score, target score
        QCOMPARE(int(rows.size()), 4);
        const FigureFonts fonts(900, 900, font); // a large frame: glyphs big enough to measure
        const FigureLayout layout = figureLayout(900, 900, spec, &fonts, true);
        QVERIFY(layout.decorated && !layout.legend.empty());
        const Image img = renderFigure(sc, RenderStyle{}, spec, layout, &fonts);
        const Rgb8 turquoise = toRgb8(kTargetArrowColor);
        const Shape legendArrow = shapeOf(img, turquoise, 0, layout.legend.y, 400, layout.legend.bottom());
        QVERIFY2(legendArrow.width >= 8 && legendArrow.rightSpan > legendArrow.leftSpan,
                 qPrintable(QString("%1 %2 %3")
                                .arg(legendArrow.width)
                                .arg(legendArrow.leftSpan)
                                .arg(legendArrow.rightSpan)));
        // And no label carries raw markup.
        for (const LegendRow& r : rows)
            QVERIFY2(r.text.find('_') == std::string::npos && r.text.find('^') == std::string::npos,
                     r.text.c_str());
        for (int q = 0; q < 4; ++q)
            for (FieldKind f :
                 {FieldKind::Model, FieldKind::Target, FieldKind::Difference, FieldKind::ScoreError})
                QVERIFY(fieldLabel(f, Quantity(q)).find('_') == std::string::npos);
        for (const std::string& l : captionLines(std::string("nce"), 5, 0.2))
            QVERIFY(l.find('_') == std::string::npos);
    }

    void layerList() {
        const Layers l = parseLayers("landscape,particles");
        QVERIFY(l.landscape && l.particles && !l.arrows && !l.caption && !l.contours);
        QVERIFY(parseLayers("all").caption);
        QVERIFY(!parseLayers("none").landscape);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, parseLayers("landscape,sparkles"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, parseLayers(""));
    }
};

QTEST_GUILESS_MAIN(TestRender)
#include "tst_render.moc"
