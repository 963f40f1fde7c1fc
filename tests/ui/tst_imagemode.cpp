// The image mode on a projector: the 2D window pauses its trainer while the image window trains and says
// so in its status bar, and resumes when that one pauses or closes; the grids scale their images to fill
// a large panel of any shape (and again after a resize); the energy histogram's tick labels fit inside
// the widget at round values; the repair view draws known pixels in exactly their grey and marks only the
// free ones, so a noisy digit is not tinted.
#include "energyhistogram.h"
#include "imagegrid.h"
#include "imagewindow.h"
#include "imagewindowtesthelpers.h"
#include "mainwindow.h"
#include "repairpanel.h"
#include "uitesthelpers.h"
#include <QAction>
#include <QLabel>
#include <QPointer>
#include <QRegularExpression>
#include <QStatusBar>
#include <cmath>
#include <ebm/core/parallel.h>

using namespace ebm;
using namespace ebm::ui;

namespace {
core::Matf someImages(int n, int side) {
    core::Matf m(side * side, n);
    for (int i = 0; i < n; ++i)
        for (int p = 0; p < side * side; ++p)
            m(p, i) = float((p * 7 + i * 13) % 17) / 16.0f;
    return m;
}

// Screen pixels per image pixel of the old layout: always 8 columns.
double eightColumnScale(QSize widget, int n, int side, int titleHeight) {
    const int rows = (n + 7) / 8;
    return std::min((widget.width() - 4) / (8.0 * side),
                    (widget.height() - titleHeight - 2) / (rows * double(side)));
}
} // namespace

