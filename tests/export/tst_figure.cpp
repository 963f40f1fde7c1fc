// The figure around exported frames (render/figure.h), checked on the decoded files: a scripted run's
// GIF and PNG frames have the axis frame as a long run of the axis colour, tick marks and tick labels,
// a colour bar whose column runs from the colour map's top colour to its bottom colour, legend glyphs,
// and a caption strip above the plot that does not overlap it; a live-recording layout keeps the plot's
// aspect and leaves every plot pixel as grabbed; tiny frames fall back to the bare plot; a run on a saved
// scene starts at step 0 from scratch and at the scene's step when continued.
#include "decode.h"
#include "smallrun.h"

#include <ebm/core/density.h>
#include <ebm/exporter/encoder.h>
#include <ebm/exporter/scriptedrun.h>
#include <ebm/render/figure.h>

#include <QtTest>

using namespace ebm;
using exporter::Format;

namespace {
struct Px {
    int r, g, b;
};
Px at(const std::vector<std::uint8_t>& rgb, int width, int x, int y) {
    const std::uint8_t* p = rgb.data() + (std::size_t(y) * width + x) * 3;
    return {p[0], p[1], p[2]};
}
int distance(Px a, render::Rgb8 b) {
    return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

using test::smallTrainer;

exporter::ScriptedRun run(int w, int h) {
    return test::smallRun(w, h, 10, 12); // 3 frames
}
} // namespace

class TestFigure : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void initTestCase() { QVERIFY2(!render::defaultFontPath().empty(), "DejaVu Sans (fonts-dejavu-core)"); }

