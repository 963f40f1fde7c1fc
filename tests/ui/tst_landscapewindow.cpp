// Drives the real window under Xvfb/Mesa: it starts into a live scene, switches methods while training,
// changes the target, toggles layers, and checks rendered pixels (eight low-energy basins at the
// eight modes after training).
#include "controlpanel.h"
#include "displaypanel.h"
#include "drawpanel.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "trainingworker.h"
#include "uitesthelpers.h"
#include "windowtesthelpers.h"
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QStyleHints>
#include <QTest>
#include <QWindow>
#include <cmath>
#include <numbers>

using namespace ebm;
using namespace ebm::ui;

namespace {
using test::quickStart;
using test::showTraining;
using test::waitForSnapshot;

// The widget pixel of a data point.
QPoint pixelOf(const LandscapeView& v, QPointF data) {
    return (v.transform().toPixel(data) + QPointF(v.plotRect().topLeft())).toPoint();
}

// Renders the view now and returns its framebuffer.
QImage frame(LandscapeView& v) {
    v.update();
    QTest::qWait(30);
    return v.grabFramebuffer();
}

int countBrightPixels(const QImage& img, const QRect& r) {
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            if (qGray(img.pixel(x, y)) > 110) ++n;
    return n;
}
} // namespace

class TestLandscapeWindow : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void startsIntoLiveDefaultScene() {
        QElapsedTimer t;
        t.start();
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // A live scene at once: trained steps and particles on screen. The 2-second target is measured and
        // reported (README), not asserted: a timed assertion fails on a loaded shared machine, so the
        // bound here only catches a scene that never starts.
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step > 0; }, 15000));
        qInfo("first trained snapshot after %lld ms", t.elapsed());
        QVERIFY(w.view()->glReady());
        QVERIFY2(w.view()->shaderLog().isEmpty() ||
                     !w.view()->shaderLog().contains(QLatin1String("error"), Qt::CaseInsensitive),
                 qPrintable(w.view()->shaderLog()));
        const TrainingSnapshot& s = *w.lastSnapshot();
        QCOMPARE(s.targetName, std::string("eight-gaussians"));
        QCOMPARE(s.method, std::string("cd"));
        QCOMPARE(w.settings().trainer.chains.sampler.kind, core::SamplerKind::Langevin);
        QVERIFY(w.view()->softwareRenderer());                   // Xvfb gives llvmpipe ...
        QCOMPARE(w.view()->activePath(), EvalPath::GridTexture); // ... so Auto picks the grid texture
        QVERIFY(w.lastError().isEmpty());
    }

    void defaultSceneLearnsEightModes() {
        // The opening example has to show eight separate modes, not a ring: the time from launch to
        // KL(target‖model) < 0.1 is printed and reported in the README (measured, not asserted: the
        // bound only catches a default scene that does not learn).
        QElapsedTimer t;
        t.start();
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step > 100 && s.kl < 0.1; }, 240000));
        const TrainingSnapshot& s = *w.lastSnapshot();
        qInfo("KL %.3f < 0.1 after %.1f s (step %lld, %.0f steps/s at the end)", s.kl, t.elapsed() / 1000.0,
              (long long)s.step, s.stepsPerSecond);
        QCOMPARE(s.method, std::string("cd"));
    }

    void setSpeedIsAnUpperBound() {
        // At a set speed the worker takes the steps due and no more (a loaded machine may take fewer).
        StartOptions o = quickStart();
        o.settings.stepsPerSecond = 5;
        QElapsedTimer t;
        t.start();
        MainWindow w(o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step >= 3; }, 30000));
        QTest::qWait(1000);
        const std::int64_t steps = w.lastSnapshot()->step;
        QVERIFY2(steps <= 5 * t.elapsed() / 1000.0 + 2, qPrintable(QString::number(steps)));
        // --stats averages the speed over the stretch of training, as the CLI does: about the 5 set.
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("(\\d+) on average over ([0-9.]+) s")).match(w.statsLine());
        QVERIFY2(m.hasMatch(), qPrintable(w.statsLine()));
        QVERIFY2(m.captured(1).toInt() >= 1 && m.captured(1).toInt() <= 7, qPrintable(w.statsLine()));
        QVERIFY2(m.captured(2).toDouble() > 0.5, qPrintable(w.statsLine()));
        // Back to the maximum from the Speed box: many steps per snapshot again.
        auto* speed = w.controls()->findChild<QComboBox*>(QStringLiteral("speedCombo"));
        QVERIFY(speed);
        QCOMPARE(speed->currentData().toInt(), 5);
        speed->setCurrentIndex(speed->findData(0));
        QCOMPARE(w.settings().stepsPerSecond, 0);
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return s.step > steps + 50; }, 60000));
    }

    void switchesMethodWhileTraining() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step > 2; }, 5000));
        // The keyboard shortcuts of NCE, denoising score matching and CD (keys 1–9 follow the registry's
        // order), typed into the focused view.
        const auto key = [](const char* method) {
            return Qt::Key(Qt::Key_0 + methodKey(planeMethods(), method));
        };
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.view()->setFocus();
        QTest::keyClick(w.view(), key("nce"));
        QVERIFY(waitForSnapshot(
            w,
            [](const TrainingSnapshot& s) {
                return s.method == std::string("nce") && s.stepsInChunk > 0 && !s.nceLogit.empty();
            },
            20000));
        QTest::keyClick(w.view(), key("dsm"));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.method == std::string("dsm") && s.stepsInChunk > 0; },
            20000));
        // The score-error view exists only during score matching.
        DisplaySettings d = w.view()->display();
        d.source = FieldSource::FisherMap;
        w.setDisplay(d);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return !s.fisher.empty(); }, 20000));
        frame(*w.view());
        QTest::keyClick(w.view(), key("cd"));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.method == std::string("cd") && s.stepsInChunk > 0; },
            20000));
        // Space pauses: the step count stops.
        QTest::keyClick(w.view(), Qt::Key_Space);
        QVERIFY(!w.settings().training);
        // Once a snapshot says "paused", the worker has applied the pause: no step follows it.
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return !s.playing; }, 10000));
        const auto step = w.lastSnapshot()->step;
        QTest::qWait(400);
        QCOMPARE(w.lastSnapshot()->step, step);
        // The status bar says so, not "0 steps/s".
        const QLabel* rate = w.statusBar()->findChild<QLabel*>(QStringLiteral("rateLabel"));
        QVERIFY(rate);
        QTRY_COMPARE(rate->text(), QStringLiteral("paused"));
        QTest::keyClick(w.view(), Qt::Key_S); // single step
        QVERIFY(waitForSnapshot(
            w, [step](const TrainingSnapshot& s) { return s.step == step + 1; }, 10000));
        QVERIFY(w.lastError().isEmpty());
        QVERIFY(w.charts()->pointCount(MetricsChart::Loss) > 0);
    }

    void changesTarget() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("targetCombo"));
        QVERIFY(combo);
        const int idx = combo->findData(QStringLiteral("checkerboard"));
        QVERIFY(idx >= 0);
        combo->setCurrentIndex(idx);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.targetName == "checkerboard"; }, 10000));
        QCOMPARE(w.settings().target, std::string("checkerboard"));
        // The target view shows the checkerboard: alternating squares of high and low density.
        DisplaySettings d = w.view()->display();
        d.source = FieldSource::Target;
        d.contours = d.vectorField = d.particles = d.data = d.methodView = false;
        w.setDisplay(d);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.targetEnergy.nx > 0; }, 5000));
        const QImage img = frame(*w.view());
        // Dark squares [i, i+1) x [j, j+1) with i + j even have density 1/8 (low target energy); the others
        // have none (the top of the colour range).
        double darkMax = 0, lightMin = 1;
        for (int i = -2; i < 2; ++i)
            for (int j = -2; j < 2; ++j) {
                const double t = invertColorAt(img, *w.view(), QPointF(i + 0.5, j + 0.5));
                if (((i + j) & 1) == 0)
                    darkMax = std::max(darkMax, t);
                else
                    lightMin = std::min(lightMin, t);
            }
        QVERIFY2(darkMax + 0.3 < lightMin, qPrintable(QStringLiteral("%1 %2").arg(darkMax).arg(lightMin)));
    }

    void trainsOnADrawingWithoutRestarting() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step > 3; }, 10000));
        // Choosing "drawing" with nothing drawn is refused: the target stays, the draw pane opens.
        auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("targetCombo"));
        combo->setCurrentIndex(combo->findData(QString::fromLatin1(kDrawingTarget)));
        QCOMPARE(w.settings().target, std::string("eight-gaussians"));
        QCOMPARE(combo->currentData().toString(), QStringLiteral("eight-gaussians"));
        QVERIFY(w.findChild<QDockWidget*>(QStringLiteral("drawDock"))->isVisible());

        DrawPanel* pane = w.drawPanel();
        QVERIFY(pane->useText(QStringLiteral("L")));
        const std::int64_t stepBefore = w.lastSnapshot()->step;
        QTest::mouseClick(pane->findChild<QPushButton*>(QStringLiteral("trainOnDrawing")), Qt::LeftButton);
        QVERIFY(waitForSnapshot(
            w,
            [&](const TrainingSnapshot& s) {
                return s.targetName == kDrawingTarget && s.targetEnergy.nx > 0;
            },
            10000));
        // The model was not restarted: the step count carries on.
        QVERIFY(w.lastSnapshot()->step >= stepBefore);
        QCOMPARE(combo->currentData().toString(), QString::fromLatin1(kDrawingTarget));

        // The target view shows the drawing: low target energy where the L is painted, high elsewhere.
        DisplaySettings d = w.view()->display();
        d.source = FieldSource::Target;
        d.contours = d.vectorField = d.particles = d.data = d.methodView = false;
        w.setDisplay(d);
        const core::DensityDrawing& dr = pane->document()->drawing();
        Eigen::Index iy, ix;
        dr.paint().maxCoeff(&iy, &ix);
        const QPointF inked(dr.cellX(int(ix)), dr.cellY(int(iy))), blank(2.5, 2.5);
        QCOMPARE(
            dr.paint()(int((2.5 - dr.box().y0) / dr.cellHeight()), int((2.5 - dr.box().x0) / dr.cellWidth())),
            0.0f);
        QImage img = frame(*w.view());
        QVERIFY(invertColorAt(img, *w.view(), inked) + 0.5 < invertColorAt(img, *w.view(), blank));

        // Live: painting at (2.5, 2.5) while it trains hands the new density over at once.
        const std::int64_t stepAtEdit = w.lastSnapshot()->step;
        core::BrushOptions b;
        b.radius = 0.5;
        b.strength = 1;
        b.hardness = 1;
        pane->canvas()->setBrush(b);
        pane->canvas()->setTool(DrawTool::Brush);
        QTest::mouseClick(pane->canvas(), Qt::LeftButton, {}, pane->canvas()->toWidget(blank).toPoint());
        const render::ScalarField before = w.lastSnapshot()->targetEnergy;
        QVERIFY(waitForSnapshot(
            w,
            [&](const TrainingSnapshot& s) {
                return s.targetEnergy.nx > 0 && !(s.targetEnergy.values.isApprox(before.values));
            },
            10000));
        QVERIFY(w.lastSnapshot()->step >= stepAtEdit);
        img = frame(*w.view());
        // Both inked now, next to a saturated background. The robust range spans only a few nats here, so
        // the half-nat difference between the old stroke and the fresh blob shows (0.18 of the map).
        QVERIFY(std::abs(invertColorAt(img, *w.view(), blank) - invertColorAt(img, *w.view(), inked)) < 0.3);
        QVERIFY(w.lastError().isEmpty());
    }

    // The hint's "double-click to reset the view", pressed on the plot's own GL window as a user does
    // (a window in a container gets no double click from Qt: the view makes one of two presses).
    void doubleClickOnThePlotResetsTheView() {
        // The view tells a double click by the wall-clock time between the presses; a sanitizer build's GUI
        // thread takes longer than the default 400 ms between two synthetic clicks, so the interval scales.
        QStyleHints* hints = QGuiApplication::styleHints();
        const int interval = hints->mouseDoubleClickInterval();
        hints->setMouseDoubleClickInterval(ebm::testtime::scaledMs(interval));
        const auto restore = qScopeGuard([&] { hints->setMouseDoubleClickInterval(interval); });
        MainWindow w(quickStart());
        QVERIFY(showTraining(w, QSize(1200, 900), 0, 20000));
        LandscapeView& v = *w.view();
        const core::Box home = v.viewBox();
        v.showBox(core::Box{-20, 20, -20, 20}); // zoomed out, as after a few wheel notches
        QVERIFY(v.viewBox().x0 < home.x0 - 5);
        QWindow* surface = v.surface();
        QVERIFY(surface);
        const QPoint c = v.plotRect().center();
        QTest::mouseClick(surface, Qt::LeftButton, {}, c);
        QTest::mouseClick(surface, Qt::LeftButton, {}, c);
        QTRY_VERIFY(std::abs(v.viewBox().x0 - home.x0) < 1e-9 && std::abs(v.viewBox().y1 - home.y1) < 1e-9);
        // Two clicks far apart in time are two clicks (two spawns), not a reset.
        v.showBox(core::Box{-20, 20, -20, 20});
        QTest::mouseClick(surface, Qt::LeftButton, {}, c);
        QTest::qWait(QGuiApplication::styleHints()->mouseDoubleClickInterval() + 100);
        QTest::mouseClick(surface, Qt::LeftButton, {}, c);
        QTest::qWait(50);
        QVERIFY(v.viewBox().x0 < home.x0 - 5);
    }

    // The charts dock has a close button; the View menu brings it back.
    void aClosedChartsDockComesBackFromTheViewMenu() {
        MainWindow w(quickStart());
        w.resize(1200, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("chartsDock"));
        QVERIFY(dock && dock->isVisible());
        dock->close();
        QVERIFY(!dock->isVisible());
        QAction* show = nullptr;
        for (QAction* m : w.menuBar()->actions())
            if (m->menu() && m->text() == QStringLiteral("&View"))
                for (QAction* a : m->menu()->actions())
                    if (a->text() == QStringLiteral("Training &charts")) show = a;
        QVERIFY(show);
        QVERIFY(!show->isChecked());
        show->trigger();
        QVERIFY(dock->isVisible());
        QVERIFY(show->isChecked());
    }

    void togglesLayers() {
        MainWindow w(quickStart());
        QVERIFY(showTraining(w, QSize(1200, 900), 0, 5000));
        LandscapeView& v = *w.view();
        const QRect plot = v.plotRect().adjusted(4, 4, -4, -4);
        DisplaySettings d = v.display();
        // Nothing but the background.
        d.landscape = d.vectorField = d.particles = d.data = d.methodView = false;
        w.setDisplay(d);
        QImage img = frame(v);
        QCOMPARE(countBrightPixels(img, plot), 0);
        // Particles only: bright (white) particles appear.
        d.particles = true;
        w.setDisplay(d);
        img = frame(v);
        const int particles = countBrightPixels(img, plot);
        QVERIFY2(particles > 50, qPrintable(QString::number(particles)));
        // Arrows only: white arrows.
        d.particles = false;
        d.vectorField = true;
        w.setDisplay(d);
        img = frame(v);
        QVERIFY(countBrightPixels(img, plot) > 50);
        // Landscape on: the plot is coloured by the map (no background pixels left).
        d.vectorField = false;
        d.landscape = true;
        w.setDisplay(d);
        img = frame(v);
        const QColor bg = img.pixelColor(plot.center());
        QVERIFY(bg != QColor(20, 20, 26));
        // The display panel and the settings follow.
        QCOMPARE(w.displayPanel()->display().landscape, true);
        QSettings s(QStringLiteral("EBM Lab"), QStringLiteral("EBM Lab"));
        QCOMPARE(s.value(QStringLiteral("layers/vectorField")).toBool(), false);
    }

    void eightBasinsAfterTraining() {
        // Denoising score matching separates the eight modes within ~1000 steps on this machine.
        StartOptions o = quickStart();
        o.settings.trainer.method = std::string("dsm");
        o.settings.particlesRunning = false;
        MainWindow w(o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step >= 1500; }, 300000));
        w.setPlaying(false);
        QTest::qWait(300);
        LandscapeView& v = *w.view();
        DisplaySettings d = v.display();
        d.source = FieldSource::Model;
        d.quantity = Quantity::Energy;
        d.colorMap = ColorMap::Viridis;
        d.contours = d.vectorField = d.particles = d.data = d.methodView = false;
        w.setDisplay(d);
        const QImage img = frame(v);
        // The energy along the circle of the modes, read back from the rendered colours.
        const int n = 360;
        std::vector<double> t(n);
        for (int i = 0; i < n; ++i) {
            const double a = 2 * std::numbers::pi * i / n;
            t[i] = invertColorAt(img, v, QPointF(2 * std::cos(a), 2 * std::sin(a)));
        }
        // Smooth a little, then find the circular local minima.
        std::vector<double> s(n);
        for (int i = 0; i < n; ++i) {
            double acc = 0;
            for (int k = -4; k <= 4; ++k)
                acc += t[(i + k + n) % n];
            s[i] = acc / 9;
        }
        std::vector<int> minima;
        for (int i = 0; i < n; ++i) {
            bool isMin = true;
            for (int k = 1; k <= 12 && isMin; ++k)
                isMin = s[i] <= s[(i + k) % n] && s[i] < s[(i - k + n) % n];
            if (isMin) minima.push_back(i);
        }
        QString found;
        for (int m : minima)
            found += QString::number(m) + QLatin1Char(' ');
        QVERIFY2(minima.size() == 8, qPrintable(QStringLiteral("minima at degrees: ") + found));
        for (int m : minima) {
            const int off = ((m % 45) + 45) % 45;
            QVERIFY2(std::min(off, 45 - off) <= 10,
                     qPrintable(QStringLiteral("minima at degrees: ") + found));
        }
        // And the origin, far from the data, is a high-energy region.
        const double origin = invertColorAt(img, v, QPointF(0, 0));
        QVERIFY(origin > *std::max_element(t.begin(), t.end()) - 0.05 || origin > 0.6);
    }

private:
    static double invertColorAt(const QImage& img, const LandscapeView& v, QPointF data) {
        const QPoint p = pixelOf(v, data);
        return test::invertColor(ColorMap::Viridis, img.pixelColor(p));
    }
};

EBM_GUI_TEST_MAIN(TestLandscapeWindow)
#include "tst_landscapewindow.moc"
