// Sessions through the real window under Xvfb: save a trained, edited scene, open it in a fresh window
// and get the same parameters, settings, drawing, view and charts, and the same next 10 training steps
// bit for bit; a damaged file changes nothing; the autosave is written and removed on a clean exit.
#include "controlpanel.h"
#include "drawpanel.h"
#include "exportdialog.h"
#include "landscapeview.h"
#include "liverecorder.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "refusedwrites.h"
#include "sessionfiles.h"
#include "trainingworker.h"
#include "uitesthelpers.h"
#include "windowtesthelpers.h"
#include <QElapsedTimer>
#include <QImageReader>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <ebm/core/parallel.h>
#include <ebm/io/session.h>

using namespace ebm;
using namespace ebm::ui;
using ebm::ui::test::waitUntil;

namespace {
StartOptions scripted() {
    StartOptions o;
    o.restoreSettings = false;
    o.askToSave = false;
    o.settings.trainer.model.hidden = {32, 32}; // small: the test is about files, not learning
    o.settings.trainer.chains.bufferSize = 512;
    o.settings.particleCount = 500;
    return o;
}

// The window's whole scene, as the next save would write it.
io::SessionFile capture(MainWindow& w) {
    std::optional<io::SessionFile> got;
    w.captureSession([&](io::SessionFile f) { got = std::move(f); });
    if (!waitUntil([&] { return got.has_value(); })) throw std::runtime_error("no capture");
    return *got;
}

bool sameBits(const core::Matf& a, const core::Matf& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}
} // namespace

