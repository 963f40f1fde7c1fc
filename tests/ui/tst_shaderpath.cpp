// The per-pixel MLP shader path against the core: energies read back from the shader at sampled pixels
// match Mlp::energy at the pixel centres (relative error < 1e-3), and both evaluation paths draw the
// same picture. Runs under Xvfb with Mesa (llvmpipe).
#include "landscapeview.h"
#include "trainingengine.h"
#include "uitesthelpers.h"
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <cmath>

using namespace ebm;
using namespace ebm::ui;

class TestShaderPath : public QObject {
    Q_OBJECT

    // A model trained for a few hundred steps, as a snapshot over the view box.
    static SnapshotPtr trainedSnapshot(const std::vector<int>& hidden, core::Activation act, core::Box view) {
        WorkerSettings s;
        s.trainer.model.hidden = hidden;
        s.trainer.model.activation = act;
        s.trainer.method = std::string("dsm");
        s.training = false; // 300 steps exactly, as single steps
        s.particlesRunning = false;
        s.particleCount = 100;
        TrainingEngine session(s);
        session.setView(view);
        session.requestSteps(300);
        session.advance();
        return session.snapshot();
    }

    // A 600 × 500 view of [-4, 4]² with these layers, shown and ready to draw.
    static bool showView(LandscapeView& view, const DisplaySettings& d = {}) {
        view.setDisplay(d);
        view.resize(600, 500);
        view.show();
        if (!QTest::qWaitForWindowExposed(&view) || !QTest::qWaitFor([&] { return view.glReady(); }, 5000))
            return false;
        view.resetView(core::Box{-4, 4, -4, 4});
        return true;
    }

