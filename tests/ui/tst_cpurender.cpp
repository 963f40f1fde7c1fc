// The CPU renderer (ebm::render, used by `ebmlab-cli render`) against the GL view: the same snapshot,
// box and colour map drawn by both must give nearly the same pixels. Runs under Xvfb with Mesa (llvmpipe,
// whose automatic path is the grid texture — the same field the CPU renderer is given here).
#include "displaymapping.h"
#include "landscapeview.h"
#include "trainingengine.h"
#include "uitesthelpers.h"
#include <QRegularExpression>
#include <QTest>
#include <ebm/render/renderer.h>

using namespace ebm;
using namespace ebm::ui;

class TestCpuRender : public QObject {
    Q_OBJECT

    struct Views {
        QImage gl;              // the plot area of the GL view
        render::Image cpu;      // the CPU renderer's frame of the same size
        render::Image captured; // the CPU renderer's frame captured from the trainer, as `render` does
    };

    // Draws one trained snapshot with the GL view and the CPU renderer.
    static Views drawBoth(const std::string& method, const DisplaySettings& d) {
        LandscapeView view;
        view.resize(560, 470);
        view.setDisplay(d);
        view.show();
        if (!QTest::qWaitForWindowExposed(&view)) return {};
        if (!QTest::qWaitFor([&] { return view.glReady(); }, 10000)) return {};
        view.resetView(core::Box{-4, 4, -4, 4});
        const core::Box box = view.viewBox();

        WorkerSettings s;
        s.trainer.model.hidden = {64, 64};
        s.trainer.method = method;
        s.training = false; // 180 steps exactly, as single steps
        s.particleCount = 400;
        TrainingEngine session(s);
        session.setView(box);
        session.requestSteps(180);
        session.advance();
        const SnapshotPtr snap = session.snapshot();
        view.setSnapshot(snap);
        const QImage full = view.grabFramebuffer().convertToFormat(QImage::Format_RGB888);
        const QRect plot = view.plotRect();

        // The CPU renderer, given what the GL view draws from: the snapshot's grids and the view's range.
        const DisplayParams p = displayParams(*snap, d, box);
        render::Scene scene;
        scene.view = box;
        scene.energy.box = snap->energy.box;
        scene.energy.nx = snap->energy.nx;
        scene.energy.ny = snap->energy.ny;
        scene.energy.values = snap->energy.energy;
        scene.range.lo = p.lo;
        scene.range.hi = p.hi;
        scene.range.eMin = p.eMin;
        scene.range.beta = p.beta;
        scene.range.logZ = p.logZ;
        scene.range.contourStep = p.contourStep;
        if (d.vectorField) {
            scene.arrowsAcross = snap->score.nx;
            scene.arrowPos = snap->score.pos;
            scene.arrowVec = snap->score.vec;
            const bool sm = core::objective(method).info().family == core::Family::ScoreMatching;
            if (d.methodView && sm) scene.targetArrowVec = snap->targetScore.vec;
        }
        if (d.data) scene.points.data = snap->data;
        if (d.methodView)
            scene.points.methodSamples =
                core::objective(method).info().needs.noise ? snap->noise : snap->negatives;
        scene.points.nce = core::objective(method).info().needs.noise;
        if (d.methodView && scene.points.nce) {
            scene.nceLogit.box = snap->nceLogit.box;
            scene.nceLogit.nx = snap->nceLogit.nx;
            scene.nceLogit.ny = snap->nceLogit.ny;
            scene.nceLogit.values = snap->nceLogit.values;
        }
        // A first upload fills all the view's trail slots with the current positions.
        if (d.particles) scene.points.particles.assign(render::kTrailSlots, snap->particles);
        render::RenderStyle style;
        style.colorMap = p.colorMap;
        style.quantity = d.quantity;
        style.contours = d.contours;
        Views v;
        v.gl = full.copy(plot);
        v.cpu = render::renderScene(scene, style, plot.width(), plot.height(), nullptr);

        // What `ebmlab-cli render` draws: the scene captured from the trainer itself (its own field grid,
        // colour range and arrows), not from the snapshot.
        render::SceneOptions so;
        so.view = box;
        so.width = plot.width();
        so.height = plot.height();
        so.quantity = style.quantity;
        so.colorMap = style.colorMap;
        so.beta = snap->beta;
        so.arrowsAcross = snap->score.nx;
        so.layers.contours = d.contours;
        so.layers.arrows = d.vectorField;
        so.layers.particles = d.particles;
        so.layers.trails = d.trails;
        so.layers.data = d.data;
        so.layers.method = d.methodView;
        so.layers.caption = false;
        const std::vector<core::Matf> history(render::kTrailSlots, snap->particles);
        const render::Scene captured = render::captureScene(session.trainer(), history, 0.0, so);
        v.captured = render::renderScene(captured, style, plot.width(), plot.height(), nullptr);
        return v;
    }

