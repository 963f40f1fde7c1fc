// The CPU renderer's pieces: colour maps against matplotlib's published values, the landscape's colours and
// iso-lines on a known field, arrows, points, caption text and the layer list.
#include <ebm/core/types.h>
#include <ebm/render/arrows.h>
#include <ebm/render/landscape.h>
#include <ebm/render/particles.h>
#include <ebm/render/renderer.h>
#include <ebm/render/scene.h>
#include <ebm/render/text.h>

#include <QtTest>

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

    void captionIsDrawn() {
        const std::string font = defaultFontPath();
        QVERIFY2(!font.empty(), "DejaVu Sans not found (fonts-dejavu-core)");
        TextRenderer text(font, 16);
        QVERIFY(text.measure("step 100") > text.measure("step 1"));
        Image img(200, 80);
        drawCaption(img, captionLines(core::Method::ExactScoreMatching, 120, 0.25), text);
        int lit = 0;
        for (int y = 0; y < 80; ++y)
            for (int x = 0; x < 200; ++x)
                lit += img.pixel(x, y)[0] > 128;
        QVERIFY2(lit > 100, qPrintable(QString::number(lit)));
        QCOMPARE(captionLines(core::Method::NoiseContrastive, 5, std::nan("")).size(), size_t(2));
        QVERIFY_THROWS_EXCEPTION(core::RuntimeError, TextRenderer("/nonexistent/font.ttf", 12));
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