    void exportedFramesHaveAxesColourBarLegendAndCaptionStrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("tolerance"); // per channel: GIF palettes and dithering move colours a little
        QTest::newRow("png") << "frames/" << 2;
        QTest::newRow("gif") << "a.gif" << 28;
    }

    void exportedFramesHaveAxesColourBarLegendAndCaptionStrip() {
        QFETCH(QString, name);
        QFETCH(int, tolerance);
        QTemporaryDir dir;
        const int W = 480, H = 400;
        const std::string out = dir.filePath(name).toStdString();
        const Format format = exporter::formatFromPath(out);
        exporter::EncoderOptions eo;
        eo.width = W;
        eo.height = H;
        eo.fps = 5;
        exporter::EncodeControl control;
        core::Trainer trainer = smallTrainer(std::string("cd"));
        const exporter::ScriptedRun r = run(W, H);
        // The layout every frame of this run uses (the same object the run builds).
        const render::FigureLayout L =
            exporter::FrameDrawer(r.scene, trainer.options().method, r.steps).layout();
        {
            auto enc = exporter::makeEncoder(out, format, eo, control);
            exporter::renderScriptedRun(trainer, r, *enc, control, {});
        }
        const test::Decoded d = test::decodeAll(
            format == Format::PngSequence ? dir.filePath("frames/frame_%05d.png").toStdString() : out);
        QVERIFY2(d.error.empty(), d.error.c_str());
        QCOMPARE(int(d.frames.size()), 3);
        QVERIFY(L.decorated);
        const render::Rect& p = L.plot;
        qInfo("plot %dx%d at (%d, %d), colour bar x %d, caption strip %d px, legend strip %d px", p.w, p.h,
              p.x, p.y, L.colorBar.x, L.caption.h, L.legend.h);
        // The plot leaves room for the figure but takes most of the frame.
        QVERIFY(p.w >= W / 2 && p.h >= H / 2 && p.x > 0 && p.y > 0 && p.right() < W && p.bottom() < H);
        // The caption strip is above the plot and its frame line, never over them.
        QVERIFY(!L.caption.empty());
        QVERIFY(!L.caption.intersects(p));
        QVERIFY(L.caption.bottom() < p.y - 1);

        const render::FigureTheme theme;
        const render::Rgb8 axis = render::toRgb8(theme.axis);
        for (const auto& frame : d.frames) {
            // The frame's bottom edge: one long run of the axis colour under the whole plot (the GIF's
            // dithering may swap a lone pixel for a neighbouring palette colour: single gaps are bridged).
            int run = 0, longest = 0, misses = 0, on = 0;
            for (int x = p.x - 1; x <= p.right(); ++x) {
                const bool lit = distance(at(frame, W, x, p.bottom()), axis) <= tolerance;
                on += lit;
                misses = lit ? 0 : misses + 1;
                run = misses >= 2 ? 0 : run + 1;
                longest = std::max(longest, run);
            }
            // A GIF's error diffusion carries the plot's colours into the line below it (pixels such as
            // 161,126,170 where the axis is 150,154,164): there the line must still be 2/3 of the row.
            QVERIFY2(
                longest >= p.w * 9 / 10 || (tolerance > 2 && on >= p.w * 2 / 3),
                qPrintable(QStringLiteral("longest run %1, %2 on, of %3").arg(longest).arg(on).arg(p.w)));
            // Tick marks hang below it: separate short runs of the axis colour one pixel further down.
            int ticks = 0;
            bool inTick = false;
            for (int x = p.x - 1; x <= p.right(); ++x) {
                const bool on = distance(at(frame, W, x, p.bottom() + 2), axis) <= tolerance;
                ticks += on && !inTick;
                inTick = on;
            }
            QVERIFY2(ticks >= 3, qPrintable(QString::number(ticks)));
            // Tick labels under the ticks and left of the plot: light text pixels there.
            int labelPixels = 0;
            for (int y = p.bottom() + 4; y < std::min(H, p.bottom() + 24); ++y)
                for (int x = p.x; x < p.right(); ++x)
                    labelPixels += at(frame, W, x, y).g > 150;
            int yLabelPixels = 0;
            for (int y = p.y; y < p.bottom(); ++y)
                for (int x = 0; x < p.x - 4; ++x)
                    yLabelPixels += at(frame, W, x, y).g > 150;
            QVERIFY2(labelPixels > 40 && yLabelPixels > 40,
                     qPrintable(QStringLiteral("%1 %2").arg(labelPixels).arg(yLabelPixels)));
            // The colour bar's column: the colour map's top colour at its top, the bottom colour at its
            // bottom, and values beside it.
            QVERIFY(!L.colorBar.empty());
            const int bx = L.colorBar.x + L.colorBar.w / 2;
            const render::Rgb8 top = render::toRgb8(render::colorLookup(render::ColorMap::Viridis, 1.0));
            const render::Rgb8 bottom = render::toRgb8(render::colorLookup(render::ColorMap::Viridis, 0.0));
            QVERIFY2(distance(at(frame, W, bx, L.colorBar.y + 1), top) <= tolerance,
                     qPrintable(QStringLiteral("%1").arg(at(frame, W, bx, L.colorBar.y + 1).g)));
            QVERIFY(distance(at(frame, W, bx, L.colorBar.bottom() - 2), bottom) <= tolerance);
            int barLabels = 0;
            for (int y = L.colorBar.y; y < L.colorBar.bottom(); ++y)
                for (int x = L.colorBar.right() + 4; x < std::min(W, L.colorBar.right() + 40); ++x)
                    barLabels += at(frame, W, x, y).g > 150;
            QVERIFY2(barLabels > 40, qPrintable(QString::number(barLabels)));
            // The caption: light text in its strip; the legend: the data batch's orange dot in its strip.
            int captionPixels = 0;
            for (int y = L.caption.y; y < L.caption.bottom(); ++y)
                for (int x = 0; x < W; ++x)
                    captionPixels += at(frame, W, x, y).r > 200 && at(frame, W, x, y).b > 200;
            QVERIFY2(captionPixels > 60, qPrintable(QString::number(captionPixels)));
            const render::Rgb8 orange = render::pointColor(render::PointSet::Data, false);
            int legendOrange = 0;
            for (int y = L.legend.y; y < L.legend.bottom(); ++y)
                for (int x = 0; x < W; ++x)
                    legendOrange += distance(at(frame, W, x, y), orange) <= std::max(tolerance, 30);
            QVERIFY2(legendOrange >= 4, qPrintable(QString::number(legendOrange)));
        }
    }

    void liveLayoutKeepsThePlotAsGrabbed() {
        // The live recording's layout: a plot of the view's aspect, composed around a grabbed image. Every
        // plot pixel stays the grabbed colour (nothing is drawn over the plot), and the aspect is kept.
        const render::FigureFonts fonts(640, 480);
        render::FigureSpec spec;
        spec.view = core::Box{-3, 3, -2, 2}; // 3:2
        spec.lo = -1;
        spec.hi = 5;
        spec.barLabel = "energy";
        spec.legend = render::legendFor(std::string("nce"), render::Layers{});
        spec.caption = render::captionLines(std::string("nce"), 1234, 0.5);
        const render::FigureLayout L = render::figureLayout(640, 480, spec, &fonts, false);
        QVERIFY(L.decorated);
        QVERIFY(std::abs(double(L.plot.w) / L.plot.h - 1.5) < 0.02);
        render::Image plot(300, 200);
        for (std::size_t i = 0; i < plot.rgb.size(); i += 3) {
            plot.rgb[i] = 10;
            plot.rgb[i + 1] = 200;
            plot.rgb[i + 2] = 90;
        }
        const render::Image frame = render::composeFigure(plot, spec, L, &fonts);
        QCOMPARE(frame.width, 640);
        QCOMPARE(frame.height, 480);
        int off = 0;
        for (int y = L.plot.y; y < L.plot.bottom(); ++y)
            for (int x = L.plot.x; x < L.plot.right(); ++x) {
                const std::uint8_t* q = frame.pixel(x, y);
                off += q[0] != 10 || q[1] != 200 || q[2] != 90;
            }
        QCOMPARE(off, 0);
        QVERIFY(!L.caption.intersects(L.plot) && !L.legend.intersects(L.plot) &&
                !L.colorBar.intersects(L.plot));
    }

    void tinyFramesAreTheBarePlot() {
        const render::FigureFonts fonts(120, 90);
        render::FigureSpec spec;
        spec.view = core::Box{-4, 4, -4, 4};
        const render::FigureLayout L = render::figureLayout(120, 90, spec, &fonts, true);
        QVERIFY(!L.decorated);
        QCOMPARE(L.plot.w, 120);
        QCOMPARE(L.plot.h, 90);
        spec.decorations = false; // the "axes" layer off: the plot fills any frame
        QVERIFY(!render::figureLayout(800, 600, spec, &fonts, true).decorated);
    }

    void ticksAreRoundAndLabelsUseATrueMinus() {
        const std::vector<double> t = render::niceTicks(-4.3, 4.3, 5);
        QCOMPARE(t.front(), -4.0);
        QCOMPARE(t.back(), 4.0);
        QCOMPARE(render::tickLabel(-2, 2), std::string("\xE2\x88\x92"
                                                       "2"));
        QCOMPARE(render::tickLabel(0.5, 0.5), std::string("0.5"));
        QCOMPARE(render::tickLabel(-0.0, 1), std::string("0"));
        QCOMPARE(render::parseLayers("axes").axes, true);
        QCOMPARE(render::parseLayers("landscape").axes, false);
    }

    void fromScratchStartsAtStepZeroAndContinueAtTheScenesStep() {
        core::Trainer trained = smallTrainer(std::string("nce"));
        for (int i = 0; i < 7; ++i)
            trained.step();
        io::SessionFile scene;
        scene.trainer = trained.state();
        scene.target = "eight-gaussians";
        const core::Trainer fresh = exporter::sessionTrainer(scene, exporter::Start::FromScratch);
        const core::Trainer further = exporter::sessionTrainer(scene, exporter::Start::Continue);
        QCOMPARE(fresh.stepCount(), std::int64_t(0));
        QCOMPARE(further.stepCount(), std::int64_t(7));
        // From scratch is the model the scene's seed initialises, the same as a new trainer's.
        const core::Trainer untrained = smallTrainer(std::string("nce"));
        QVERIFY(fresh.state().theta == untrained.state().theta);
        QVERIFY(further.state().theta == trained.state().theta);
        QVERIFY(!(fresh.state().theta == further.state().theta));
    }
};

QTEST_GUILESS_MAIN(TestFigure)
#include "tst_figure.moc"