    // Mean absolute difference per channel (0..255) over the rows [y0, h) of the plot, 2 px in from the edge.
    static double meanDifference(const Views& v, int y0, int* stronglyDifferent) {
        double sum = 0;
        long n = 0, bad = 0;
        for (int y = std::max(2, y0); y < v.gl.height() - 2; ++y)
            for (int x = 2; x < v.gl.width() - 2; ++x) {
                const QRgb g = v.gl.pixel(x, y);
                const std::uint8_t* c = v.cpu.pixel(x, y);
                const int d =
                    std::abs(qRed(g) - c[0]) + std::abs(qGreen(g) - c[1]) + std::abs(qBlue(g) - c[2]);
                sum += d / 3.0;
                bad += d > 60;
                ++n;
            }
        if (stronglyDifferent) *stronglyDifferent = int(bad);
        return n ? sum / double(n) : 1e9;
    }

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void landscapeMatchesGlView_data() {
        QTest::addColumn<int>("colorMap");
        QTest::addColumn<int>("quantity");
        QTest::addColumn<bool>("contours");
        QTest::newRow("viridis energy") << int(ColorMap::Viridis) << int(Quantity::Energy) << false;
        QTest::newRow("viridis energy + contours") << int(ColorMap::Viridis) << int(Quantity::Energy) << true;
        QTest::newRow("magma density + contours") << int(ColorMap::Magma) << int(Quantity::Density) << true;
        QTest::newRow("coolwarm log-density")
            << int(ColorMap::CoolWarm) << int(Quantity::LogDensity) << false;
    }

    void landscapeMatchesGlView() {
        QFETCH(int, colorMap);
        QFETCH(int, quantity);
        QFETCH(bool, contours);
        DisplaySettings d;
        d.colorMap = ColorMap(colorMap);
        d.quantity = Quantity(quantity);
        d.contours = contours;
        d.vectorField = d.particles = d.trails = d.data = d.methodView = false;
        const Views v = drawBoth(std::string("sm"), d);
        QVERIFY(!v.gl.isNull());
        QCOMPARE(v.cpu.width, v.gl.width());
        int bad = 0;
        const double mad = meanDifference(v, 0, &bad);
        const int n = (v.gl.width() - 4) * (v.gl.height() - 4);
        qInfo("mean |GL - CPU| = %.3f of 255 per channel; %d of %d pixels differ by > 20 on average", mad,
              bad, n);
        QVERIFY2(mad < (contours ? 1.0 : 0.25), qPrintable(QString::number(mad)));
        QVERIFY(bad < n / (contours ? 200 : 1000));
    }

    void allLayersMatchGlView_data() {
        QTest::addColumn<QString>("method");
        QTest::newRow("cd") << QString("cd");
        QTest::newRow("sm") << QString("sm");
        QTest::newRow("nce") << QString("nce");
    }

    void allLayersMatchGlView() {
        QFETCH(QString, method);
        DisplaySettings d; // every layer, NCE's decision boundary included
        const Views v = drawBoth(method.toStdString(), d);
        QVERIFY(!v.gl.isNull());
        // The legend covers the top-left of the GL plot; compare below it.
        int bad = 0;
        const double mad = meanDifference(v, v.gl.height() / 3, &bad);
        qInfo("all layers: mean |GL - CPU| = %.3f of 255 per channel, %d pixels differ by > 20 on average",
              mad, bad);
        QVERIFY2(mad < 2.5, qPrintable(QString::number(mad)));
    }

    void capturedSceneMatchesGlView_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("allLayers");
        QTest::newRow("landscape + contours") << QString("sm") << false;
        QTest::newRow("cd, all layers") << QString("cd") << true;
        QTest::newRow("nce, all layers") << QString("nce") << true;
    }

    void capturedSceneMatchesGlView() {
        // The export path end to end: field, range and arrows computed by render::captureScene.
        QFETCH(QString, method);
        QFETCH(bool, allLayers);
        DisplaySettings d;
        if (!allLayers) d.vectorField = d.particles = d.trails = d.data = d.methodView = false;
        Views v = drawBoth(method.toStdString(), d);
        QVERIFY(!v.gl.isNull());
        QCOMPARE(v.captured.width, v.gl.width());
        v.cpu = v.captured;
        int bad = 0;
        const double mad = meanDifference(v, allLayers ? v.gl.height() / 3 : 0, &bad);
        qInfo(
            "captured scene: mean |GL - CPU| = %.3f of 255 per channel, %d pixels differ by > 20 on average",
            mad, bad);
        QVERIFY2(mad < 2.5, qPrintable(QString::number(mad)));
    }

    void differentColourMapIsDetected() {
        // The comparison can fail: the CPU frame drawn in magma against the GL view in viridis.
        DisplaySettings d;
        d.contours = d.vectorField = d.particles = d.trails = d.data = d.methodView = false;
        Views v = drawBoth(std::string("sm"), d);
        QVERIFY(!v.gl.isNull());
        const double same = meanDifference(v, 0, nullptr);
        d.colorMap = ColorMap::Magma;
        const Views m = drawBoth(std::string("sm"), d);
        Views mixed{v.gl, m.cpu, {}};
        const double other = meanDifference(mixed, 0, nullptr);
        qInfo("viridis vs viridis %.3f, viridis vs magma %.3f", same, other);
        QVERIFY(other > 10 * std::max(same, 0.5));
    }
};

EBM_GUI_TEST_MAIN(TestCpuRender)
#include "tst_cpurender.moc"