class TestSessionWindow : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    // A disk that is full, or a folder that cannot be written, while the window saves: the save says why,
    // the file keeps what it had, a failing autosave is reported once (not every minute), and the scene
    // goes on training.
    void aRefusedSaveIsReportedOnceAndLosesNothing_data() {
        QTest::addColumn<ebm::test::Refusal>("refusal");
        QTest::newRow("disk full") << ebm::test::Refusal::DiskFull;
        QTest::newRow("read-only folder") << ebm::test::Refusal::ReadOnlyFolder;
    }
    void aRefusedSaveIsReportedOnceAndLosesNothing() {
        QFETCH(ebm::test::Refusal, refusal);
        const char* says = ebm::test::RefusedWrites::says(refusal);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("full.ebmlab"));
        MainWindow w(scripted());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 5; }));
        const auto saveTo = [&](const QString& p, bool* okOut, QString* message) {
            bool done = false;
            w.sessionFiles()->save(p, [&](bool ok, const QString& m) {
                done = true;
                *okOut = ok;
                *message = m;
            });
            return waitUntil([&] { return done; });
        };
        bool ok = false;
        QString message;
        QVERIFY(saveTo(path, &ok, &message));
        QVERIFY(ok);
        const io::SessionFile before = io::loadSession(path.toStdString());
        const auto size = QFileInfo(path).size();
        QSignalSpy autosaveFailed(w.sessionFiles(), &SessionFiles::autosaveFailed);
        w.sessionFiles()->startAutosave(3600 * 1000); // this window owns the autosave (its timer stays quiet)
        {
            // Read-only: the session's folder, and (as the process is not its owner for the while) the
            // autosave's.
            ebm::test::RefusedWrites refused(refusal, dir.path(), rlim_t(size / 2));
            QVERIFY(refused.ok());
            QVERIFY(saveTo(path, &ok, &message));
            QVERIFY(!ok);
            QVERIFY2(message.contains(QLatin1String(says)), qPrintable(message));
            for (int i = 0; i < 3; ++i) {
                bool done = false;
                w.sessionFiles()->autosaveNow([&](bool, const QString&) { done = true; });
                QVERIFY(waitUntil([&] { return done; }));
            }
            QCOMPARE(autosaveFailed.count(), 1);
            QVERIFY2(w.lastError().contains(QLatin1String(says)), qPrintable(w.lastError()));
        }
        const io::SessionFile after = io::loadSession(path.toStdString());
        QCOMPARE(after.trainer.step, before.trainer.step);
        QVERIFY(sameBits(after.trainer.theta, before.trainer.theta));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("full.ebmlab")});
        const std::int64_t step = w.lastSnapshot()->step;
        QVERIFY(waitUntil([&] { return w.lastSnapshot()->step > step + 5; })); // still training
        // With room again the autosave succeeds, and a later failure is reported again.
        bool done = false, autosaved = false;
        w.sessionFiles()->autosaveNow([&](bool k, const QString&) { done = true, autosaved = k; });
        QVERIFY(waitUntil([&] { return done; }));
        QVERIFY(autosaved);
        {
            ebm::test::RefusedWrites refused(refusal, dir.path(), rlim_t(size / 2));
            done = false;
            w.sessionFiles()->autosaveNow([&](bool, const QString&) { done = true; });
            QVERIFY(waitUntil([&] { return done; }));
        }
        QCOMPARE(autosaveFailed.count(), 2);
        w.sessionFiles()->finish(); // a clean exit: no autosave left for the next test to offer as a crash's
        QVERIFY(!QFileInfo::exists(w.sessionFiles()->autosavePath()));
    }

    // An export to a full disk or a read-only folder: one message, no file (and no temporary one) left,
    // the window trains on.
    void aRefusedExportLeavesNothing_data() { aRefusedSaveIsReportedOnceAndLosesNothing_data(); }
    void aRefusedExportLeavesNothing() {
        QFETCH(ebm::test::Refusal, refusal);
        MainWindow w(scripted());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }));
        QTemporaryDir dir;
        ExportDialog* d = w.exportDialog();
        QSignalSpy done(d, &ExportDialog::exportFinished);
        for (const char* name : {"anim.gif", "still.png"}) {
            d->pathEdit()->setText(dir.filePath(QLatin1String(name)));
            d->setSize(320, 240);
            d->setRun(20, 10, 5);
            {
                ebm::test::RefusedWrites refused(refusal, dir.path(), 2000); // smaller than any frame
                QVERIFY(refused.ok());
                QVERIFY(d->startExport());
                QVERIFY(done.wait(60000));
            }
            QVERIFY(!done.last().at(0).toBool());
            const QString message = done.last().at(1).toString();
            QVERIFY2(!message.isEmpty(), name);
            if (refusal == ebm::test::Refusal::ReadOnlyFolder)
                QVERIFY2(message.contains(QLatin1String("not writable")), qPrintable(message));
            QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                     QStringList());
        }
        const std::int64_t step = w.lastSnapshot()->step;
        QVERIFY(waitUntil([&] { return w.lastSnapshot()->step > step + 5; })); // still training
    }

    void saveOpenContinuesExactly() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lesson.ebmlab"));
        io::SessionFile saved;
        {
            MainWindow w(scripted());
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 20; }));
            // Edits a user would make: a method and its hyperparameters, a drawing, display and zoom.
            WorkerSettings s = w.settings();
            s.trainer.method = std::string("nce");
            s.trainer.params.set("nce", "noise_scale", 1.5);
            s.live.kind = core::SamplerKind::Mala;
            s.particlesRunning = false; // still particles: the reopened ones can be compared bit for bit
            w.applySettings(s);
            QVERIFY(w.drawPanel()->useText(QStringLiteral("EBM")));
            DisplaySettings d = w.view()->display();
            d.colorMap = ColorMap::Magma;
            d.vectorField = false;
            w.setDisplay(d);
            w.view()->showBox(core::Box{-2, 3, -1, 2});
            QVERIFY(waitUntil([&] { return w.lastSnapshot()->method == std::string("nce"); }));
            QVERIFY(waitUntil([&] { return w.charts()->history().size() > 5; }));
            QVERIFY(w.hasUnsavedChanges());
            w.setPlaying(false);

            bool done = false, ok = false;
            w.sessionFiles()->save(path, [&](bool k, const QString&) { done = true, ok = k; });
            QVERIFY(waitUntil([&] { return done; }));
            QVERIFY(ok);
            QVERIFY(!w.hasUnsavedChanges());
            QCOMPARE(w.sessionFiles()->recentFiles().value(0), QFileInfo(path).absoluteFilePath());
            saved = io::loadSession(path.toStdString());
            QCOMPARE(saved.trainer.options.method, std::string("nce"));
            QCOMPARE(saved.trainer.options.params.get("nce", "noise_scale"), 1.5);
            QVERIFY(saved.drawing.has_value());
        }

        MainWindow w2(scripted());
        w2.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w2));
        QVERIFY(w2.openSession(path));
        const io::SessionFile back = capture(w2);
        // Parameters, optimiser, buffer, generators and particles are the saved bits.
        QVERIFY(sameBits(back.trainer.theta, saved.trainer.theta));
        QVERIFY(sameBits(back.trainer.optimizer.m, saved.trainer.optimizer.m));
        QVERIFY(sameBits(back.trainer.buffer, saved.trainer.buffer));
        QCOMPARE(back.trainer.rngState, saved.trainer.rngState);
        QCOMPARE(back.trainer.step, saved.trainer.step);
        QVERIFY(sameBits(back.particles, saved.particles));
        QCOMPARE(back.liveRngState, saved.liveRngState);
        // Settings, drawing, view and charts.
        QCOMPARE(w2.settings().trainer.method, std::string("nce"));
        QCOMPARE(w2.settings().trainer.params.get("nce", "noise_scale"), 1.5);
        QCOMPARE(w2.settings().live.kind, core::SamplerKind::Mala);
        QCOMPARE(w2.settings().training, false);
        QCOMPARE(w2.settings().target, std::string("eight-gaussians"));
        QVERIFY(sameBits(back.drawing->paint, saved.drawing->paint));
        QCOMPARE(w2.view()->display().colorMap, ColorMap::Magma);
        QCOMPARE(w2.view()->display().vectorField, false);
        QVERIFY(std::abs(w2.view()->viewBox().x0 - saved.view.x0) < 0.3);
        QCOMPARE(w2.charts()->history().size(), saved.history.size());
        QCOMPARE(w2.sessionFiles()->currentPath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(!w2.hasUnsavedChanges());

        // The next 10 steps: the same bits as a core trainer restored from the file (same thread count).
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("eight-gaussians"));
        core::Trainer reference(target, saved.trainer.options);
        reference.restore(saved.trainer);
        for (int i = 0; i < 10; ++i)
            reference.step();
        w2.worker()->step(10);
        QVERIFY(waitUntil(
            [&] { return w2.lastSnapshot() && w2.lastSnapshot()->step == saved.trainer.step + 10; }));
        const io::SessionFile after = capture(w2);
        QCOMPARE(after.trainer.step, saved.trainer.step + 10);
        QVERIFY(sameBits(after.trainer.theta, reference.model().params()));
        QVERIFY(sameBits(after.trainer.buffer, reference.state().buffer));
        QVERIFY(w2.hasUnsavedChanges()); // trained since the save
    }

    void damagedFileChangesNothing() {
        MainWindow w(scripted());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }));
        const WorkerSettings before = w.settings();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.ebmlab"));
        bool done = false;
        w.sessionFiles()->save(path, [&](bool, const QString&) { done = true; });
        QVERIFY(waitUntil([&] { return done; }));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        const QByteArray good = f.readAll();
        f.resize(0);
        f.write(good.left(good.size() / 3)); // truncated
        f.close();
        const std::int64_t step = w.lastSnapshot()->step;
        QVERIFY(!w.openSession(path));
        QVERIFY2(w.lastError().contains(QLatin1String("not valid JSON")), qPrintable(w.lastError()));
        QCOMPARE(w.settings().target, before.target);
        QCOMPARE(w.settings().trainer.method, before.trainer.method);
        QVERIFY(waitUntil([&] { return w.lastSnapshot()->step > step; })); // still training, not reset
        // A file whose every field parses but whose drawing has no mass: refused before anything changes.
        io::SessionFile s = capture(w);
        s.target = "drawing";
        io::DrawingRecord empty;
        empty.cells = 16;
        empty.paint = core::Matf::Zero(16, 16);
        s.drawing = empty;
        io::saveSession(s, path.toStdString());
        QVERIFY(!w.openSession(path));
        QVERIFY2(w.lastError().contains(QLatin1String("empty")), qPrintable(w.lastError()));
        QCOMPARE(w.settings().target, before.target);
    }

    void exportsAnimationStillAndCancel() {
        MainWindow w(scripted());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }));
        QTemporaryDir dir;
        ExportDialog* d = w.exportDialog();
        QSignalSpy done(d, &ExportDialog::exportFinished);

        // An animation of 20 more steps, a frame every 10: 3 frames, written while the window trains.
        d->pathEdit()->setText(dir.filePath(QStringLiteral("anim.gif")));
        d->setSize(160, 120);
        d->setRun(20, 10, 5);
        const std::int64_t stepBefore = w.lastSnapshot()->step;
        QVERIFY(d->startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QImageReader gif(dir.filePath(QStringLiteral("anim.gif")));
        QCOMPARE(gif.imageCount(), 3);
        QCOMPARE(gif.size(), QSize(160, 120));
        QVERIFY(w.lastSnapshot()->step > stepBefore); // the window kept training
        QVERIFY(!d->busy());

        // Layers chosen in the dialog: a landscape-only animation has no particle dots, so it compresses
        // better than the same run with every layer.
        d->setLayers(render::parseLayers("landscape"));
        d->pathEdit()->setText(dir.filePath(QStringLiteral("bare.gif")));
        QVERIFY(d->startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("bare.gif"))).size() <
                QFileInfo(dir.filePath(QStringLiteral("anim.gif"))).size());
        d->setLayers(render::parseLayers("all"));

        // One image at a size unrelated to the window.
        d->pathEdit()->setText(dir.filePath(QStringLiteral("still.png")));
        d->setSize(1200, 800);
        QVERIFY(d->startExport());
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QCOMPARE(QImage(dir.filePath(QStringLiteral("still.png"))).size(), QSize(1200, 800));

        // Cancelled part-way: nothing is left, not even a temporary file.
        const QStringList before =
            QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        d->pathEdit()->setText(dir.filePath(QStringLiteral("long.mp4")));
        d->setSize(160, 160);
        d->setRun(100000, 5, 10);
        QVERIFY(d->startExport());
        QVERIFY(waitUntil([&] { return d->progressValue() >= 2; }, 60000));
        d->cancelExport();
        QVERIFY(done.wait(60000));
        QVERIFY(!done.last().at(0).toBool());
        QVERIFY(done.last().at(1).toString().contains(QLatin1String("Cancelled")));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), before);

        // A place that cannot be written: one message, nothing started.
        d->pathEdit()->setText(dir.filePath(QStringLiteral("no/such/dir/a.gif")));
        d->setRun(20, 10, 5);
        QVERIFY(d->startExport());
        QVERIFY(done.wait(60000));
        QVERIFY(!done.last().at(0).toBool());
        QVERIFY(!d->status().isEmpty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), before);
    }

    void recordsTheLiveRunAndChartsAsSvg() {
        MainWindow w(scripted());
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step > 3; }));
        QTemporaryDir dir;
        QSignalSpy done(&w, &MainWindow::recordingFinished);
        const QString gif = dir.filePath(QStringLiteral("live.gif"));
        QVERIFY(w.startRecording(gif, 10));
        QVERIFY(w.recording());
        // At least 1.5 s and 4 frames taken (a loaded machine draws fewer than 10 frames a second).
        QTest::qWait(1500);
        const LiveRecorder* rec = w.findChild<LiveRecorder*>();
        QVERIFY(waitUntil([&] { return rec->framesQueued() - rec->framesDropped() >= 4; }));
        w.stopRecording();
        QVERIFY(done.wait(60000));
        QVERIFY2(done.last().at(0).toBool(), qPrintable(done.last().at(1).toString()));
        QImageReader r(gif);
        QVERIFY2(r.imageCount() >= 3, qPrintable(QString::number(r.imageCount())));
        QCOMPARE(r.size(), QSize(w.view()->width() & ~1, w.view()->height() & ~1));
        const QImage first = r.read();
        QImage last;
        while (r.canRead())
            last = r.read();
        QVERIFY(first != last); // the particles moved while recording
        // A cancelled recording leaves nothing; a bad place is refused at once.
        const QString mp4 = dir.filePath(QStringLiteral("gone.mp4"));
        QVERIFY(w.startRecording(mp4, 10));
        QTest::qWait(300);
        w.findChild<LiveRecorder*>()->cancel();
        QVERIFY(done.wait(60000));
        QVERIFY(!done.last().at(0).toBool());
        QVERIFY(!QFile::exists(mp4));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("live.gif")});
        QVERIFY(!w.startRecording(dir.filePath(QStringLiteral("no/dir/a.gif"))));
        QVERIFY(!w.lastError().isEmpty());

        // The charts as SVG: a vector file with the charts' titles in it.
        const QString svg = dir.filePath(QStringLiteral("charts.svg"));
        w.charts()->saveSvg(svg);
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("Training loss"));
        QVERIFY(text.count("<polyline") + text.count("<path") > 10); // the curves, as vectors
    }

    void autosaveWrittenAndRemovedOnCleanExit() {
        StartOptions o = scripted();
        o.restoreSettings = true; // autosave needs it (test mode keeps the user's folders out of it)
        o.autosaveMs = 3600 * 1000;
        QString autosave;
        {
            MainWindow w(o);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            autosave = w.sessionFiles()->autosavePath();
            QVERIFY(autosave.contains(QLatin1String("qttest"))); // QStandardPaths test mode
            bool done = false, ok = false;
            w.sessionFiles()->autosaveNow([&](bool k, const QString&) { done = true, ok = k; });
            QVERIFY(waitUntil([&] { return done; }));
            QVERIFY(ok);
            QVERIFY(QFile::exists(autosave));
            const io::SessionFile f = io::loadSession(autosave.toStdString());
            QCOMPARE(f.target, std::string("eight-gaussians"));
            QVERIFY(w.sessionFiles()->currentPath().isEmpty()); // the autosave is not the user's file
            w.close();
        }
        QVERIFY(!QFile::exists(autosave));
    }
};

EBM_GUI_TEST_MAIN(TestSessionWindow)
#include "tst_sessionwindow.moc"
