// The window's export defaults: the first export into a home without a Pictures folder succeeds and
// leaves the folder; "from scratch" starts at step 0 and "continue from now" at the scene's step; the
// default clip lasts 10 s; a live recording's frames carry the same figure as the exports (the axis
// frame, the colour bar) around the view's plot.
#include "exportdialog.h"
#include "landscapeview.h"
#include "liverecorder.h"
#include "mainwindow.h"
#include "uitesthelpers.h"
#include <QElapsedTimer>
#include <QFileInfo>
#include <QImageReader>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <ebm/core/density.h>
#include <ebm/core/parallel.h>
#include <ebm/render/figure.h>

using namespace ebm;
using namespace ebm::ui;

namespace {
// A small scene after `steps` CD steps, as the window's capture would hand it over.
io::SessionFile scene(int steps) {
    io::SessionFile s;
    s.target = "eight-gaussians";
    core::TrainerOptions o;
    o.model.hidden = {16, 16};
    o.batchSize = 64;
    o.chains.bufferSize = 256;
    o.box = core::Box{-4, 4, -4, 4};
    core::Trainer t(io::targetOf(s), o);
    for (int i = 0; i < steps; ++i)
        t.step();
    s.trainer = t.state();
    s.view = o.box;
    s.particles = core::Matf::Zero(2, 100);
    s.display.vectorField = false;
    return s;
}

ExportDialog::Capture captureOf(const io::SessionFile& s) {
    return [s](std::function<void(io::SessionFile)> done) { done(s); };
}

bool near(QColor a, int r, int g, int b, int tolerance) {
    return std::abs(a.red() - r) <= tolerance && std::abs(a.green() - g) <= tolerance &&
           std::abs(a.blue() - b) <= tolerance;
}
} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }
    void initTestCase() { core::setThreadCount(2); }

    void firstExportCreatesTheMissingPicturesFolder() {
        QTemporaryDir home;
        const QByteArray oldHome = qgetenv("HOME");
        qputenv("HOME", home.path().toLocal8Bit()); // a home without Pictures, like a fresh account
        ExportDialog d(captureOf(scene(3)));
        qputenv("HOME", oldHome);
        const QString pictures = QDir(home.path()).filePath(QStringLiteral("Pictures"));
        QCOMPARE(d.defaultFolder(), pictures);
        QVERIFY(!QDir(pictures).exists());
        QCOMPARE(d.pathEdit()->text(), QDir(pictures).filePath(QStringLiteral("ebmlab.gif")));
        d.setSize(160, 120);
        d.setRun(10, 5, 5);
        QSignalSpy done(&d, &ExportDialog::exportFinished);
        QVERIFY(d.startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QVERIFY(QDir(pictures).exists());
        QVERIFY(QFileInfo(QDir(pictures).filePath(QStringLiteral("ebmlab.gif"))).size() > 0);
        QVERIFY2(d.status().contains(QLatin1String("created the folder")), qPrintable(d.status()));
        // Another missing folder is still refused, with one message and nothing created.
        d.pathEdit()->setText(QDir(home.path()).filePath(QStringLiteral("nowhere/a.gif")));
        QVERIFY(d.startExport());
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000); // refused at once: the capture here is synchronous
        QVERIFY(!done.last().at(0).toBool());
        QVERIFY2(d.status().contains(QLatin1String("does not exist")), qPrintable(d.status()));
        QVERIFY(!QDir(QDir(home.path()).filePath(QStringLiteral("nowhere"))).exists());
    }

    void fromScratchStartsAtStepZeroAndContinueAtTheScenesStep() {
        QTemporaryDir dir;
        ExportDialog d(captureOf(scene(7)));
        QCOMPARE(d.start(), exporter::Start::FromScratch); // the default shows the model learning
        d.setSize(120, 96);
        d.setRun(6, 3, 5);
        QSignalSpy done(&d, &ExportDialog::exportFinished);
        d.pathEdit()->setText(dir.filePath(QStringLiteral("scratch.gif")));
        QVERIFY(d.startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QCOMPARE(d.firstStep(), qint64(0));
        d.setStart(exporter::Start::Continue);
        d.pathEdit()->setText(dir.filePath(QStringLiteral("continued.gif")));
        QVERIFY(d.startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QCOMPARE(d.firstStep(), qint64(7));
    }

    void defaultClipIsLongEnoughToWatchLearning() {
        ExportDialog d(captureOf(scene(0)));
        qInfo("default clip: %.1f s", d.clipSeconds());
        QVERIFY(d.clipSeconds() >= 10.0);
        QVERIFY(d.layers().axes && d.layers().caption);
    }

    void liveRecordingHasTheFigure() {
        StartOptions o;
        o.restoreSettings = false;
        o.askToSave = false;
        o.settings.trainer.model.hidden = {32, 32};
        o.settings.trainer.chains.bufferSize = 512;
        o.settings.particleCount = 500;
        MainWindow w(o);
        w.resize(1100, 760);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(QTest::qWaitFor([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }, 60000));
        // The recording grabs the plot alone (the figure goes around it), at the plot's device pixels.
        const QImage plot = w.view()->grabPlot();
        QCOMPARE(plot.size(), w.view()->plotRect().size() * w.view()->devicePixelRatio());
        QTemporaryDir dir;
        QSignalSpy done(&w, &MainWindow::recordingFinished);
        const QString gif = dir.filePath(QStringLiteral("live.gif"));
        QVERIFY(w.startRecording(gif, 10));
        const LiveRecorder* rec = w.findChild<LiveRecorder*>();
        QVERIFY(QTest::qWaitFor([&] { return rec->framesQueued() - rec->framesDropped() >= 3; }, 60000));
        w.stopRecording();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QImageReader r(gif);
        const QImage frame = r.read().convertToFormat(QImage::Format_RGB888);
        QVERIFY(!frame.isNull());
        if (const QString shots = qEnvironmentVariable("EBM_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(frame.save(shots + QStringLiteral("/live-recording-frame.png")));
        // The axis frame: a long run of the figure's axis colour.
        const render::Rgb8 axis = render::toRgb8(render::FigureTheme{}.axis);
        int longest = 0;
        for (int y = 0; y < frame.height(); ++y)
            for (int x = 0, run = 0; x < frame.width(); ++x) {
                run = near(frame.pixelColor(x, y), axis.r, axis.g, axis.b, 10) ? run + 1 : 0;
                longest = std::max(longest, run);
            }
        QVERIFY2(longest > frame.width() / 2, qPrintable(QString::number(longest)));
        // The colour bar: a column with the colour map's top and bottom colours.
        const render::Rgb8 top = render::toRgb8(render::colorLookup(render::ColorMap::Viridis, 1.0));
        const render::Rgb8 bottom = render::toRgb8(render::colorLookup(render::ColorMap::Viridis, 0.0));
        bool bar = false;
        for (int x = frame.width() / 2; x < frame.width() && !bar; ++x) {
            bool hasTop = false, hasBottom = false;
            for (int y = 0; y < frame.height(); ++y) {
                hasTop = hasTop || near(frame.pixelColor(x, y), top.r, top.g, top.b, 16);
                hasBottom = hasBottom || near(frame.pixelColor(x, y), bottom.r, bottom.g, bottom.b, 16);
            }
            bar = hasTop && hasBottom;
        }
        QVERIFY(bar);
    }
};

EBM_GUI_TEST_MAIN(TestExportDialog)
#include "tst_exportdialog.moc"
