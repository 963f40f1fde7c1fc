// Crash recovery for real: the ebmlab binary is started, edits and trains, is killed with SIGKILL (no
// chance to clean up), and the next start offers the autosaved scene, which this test accepts by clicking
// Yes in the real question. The recovered scene must be the one the killed process was showing, less at
// most one autosave interval of training: same drawing, method, step count of the last autosave. The same
// for the image window's scene.
//
// This test has its own main(): the killed binary and the recovering window must share one data folder,
// so instead of Qt's test mode both use the XDG folders of a private temporary home.
#include "apptheme.h"
#include "drawingfile.h"
#include "imagecontrols.h"
#include "imagewindow.h"
#include "mainwindow.h"
#include "wheelguard.h"
#include "windowtesthelpers.h"
#include <QAbstractButton>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/session.h>
#include <optional>

using namespace ebm;
using namespace ebm::ui;
using ebm::ui::test::waitUntil;

namespace {

QString g_home; // the private home of this run (XDG data and config folders inside it)

/// Clicks `button` in the next modal question that appears, after it has been open for thinkMs (a user
/// who reads it first), and remembers its text.
class QuestionAnswerer : public QObject {
public:
    explicit QuestionAnswerer(QMessageBox::StandardButton button, int thinkMs = 0) : m_button(button) {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this, thinkMs] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box || !box->button(m_button)) return;
            if (!m_shown.isValid()) m_shown.start();
            if (m_shown.elapsed() < thinkMs) return;
            text = box->text();
            m_timer.stop();
            box->button(m_button)->click();
        });
        m_timer.start();
    }
    QString text;

private:
    QMessageBox::StandardButton m_button;
    QTimer m_timer;
    QElapsedTimer m_shown;
};