class TestImageMode : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void initTestCase() { core::setThreadCount(2); }

    void the2dTrainerPausesWhileTheImageWindowTrains() {
        StartOptions o;
        o.restoreSettings = false;
        o.askToSave = false;
        o.settings.trainer.model.hidden = {32, 32};
        o.settings.particleCount = 300;
        MainWindow w(o);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(QTest::qWaitFor([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }, 60000));
        QPointer<ImageWindow> images = test::openImageWindow(w); // Ctrl+I, as a user opens it
        QVERIFY(images);
        QVERIFY(images->isTraining());
        QVERIFY(!w.settings().training);
        const QString why = w.statusBar()->currentMessage();
        QVERIFY2(why.contains(QLatin1String("Paused while the image window trains")), qPrintable(why));
        QVERIFY(QTest::qWaitFor([&] { return images->lastSnapshot() && images->lastSnapshot()->step > 0; },
                                120000));
        // The 2D step count stands still while the image window trains (after the chunk in flight).
        // Its live particles rest too (redrawing them took the image trainer's second core), while the
        // "Move particles while paused" setting stays as it was.
        QTest::qWait(500);
        const std::int64_t held = w.lastSnapshot()->step;
        const core::Matf heldParticles = w.lastSnapshot()->particles;
        QTest::qWait(1500);
        QCOMPARE(w.lastSnapshot()->step, held);
        QCOMPARE(w.lastSnapshot()->particles, heldParticles);
        QVERIFY(w.settings().particlesRunning);
        QVERIFY(images->lastSnapshot()->step > 0);

        // Pausing the image window gives the cores back; playing it again pauses the 2D trainer again.
        images->setPlaying(false);
        QVERIFY(w.settings().training);
        QVERIFY(QTest::qWaitFor([&] { return w.lastSnapshot()->step > held; }, 60000));
        images->setPlaying(true);
        QVERIFY(!w.settings().training);
        QVERIFY(w.statusBar()->currentMessage().contains(QLatin1String("Paused while the image window")));

        // Closing it resumes the 2D trainer.
        images->close();
        QVERIFY(QTest::qWaitFor([&] { return images.isNull(); }, 10000));
        QVERIFY(w.settings().training);
        const std::int64_t before = w.lastSnapshot()->step;
        QVERIFY(QTest::qWaitFor([&] { return w.lastSnapshot()->step > before; }, 60000));

        // Paused by hand beforehand, it stays paused when the image window opens and closes; its particles
        // rest while the image window trains and move again after.
        w.setPlaying(false);
        images = test::openImageWindow(w);
        QVERIFY(images);
        QVERIFY(w.statusBar()->currentMessage().contains(QLatin1String("particles rest")));
        QTest::qWait(500);
        const core::Matf resting = w.lastSnapshot()->particles;
        QTest::qWait(1000);
        QCOMPARE(w.lastSnapshot()->particles, resting);
        images->close();
        QVERIFY(QTest::qWaitFor([&] { return images.isNull(); }, 10000));
        QVERIFY(!w.settings().training);
        QVERIFY(QTest::qWaitFor([&] { return w.lastSnapshot()->particles != resting; }, 10000));
    }

    void theImageWindowOpenedFromThe2dWindowTrainsOnItsOwnThreadCount() {
        // ebmlab gives the 2D window's trainer all cores but one and the image window (Ctrl+I) all cores:
        // the image window's training thread has its own count, and the 2D window keeps the process's.
        const int processCount = ebm::core::threadCount();
        StartOptions o;
        o.restoreSettings = false;
        o.askToSave = false;
        o.settings.trainer.model.hidden = {32, 32};
        o.settings.particleCount = 200;
        o.imageThreads = processCount + 1;
        MainWindow main(o);
        main.show();
        QTRY_VERIFY_WITH_TIMEOUT(main.lastSnapshot() && main.lastSnapshot()->step > 0, 60000);
        ImageWindow* images = test::openImageWindow(main);
        QVERIFY(images);
        QPointer<ImageWindow> guard(images);
        QTRY_VERIFY_WITH_TIMEOUT(images->lastSnapshot() && images->lastSnapshot()->step > 0, 60000);
        QCOMPARE(images->lastSnapshot()->threads, processCount + 1);
        QCOMPARE(ebm::core::threadCount(), processCount); // the GUI's and the 2D trainer's count
        auto* rate = images->findChild<QLabel*>(QStringLiteral("rateLabel"));
        QVERIFY(rate);
        QTRY_VERIFY(rate->toolTip().contains(QStringLiteral("on %1 thread").arg(processCount + 1)));
        QVERIFY(images->close());
        QTRY_VERIFY(guard.isNull());
    }

    void gridsScaleTheirImagesToFillThePanel() {
        ImageGrid g(QStringLiteral("Chains"));
        const int side = 16, n = 64;
        g.setImages(someImages(n, side), side, side, 8);
        const int titleH = g.fontMetrics().height() + 4;
        for (const QSize size : {QSize(1200, 320), QSize(420, 1100), QSize(900, 700)}) {
            g.resize(size);
            const QRect c = g.cellRect(0);
            const double old = eightColumnScale(size, n, side, titleH);
            qInfo("%dx%d panel: %d columns, cells %dx%d px (8 fixed columns: %.0f px)", size.width(),
                  size.height(), g.displayColumns(), c.width(), c.height(), old * side);
            QVERIFY2(c.width() > 2 * side && c.height() > 2 * side, qPrintable(QString::number(c.width())));
            // Never clearly smaller than the fixed layout (whole screen pixels per image pixel may cost a
            // bit).
            QVERIFY(c.width() >= int(0.85 * old * side));
            // The grid fills the panel along one side at least (the other is limited by its shape).
            const QRect all = g.cellRect(0).united(g.cellRect(n - 1));
            QVERIFY(all.width() > size.width() * 0.8 || all.height() > (size.height() - titleH) * 0.8);
        }
        // A wide panel shows far larger digits than eight fixed columns did.
        g.resize(1200, 320);
        QVERIFY(g.cellRect(0).width() >= 1.5 * eightColumnScale(g.size(), n, side, titleH) * side);
        QCOMPARE(g.indexAt(g.cellRect(37).center()), 37);
    }

    void histogramLabelsFitInsideTheWidget() {
        EnergyHistogram h;
        h.resize(340, 160);
        core::Rowf data(3), chains(3), noise(3);
        data << -12345.6f, -12000.0f, -11000.0f;
        chains << 100.0f, 2000.0f, 3000.0f;
        noise << 50000.0f, 90000.0f, 98765.4f;
        h.setEnergies(data, chains, noise);
        const QFontMetrics fm(h.font());
        const EnergyHistogram::Layout l = h.layout();
        QVERIFY2(l.ticks.size() >= 3 && l.ticks.size() <= 7, qPrintable(QString::number(l.ticks.size())));
        std::vector<double> values;
        for (const auto& [r, text] : l.ticks) {
            QVERIFY2(r.left() >= 0 && r.right() < h.width(), qPrintable(text));
            QVERIFY(r.width() >= fm.horizontalAdvance(text));
            bool ok = false;
            values.push_back(QString(text).replace(QChar(0x2212), QLatin1Char('-')).toDouble(&ok));
            QVERIFY2(ok, qPrintable(text));
        }
        // Round, evenly spaced values: a step of 1, 2 or 5 × 10^k, and every value a multiple of it.
        const double step = values[1] - values[0];
        const double mant = step / std::pow(10.0, std::floor(std::log10(step)));
        QVERIFY2(std::abs(mant - 1) < 1e-6 || std::abs(mant - 2) < 1e-6 || std::abs(mant - 5) < 1e-6,
                 qPrintable(QString::number(step)));
        for (size_t i = 1; i < values.size(); ++i)
            QVERIFY(std::abs(values[i] - values[i - 1] - step) < 1e-6 * std::abs(step));
        for (double v : values)
            QVERIFY2(std::abs(v / step - std::round(v / step)) < 1e-6, qPrintable(QString::number(v)));
        const auto& [last, lastText] = l.ticks.back();
        QVERIFY2(last.center().x() + fm.horizontalAdvance(lastText) / 2 <= h.width(), qPrintable(lastText));
        QVERIFY(l.plot.right() < h.width() && l.plot.left() > 0);
    }

    void repairViewDrawsKnownPixelsInTheirGrey() {
        RepairCanvas c;
        c.resize(240, 240);
        const int side = 16;
        core::Vecf pixels(side * side), known = core::Vecf::Ones(side * side);
        for (int i = 0; i < side * side; ++i)
            pixels(i) = float((i * 37) % 256) / 255.0f;
        for (int y = 4; y < 9; ++y) // an erased block (inpainting)
            for (int x = 5; x < 11; ++x)
                known(y * side + x) = 0;
        const auto grey = [&](int x, int y) {
            const int g = int(std::clamp(pixels(y * side + x), 0.0f, 1.0f) * 255.0f + 0.5f);
            return QColor(g, g, g);
        };
        c.setImage(pixels, known, side, side);
        QImage img = c.grab().toImage();
        int marked = 0;
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x) {
                const QColor got = img.pixelColor(c.pixelCentre(x, y));
                if (known(y * side + x) > 0.5f)
                    QCOMPARE(got, grey(x, y)); // known: the image itself, no tint
                else
                    marked += got != grey(x, y); // free: marked (a faint wash)
            }
        QCOMPARE(marked, 30);
        // Denoising: every pixel free, and still every pixel in its own grey (no red image).
        c.setImage(pixels, core::Vecf::Zero(side * side), side, side);
        img = c.grab().toImage();
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                QCOMPARE(img.pixelColor(c.pixelCentre(x, y)), grey(x, y));
    }
};

EBM_GUI_TEST_MAIN(TestImageMode)
#include "tst_imagemode.moc"
