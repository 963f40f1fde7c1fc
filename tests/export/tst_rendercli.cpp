// `ebmlab-cli render` end to end (through QProcess): each format is written completely (decoded back with
// FFmpeg), bad flags exit 2 with one stderr line and leave nothing, and --session is refused until the
// session format exists.
#include "decode.h"

#include <ebm/io/session.h>
#include <sstream>

#include "clirun.h"

#include <QtTest>

using namespace ebm;

namespace {
using test::describe;
using test::Result;
using test::runCli;

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}
} // namespace

class TestRenderCli : public QObject {
    Q_OBJECT

private slots:
    void writesEachFormat_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("codec");
        QTest::newRow("gif") << "anim.gif"
                             << "sm"
                             << "gif";
        QTest::newRow("mp4") << "anim.mp4"
                             << "cd"
                             << "h264";
        QTest::newRow("webm") << "anim.webm"
                              << "nce"
                              << "vp9";
        QTest::newRow("png") << "frames/"
                             << "dsm"
                             << "png";
    }

    void writesEachFormat() {
        QFETCH(QString, name);
        QFETCH(QString, method);
        QFETCH(QString, codec);
        QTemporaryDir dir;
        const QString out = dir.filePath(name);
        const Result r = runCli({"render", "--target", "two-moons", "--method", method, "--out", out,
                                 "--steps", "24", "--every", "6", "--size", "120x90", "--fps", "12",
                                 "--particles", "200", "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY2(r.out.startsWith("wrote ") && r.out.contains("5 frames 120x90"), qPrintable(r.out));
        QCOMPARE(entries(dir.path()).size(), 1);
        const std::string input =
            name.endsWith('/') ? dir.filePath("frames/frame_%05d.png").toStdString() : out.toStdString();
        const test::Decoded d = test::decodeAll(input);
        QVERIFY2(d.error.empty(), d.error.c_str());
        QCOMPARE(QString::fromStdString(d.codec), codec);
        QCOMPARE(int(d.frames.size()), 5); // step 0, 6, 12, 18, 24
        QCOMPARE(d.width, 120);
        QCOMPARE(d.height, 90);
        QVERIFY(test::meanAbs(d.frames.front(), d.frames.back()) > 3);
    }

    void continuesASession() {
        // A session as the window saves it: 30 steps of CD on two moons, magma, no arrows, a zoomed view.
        core::TrainerOptions o;
        o.model.hidden = {16, 16};
        o.chains.bufferSize = 256;
        o.chains.steps = 5;
        io::SessionFile s;
        s.target = "two-moons";
        core::Trainer t(io::targetOf(s), o);
        for (int i = 0; i < 30; ++i)
            t.step();
        s.trainer = t.state();
        s.particles = core::Matf::Zero(2, 50);
        std::ostringstream rng;
        rng << core::Rng(5);
        s.liveRngState = rng.str();
        s.view = core::Box{-3, 3, -2, 2};
        s.display.colorMap = 1;
        s.display.vectorField = false;
        QTemporaryDir dir;
        const QString session = dir.filePath("moons.ebmlab"), out = dir.filePath("a.gif");
        io::saveSession(s, session.toStdString());
        const Result r = runCli({"render", "--session", session, "--out", out, "--steps", "20", "--every",
                                 "10", "--size", "96x64", "--threads", "2"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("3 frames 96x64"), qPrintable(r.out));
        const test::Decoded d = test::decodeAll(out.toStdString());
        QVERIFY2(d.error.empty(), d.error.c_str());
        QCOMPARE(int(d.frames.size()), 3);
        // The same run from --target starts from a fresh model with the default view: other pictures.
        const QString fresh = dir.filePath("b.gif");
        QVERIFY(runCli({"render", "--target", "two-moons", "--method", "cd", "--out", fresh, "--steps", "20",
                        "--every", "10", "--size", "96x64", "--threads", "2"})
                    .exitCode == 0);
        const test::Decoded f = test::decodeAll(fresh.toStdString());
        QVERIFY(test::meanAbs(d.frames.front(), f.frames.front()) > 5);
        // --from-scratch: the session's settings with a fresh model, so its first frame is not the
        // continued model's (and the same every time: the session's seed).
        const QStringList scratch{"render",    "--session", session, "--from-scratch", "--steps",
                                  "20",        "--every",   "10",    "--size",         "96x64",
                                  "--threads", "2",         "--out"};
        QVERIFY(runCli(scratch + QStringList{dir.filePath("c.gif")}).exitCode == 0);
        QVERIFY(runCli(scratch + QStringList{dir.filePath("d.gif")}).exitCode == 0);
        const test::Decoded c = test::decodeAll(dir.filePath("c.gif").toStdString());
        const test::Decoded c2 = test::decodeAll(dir.filePath("d.gif").toStdString());
        QCOMPARE(int(c.frames.size()), 3);
        QVERIFY(test::meanAbs(d.frames.front(), c.frames.front()) > 2);
        QCOMPARE(test::meanAbs(c.frames.back(), c2.frames.back()), 0.0);
    }

    void defaultFramesHaveTheFigure() {
        // The default layers at a slide size: axes (a long run of the axis colour), a colour bar (one
        // column holding the colour map's top and bottom colours) around the plot.
        QTemporaryDir dir;
        const Result r =
            runCli({"render", "--target", "eight-gaussians", "--method", "cd", "--steps", "0", "--size",
                    "400x320", "--particles", "100", "--threads", "2", "--out", dir.filePath("f/")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const test::Decoded d = test::decodeAll(dir.filePath("f/frame_%05d.png").toStdString());
        QVERIFY2(d.error.empty(), d.error.c_str());
        const auto& px = d.frames.front();
        const auto is = [&](int x, int y, int r0, int g0, int b0, int tolerance = 0) {
            const std::uint8_t* p = px.data() + (std::size_t(y) * 400 + x) * 3;
            return std::abs(p[0] - r0) <= tolerance && std::abs(p[1] - g0) <= tolerance &&
                   std::abs(p[2] - b0) <= tolerance;
        };
        int longest = 0;
        for (int y = 0; y < 320; ++y)
            for (int x = 0, run = 0; x < 400; ++x) {
                run = is(x, y, 150, 154, 164) ? run + 1 : 0; // the figure's axis colour
                longest = std::max(longest, run);
            }
        QVERIFY2(longest >= 200, qPrintable(QString::number(longest)));
        bool bar = false;
        for (int x = 0; x < 400 && !bar; ++x) {
            bool top = false, bottom = false;
            for (int y = 0; y < 320; ++y) {
                top = top || is(x, y, 253, 231, 37, 5);    // viridis at 1
                bottom = bottom || is(x, y, 68, 1, 84, 5); // viridis at 0
            }
            bar = top && bottom;
        }
        QVERIFY(bar);
    }

    void sameSeedSameFrames() {
        QTemporaryDir dir;
        QStringList args{
            "render", "--target", "eight-gaussians", "--method", "sm", "--steps",   "10", "--every",
            "5",      "--size",   "64x64",           "--seed",   "7",  "--threads", "1",  "--out"};
        QVERIFY(runCli(args + QStringList{dir.filePath("a/")}).exitCode == 0);
        QVERIFY(runCli(args + QStringList{dir.filePath("b/")}).exitCode == 0);
        for (int i = 0; i < 3; ++i) {
            const QString f = QString("/frame_%1.png").arg(i, 5, 10, QChar('0'));
            QFile a(dir.filePath("a") + f), b(dir.filePath("b") + f);
            QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
            QVERIFY(a.readAll() == b.readAll());
        }
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList base{"render", "--target", "banana", "--method", "sm", "--steps", "4"};
        QTest::newRow("no-out") << base << "missing required option --out";
        QTest::newRow("avi") << base + QStringList{"--out", "@a.avi"} << "cannot tell the format";
        QTest::newRow("odd-mp4") << base + QStringList{"--out", "@a.mp4", "--size", "101x80"}
                                 << "even frame size";
        QTest::newRow("size-text") << base + QStringList{"--out", "@a.gif", "--size", "big"}
                                   << "--size must be WxH";
        QTest::newRow("size-tiny") << base + QStringList{"--out", "@a.gif", "--size", "4x4"}
                                   << "between 16x16";
        QTest::newRow("fps-0") << base + QStringList{"--out", "@a.gif", "--fps", "0"} << "--fps must be";
        QTest::newRow("fps-1000") << base + QStringList{"--out", "@a.gif", "--fps", "1000"}
                                  << "--fps must be";
        QTest::newRow("every-0") << base + QStringList{"--out", "@a.gif", "--every", "0"}
                                 << "--every must be a positive integer";
        QTest::newRow("layers") << base + QStringList{"--out", "@a.gif", "--layers", "landscape,glitter"}
                                << "unknown layer \"glitter\"";
        QTest::newRow("colormap") << base + QStringList{"--out", "@a.gif", "--colormap", "jet"}
                                  << "unknown colour map \"jet\"";
        QTest::newRow("no-dir") << base + QStringList{"--out", "@missing/a.gif"} << "does not exist";
        QTest::newRow("target") << QStringList{"render", "--target", "nope",  "--method",
                                               "sm",     "--out",    "@a.gif"}
                                << "unknown target \"nope\"";
        QTest::newRow("method") << QStringList{"render", "--target", "banana", "--method",
                                               "mle",    "--out",    "@a.gif"}
                                << "unknown method \"mle\"";
        QTest::newRow("session-missing")
            << QStringList{"render", "--session", "@s.ebmlab", "--out", "@a.gif"} << "cannot open";
        QTest::newRow("scratch-without-session") << base + QStringList{"--out", "@a.gif", "--from-scratch"}
                                                 << "--from-scratch goes with --session";
        QTest::newRow("session-and-target")
            << QStringList{"render", "--session", "@s.ebmlab", "--target", "banana", "--out", "@a.gif"}
            << "--target cannot be combined with --session";
    }

    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        for (QString& a : args)
            if (a.startsWith('@')) a = dir.filePath(a.mid(1));
        const Result r = runCli(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(r.err.split('\n', Qt::SkipEmptyParts).size(), 1);
        QVERIFY2(r.err.startsWith("ebmlab-cli: ") && r.err.contains(message), qPrintable(r.err));
        QCOMPARE(entries(dir.path()), QStringList());
    }

    void interruptLeavesNothing() {
        QTemporaryDir dir;
        QProcess p;
        p.start(QStringLiteral(EBMLAB_CLI),
                {"render", "--target", "banana", "--method", "ssm", "--steps", "100000", "--every", "50",
                 "--size", "64x64", "--out", dir.filePath("long.mp4")});
        QVERIFY(p.waitForStarted());
        QTest::qWait(1500);
        QCOMPARE(p.state(), QProcess::Running);
        p.terminate(); // SIGTERM: the run stops between steps and removes its temporary file
        QVERIFY(p.waitForFinished(20000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("cancelled; nothing was written"));
        QCOMPARE(entries(dir.path()), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestRenderCli)
#include "tst_rendercli.moc"