    // The same, drawing the point sets only (no landscape, arrows or contours).
    static bool showPointsOnly(LandscapeView& view, bool trails) {
        DisplaySettings d;
        d.landscape = d.vectorField = d.contours = false;
        d.trails = trails;
        return showView(view, d);
    }

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void readbackMatchesCore_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("depth");
        QTest::addColumn<int>("activation");
        QTest::newRow("64x2 silu") << 64 << 2 << int(core::Activation::SiLU);
        QTest::newRow("128x2 silu") << 128 << 2 << int(core::Activation::SiLU);
        QTest::newRow("32x3 softplus") << 32 << 3 << int(core::Activation::Softplus);
        QTest::newRow("48x2 tanh") << 48 << 2 << int(core::Activation::Tanh);
    }

    void readbackMatchesCore() {
        QFETCH(int, width);
        QFETCH(int, depth);
        QFETCH(int, activation);
        const core::Box box{-4, 4, -4, 4};
        SnapshotPtr snap =
            trainedSnapshot(std::vector<int>(size_t(depth), width), core::Activation(activation), box);
        LandscapeView view;
        view.resize(420 + 180, 380 + 58);
        DisplaySettings d;
        d.path = EvalPath::ShaderMlp;
        view.setDisplay(d);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.glReady());
        view.resetView(box);
        view.setSnapshot(snap);

        // 400 random pixels of the plot.
        QRandomGenerator rng(7);
        const QSize size = view.plotRect().size();
        std::vector<QPoint> pixels;
        core::Matf pts(2, 400);
        for (int i = 0; i < 400; ++i) {
            const QPoint p(rng.bounded(size.width()), rng.bounded(size.height()));
            pixels.push_back(p);
            const QPointF x = view.plotPixelToData(p);
            pts(0, i) = float(x.x());
            pts(1, i) = float(x.y());
        }
        const std::vector<float> shader = view.readEnergies(pixels);
        QCOMPARE(view.activePath(), EvalPath::ShaderMlp);
        const core::Rowf core = snap->model->energy(pts);
        double worst = 0;
        const float scale = core.cwiseAbs().maxCoeff();
        for (int i = 0; i < 400; ++i) {
            QVERIFY2(std::isfinite(shader[size_t(i)]), "shader energy is not finite");
            // Relative error, with the energy's scale as the floor where E crosses zero.
            const double rel =
                std::abs(shader[size_t(i)] - core(i)) / std::max(std::abs(core(i)), 0.05f * scale);
            worst = std::max(worst, rel);
        }
        qInfo("worst relative error %.2e over 400 pixels (|E| up to %.2f)", worst, scale);
        QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));
    }

    void bothPathsDrawTheSamePicture() {
        const core::Box box{-4, 4, -4, 4};
        SnapshotPtr snap = trainedSnapshot({64, 64}, core::Activation::SiLU, box);
        LandscapeView view;
        view.resize(600, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.glReady());
        view.resetView(box);
        view.setSnapshot(snap);
        DisplaySettings d;
        d.contours = d.vectorField = d.particles = d.data = d.methodView = false;
        QImage images[2];
        for (int k = 0; k < 2; ++k) {
            d.path = k == 0 ? EvalPath::GridTexture : EvalPath::ShaderMlp;
            view.setDisplay(d);
            QCOMPARE(view.activePath(), d.path);
            images[k] = view.grabFramebuffer();
        }
        const QRect plot = view.plotRect().adjusted(2, 2, -2, -2);
        double sum = 0;
        int n = 0, bad = 0;
        for (int y = plot.top(); y <= plot.bottom(); y += 3)
            for (int x = plot.left(); x <= plot.right(); x += 3) {
                const double t0 = test::invertColor(ColorMap::Viridis, images[0].pixelColor(x, y));
                const double t1 = test::invertColor(ColorMap::Viridis, images[1].pixelColor(x, y));
                sum += std::abs(t0 - t1);
                bad += std::abs(t0 - t1) > 0.05;
                ++n;
            }
        qInfo("mean colour-map difference %.4f, %d of %d pixels differ by > 0.05", sum / n, bad, n);
        QVERIFY(sum / n < 0.01);
        QVERIFY(bad < n / 100);
    }

    void pointSetsAreSplattedInTheirColours() {
        // Synthetic snapshot: one data point, one negative and one particle at known places.
        auto snap = std::make_shared<TrainingSnapshot>(
            *trainedSnapshot({16}, core::Activation::SiLU, core::Box{-4, 4, -4, 4}));
        snap->serial = 1000;
        snap->data = core::Matf(2, 1);
        snap->data << -2.0f, 2.0f;
        snap->negatives = core::Matf(2, 1);
        snap->negatives << 2.0f, 2.0f;
        snap->particles = core::Matf(2, 1);
        snap->particles << 0.0f, -2.0f;
        LandscapeView view;
        QVERIFY(showPointsOnly(view, true));
        view.setSnapshot(snap);
        const QImage img = view.grabFramebuffer();
        const auto at = [&](QPointF x) {
            return img.pixelColor(
                (view.transform().toPixel(x) + QPointF(view.plotRect().topLeft())).toPoint());
        };
        const QColor data = at(QPointF(-2, 2)), neg = at(QPointF(2, 2)), part = at(QPointF(0, -2)),
                     none = at(QPointF(0, 0));
        qInfo("data %s negative %s particle %s empty %s", qPrintable(data.name()), qPrintable(neg.name()),
              qPrintable(part.name()), qPrintable(none.name()));
        QVERIFY(data.red() > 150 && data.red() > data.blue() + 80);           // orange
        QVERIFY(neg.red() > 150 && neg.red() > neg.green() + 80);             // magenta
        QVERIFY(part.red() > 150 && part.green() > 150 && part.blue() > 150); // white
        QVERIFY(none.red() < 60);
    }

    void splatsAreDrawnAcrossTileEdgesAndClearedWhenTheyMove() {
        // The composite draws only the 16-pixel tiles the splat listed. A particle whose 3 × 3 footprint
        // straddles four tiles, and one in the top-right tile (cut by the plot's edge: 420 × 442 pixels
        // is no multiple of 16), must be drawn whole; after they move, nothing may stay where they were.
        auto snap = std::make_shared<TrainingSnapshot>(
            *trainedSnapshot({16}, core::Activation::SiLU, core::Box{-4, 4, -4, 4}));
        snap->serial = 2000;
        snap->data = snap->negatives = core::Matf(2, 0);
        LandscapeView view;
        QVERIFY(showPointsOnly(view, false));
        const core::Box box = view.transform().box(); // grown on one axis to the plot's aspect ratio
        const QRect plot = view.plotRect();
        const int w = plot.width(), h = plot.height();
        // Splat pixel (column, row from the bottom) -> its data point, and -> the framebuffer pixel.
        const auto dataAt = [&](int cx, int cy) {
            return QPointF(box.x0 + (cx + 0.5) / w * (box.x1 - box.x0),
                           box.y0 + (cy + 0.5) / h * (box.y1 - box.y0));
        };
        const auto shown = [&](const QImage& img, int cx, int cy) {
            return img.pixelColor(plot.left() + cx, plot.top() + h - 1 - cy);
        };
        const int cx = 16 * (w / 32), cy = 16 * (h / 32); // a tile corner near the middle
        // Three pixels in from the top-right corner: the frame's line is drawn over the last ones.
        const std::vector<QPoint> pixels{{cx, cy}, {w - 4, h - 4}};
        snap->particles = core::Matf(2, 2);
        for (int i = 0; i < 2; ++i) {
            const QPointF x = dataAt(pixels[size_t(i)].x(), pixels[size_t(i)].y());
            snap->particles.col(i) << float(x.x()), float(x.y());
        }
        view.setSnapshot(snap);
        const QImage first = view.grabFramebuffer();
        int lit = 0, footprint = 0;
        for (const QPoint& c : pixels)
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    ++footprint;
                    lit += shown(first, c.x() + dx, c.y() + dy).green() > 80;
                }
        qInfo("%d of %d footprint pixels lit (plot %d x %d, corner at %d, %d)", lit, footprint, w, h, cx, cy);
        QCOMPARE(lit, footprint);

        // Moved away (a new count restarts the ring, so no trail is left either).
        auto moved = std::make_shared<TrainingSnapshot>(*snap);
        moved->serial = 2001;
        moved->particles = core::Matf(2, 1);
        const QPointF far = dataAt(w / 4, h / 4);
        moved->particles.col(0) << float(far.x()), float(far.y());
        view.setSnapshot(moved);
        const QImage second = view.grabFramebuffer();
        int left = 0;
        for (const QPoint& c : pixels)
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    left += shown(second, c.x() + dx, c.y() + dy).green() > 80;
        QCOMPARE(left, 0);
        QVERIFY(shown(second, w / 4, h / 4).green() > 80);
    }

    void theFrameLiesOnThePlotsOutermostPixels() {
        // The GL layers fill the plot rectangle; the frame must cover its outermost pixels on every side,
        // or a column of the landscape shows outside the frame (it did on the right).
        SnapshotPtr snap = trainedSnapshot({16}, core::Activation::SiLU, core::Box{-4, 4, -4, 4});
        LandscapeView view;
        QVERIFY(showView(view));
        view.setSnapshot(snap);
        const QImage img = view.grabFramebuffer();
        const QRect plot = view.plotRect();
        const QColor frame = img.pixelColor(plot.center().x(), plot.top());
        int off = 0, n = 0;
        const auto check = [&](int x, int y) {
            const QColor c = img.pixelColor(x, y);
            off += std::abs(c.red() - frame.red()) + std::abs(c.green() - frame.green()) +
                       std::abs(c.blue() - frame.blue()) >
                   30;
            ++n;
        };
        for (int y = plot.top() + 2; y <= plot.bottom() - 2; ++y) {
            check(plot.left(), y);
            check(plot.right(), y);
        }
        for (int x = plot.left() + 2; x <= plot.right() - 2; ++x)
            check(x, plot.bottom());
        qInfo("frame %s: %d of %d edge pixels differ", qPrintable(frame.name()), off, n);
        QCOMPARE(off, 0);
    }

    void wideModelFallsBackToGrid() {
        SnapshotPtr snap = trainedSnapshot({256}, core::Activation::SiLU, core::Box{-4, 4, -4, 4});
        LandscapeView view;
        DisplaySettings d;
        d.path = EvalPath::ShaderMlp;
        view.setDisplay(d);
        view.resize(500, 450);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QTRY_VERIFY(view.glReady());
        view.setSnapshot(snap);
        view.grabFramebuffer();
        QCOMPARE(view.activePath(), EvalPath::GridTexture);
    }
};

EBM_GUI_TEST_MAIN(TestShaderPath)
#include "tst_shaderpath.moc"