/// A file written atomically by the other process, read once it is there and parses (nullopt otherwise).
template <class F, class Load> std::optional<F> tryLoad(const QString& path, Load load) {
    if (!QFileInfo::exists(path)) return std::nullopt;
    try {
        return load(path.toStdString());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// Starts ebmlab with args and waits until its autosave at `path` holds a scene past minStep (read by load);
/// then kills it with SIGKILL and returns the last autosave and the seconds between its writing and the kill.
template <class F, class Load>
std::optional<std::pair<F, double>> trainAndKill(const QStringList& args, const QString& path, Load load,
                                                 std::int64_t minStep) {
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(QStringLiteral(EBMLAB_GUI), args);
    if (!child.waitForStarted(30000)) return std::nullopt;
    const bool trained = waitUntil(
        [&] {
            const auto f = tryLoad<F>(path, load);
            return f && f->trainer.step > minStep;
        },
        240000);
    // One more autosave after that, so the killed process is mid-interval with training since its last one.
    const QDateTime first = QFileInfo(path).lastModified();
    const bool again = trained && waitUntil([&] { return QFileInfo(path).lastModified() > first; }, 60000);
    QTest::qWait(300);
    const QDateTime killedAt = QDateTime::currentDateTime();
    child.kill(); // SIGKILL
    child.waitForFinished(10000);
    if (!trained || !again || child.exitStatus() != QProcess::CrashExit) return std::nullopt;
    const auto f = tryLoad<F>(path, load);
    if (!f) return std::nullopt;
    return std::make_pair(*f, QFileInfo(path).lastModified().msecsTo(killedAt) / 1000.0);
}

} // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT
private slots:
    void theTwoDimensionalSceneIsRecovered() {
        QTemporaryDir dir;
        // The scene the lecturer made: a drawn density (a stroke and a Gaussian), score matching.
        core::DensityDrawing drawing(core::Box{}, 64);
        core::BrushOptions brush;
        brush.radius = 0.6;
        drawing.stroke(-2.5, -1.0, 2.0, 1.5, brush);
        drawing.addGaussian({1.5, -2.0, 0.5, 1.0});
        const QString json = dir.filePath(QStringLiteral("lecture.json"));
        saveDrawing(drawing, json);
        drawing = loadDrawing(json); // as the window reads it (the paint is stored with 16 bits)

        const QString autosave = QDir(g_home + QStringLiteral("/data/EBM Lab/EBM Lab"))
                                     .filePath(QStringLiteral("autosave.ebmlab"));
        const double interval = 1.0;
        const auto killed = trainAndKill<io::SessionFile>(
            {QStringLiteral("--drawing"), json, QStringLiteral("--method"), QStringLiteral("sm"),
             QStringLiteral("--autosave"), QString::number(interval)},
            autosave, [](const std::string& p) { return io::loadSession(p); }, 100);
        QVERIFY2(killed, "the window did not autosave a trained scene before it was killed");
        const io::SessionFile& last = killed->first;
        qInfo("killed %.2f s after the last autosave (step %lld)", killed->second,
              (long long)last.trainer.step);
        QVERIFY2(killed->second <= interval + 2.0, "more than one autosave interval of training was lost");
        QCOMPARE(last.target, std::string("drawing"));
        QCOMPARE(last.trainer.options.method, std::string("sm"));
        QVERIFY(last.drawing && io::drawingOf(*last.drawing) == drawing);

        // The next start offers the scene; Yes restores it, even after the question has been open for
        // several autosave intervals (the fresh scene behind it must not overwrite the one to recover).
        QuestionAnswerer yes(QMessageBox::Yes, 2000);
        StartOptions o;
        o.askToSave = false;
        o.autosaveMs = 400;
        MainWindow w(o);
        w.show();
        QVERIFY(waitUntil([&] { return !yes.text.isEmpty(); }, 30000));
        QVERIFY2(yes.text.contains(QStringLiteral("did not close normally")), qPrintable(yes.text));
        QVERIFY(test::waitForSnapshot(
            w,
            [&](const TrainingSnapshot& s) {
                return s.targetName == "drawing" && s.step >= last.trainer.step;
            },
            60000));
        std::optional<io::SessionFile> now;
        w.captureSession([&](io::SessionFile f) { now = std::move(f); });
        QVERIFY(waitUntil([&] { return bool(now); }));
        QCOMPARE(now->trainer.options.method, std::string("sm"));
        QVERIFY(now->drawing && io::drawingOf(*now->drawing) == drawing);
        QVERIFY(now->trainer.step >= last.trainer.step);
        // The charts continue the killed run's history rather than starting again.
        QVERIFY(!now->history.empty() && now->history.front().step < last.trainer.step / 2);
        QVERIFY(w.hasUnsavedChanges()); // recovered, not saved anywhere yet
        w.close();                      // a clean exit removes the autosave: the next start offers nothing
        QVERIFY(!QFileInfo::exists(autosave));
    }

    void theImageSceneIsRecovered() {
        const QString autosave = QDir(g_home + QStringLiteral("/data/EBM Lab/EBM Lab"))
                                     .filePath(QStringLiteral("autosave.ebmlab-images"));
        const double interval = 2.0;
        const auto killed = trainAndKill<io::ImageSessionFile>(
            {QStringLiteral("--images"), QStringLiteral("digits"), QStringLiteral("--method"),
             QStringLiteral("dsm"), QStringLiteral("--autosave"), QString::number(interval)},
            autosave, [](const std::string& p) { return io::loadImageSession(p); }, 20);
        QVERIFY2(killed, "the image window did not autosave a trained scene before it was killed");
        const io::ImageSessionFile& last = killed->first;
        qInfo("killed %.2f s after the last autosave (step %lld)", killed->second,
              (long long)last.trainer.step);
        QVERIFY2(killed->second <= interval + 3.0, "more than one autosave interval of training was lost");
        QCOMPARE(last.data, std::string("digits"));
        QCOMPARE(last.trainer.options.method, std::string("dsm"));

        // A kill in the middle of an autosave leaves the atomic write's temporary file: the next owner
        // removes it.
        const QString stale = autosave + QStringLiteral(".tmp-Ab12Cd");
        {
            QFile f(stale);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("half an image session");
        }
        QuestionAnswerer yes(QMessageBox::Yes, 2000); // several autosave intervals, as above
        ImageStartOptions o;
        o.askToSave = false;
        o.autosaveMs = 400;
        ImageWindow w(o);
        QSignalSpy opened(&w, &ImageWindow::sessionOpened);
        w.show();
        QVERIFY(waitUntil([&] { return !yes.text.isEmpty(); }, 30000));
        QVERIFY2(yes.text.contains(QStringLiteral("did not close normally")), qPrintable(yes.text));
        QVERIFY(waitUntil([&] { return opened.count() == 1; }, 60000));
        QVERIFY(!QFileInfo::exists(stale));
        QVERIFY(waitUntil([&] { return w.lastSnapshot() && w.lastSnapshot()->step >= last.trainer.step; },
                          60000));
        QCOMPARE(w.controls()->settings().trainer.method, std::string("dsm"));
        QVERIFY(w.hasUnsavedChanges());
        QVERIFY(w.lastError().isEmpty());
        w.close();
        QVERIFY(!QFileInfo::exists(autosave));
    }
};

int main(int argc, char** argv) {
    QSurfaceFormat fmt;
    fmt.setVersion(4, 3);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    QSurfaceFormat::setDefaultFormat(fmt);
    QTemporaryDir home(QDir::tempPath() + QStringLiteral("/ebmlab-crash-XXXXXX"));
    g_home = home.path();
    for (const char* sub : {"runtime", "data", "config", "cache"})
        QDir().mkpath(g_home + QLatin1Char('/') + QLatin1String(sub));
    QFile::setPermissions(g_home + QStringLiteral("/runtime"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    // The test and the ebmlab it starts (which inherits the environment) share these folders.
    qputenv("XDG_RUNTIME_DIR", (g_home + QStringLiteral("/runtime")).toLocal8Bit());
    qputenv("XDG_DATA_HOME", (g_home + QStringLiteral("/data")).toLocal8Bit());
    qputenv("XDG_CONFIG_HOME", (g_home + QStringLiteral("/config")).toLocal8Bit());
    qputenv("XDG_CACHE_HOME", (g_home + QStringLiteral("/cache")).toLocal8Bit());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationName(QStringLiteral("EBM Lab"));
    ebm::ui::applyDarkTheme(app);
    ebm::ui::installWheelGuard(app);
    TestCrashRecovery t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_crashrecovery.moc"
