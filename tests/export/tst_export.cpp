// The encoders, decoded back with FFmpeg: a short scripted run written as GIF, MP4, WebM and PNG frames
// has the right frame count and size, frames that change over time and that match what was rendered;
// cancelling (during the run or the GIF's final pass) or failing leaves no file; bad outputs are refused
// before anything is written.
#include "decode.h"
#include "smallrun.h"

#include <ebm/core/density.h>
#include <ebm/exporter/encoder.h>
#include <ebm/exporter/palette.h>
#include <ebm/exporter/scriptedrun.h>

#include <QtTest>

#include <chrono>

using namespace ebm;
using exporter::Format;

namespace {
// Keeps a copy of every frame before passing it on (the reference the decoded frames are checked against).
class Recording final : public exporter::Encoder {
public:
    explicit Recording(exporter::Encoder& inner) : m_inner(inner) {}
    void addFrame(const render::Image& f) override {
        frames.push_back(f);
        m_inner.addFrame(f);
    }
    void finish() override { m_inner.finish(); }
    int frameCount() const override { return m_inner.frameCount(); }
    std::vector<render::Image> frames;

private:
    exporter::Encoder& m_inner;
};

using test::smallTrainer;

exporter::ScriptedRun smallRun(int w, int h) {
    return test::smallRun(w, h, 30, 10); // 7 frames
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}
} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("codec");
        QTest::addColumn<double>("tolerance"); // mean |decoded − rendered| per channel
        QTest::newRow("gif") << int(Format::Gif) << "a.gif"
                             << "gif" << 6.0;
        QTest::newRow("mp4") << int(Format::Mp4) << "a.mp4"
                             << "h264" << 16.0;
        QTest::newRow("webm") << int(Format::WebM) << "a.webm"
                              << "vp9" << 16.0;
        QTest::newRow("png") << int(Format::PngSequence) << "frames/"
                             << "png" << 0.0;
    }

    void roundTrip() {
        QFETCH(int, format);
        QFETCH(QString, name);
        QFETCH(QString, codec);
        QFETCH(double, tolerance);
        QTemporaryDir dir;
        const std::string out = dir.filePath(name).toStdString();
        QCOMPARE(int(exporter::formatFromPath(out)), format);
        exporter::EncoderOptions eo;
        eo.width = 128;
        eo.height = 96;
        eo.fps = 8;
        exporter::EncodeControl control;
        auto enc = exporter::makeEncoder(out, Format(format), eo, control);
        Recording rec(*enc);
        core::Trainer trainer = smallTrainer(std::string("sm"));
        const auto t0 = std::chrono::steady_clock::now();
        int reported = 0;
        exporter::renderScriptedRun(trainer, smallRun(eo.width, eo.height), rec, control,
                                    [&](const exporter::RunProgress& p) { reported = p.frame; });
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        QCOMPARE(reported, 7);
        QCOMPARE(int(rec.frames.size()), 7);
        QCOMPARE(exporter::scriptedFrameCount(30, 5), 7);
        QCOMPARE(entries(dir.path()).size(), 1); // the output only, no temporary left

        const std::string input =
            Format(format) == Format::PngSequence ? dir.filePath("frames/frame_%05d.png").toStdString() : out;
        const test::Decoded d = test::decodeAll(input);
        QVERIFY2(d.error.empty(), d.error.c_str());
        QCOMPARE(QString::fromStdString(d.codec), codec);
        QCOMPARE(int(d.frames.size()), 7);
        QCOMPARE(d.width, eo.width);
        QCOMPARE(d.height, eo.height);
        double worst = 0;
        for (size_t i = 0; i < d.frames.size(); ++i)
            worst = std::max(worst, test::meanAbs(d.frames[i], rec.frames[i].rgb));
        const double change = test::meanAbs(d.frames.front(), d.frames.back());
        qInfo("%s: %.2f s, %lld bytes; decoded vs rendered worst mean |diff| %.2f; first vs last frame %.2f",
              qPrintable(name), secs, (long long)QFileInfo(QString::fromStdString(out)).size(), worst,
              change);
        QVERIFY2(worst <= tolerance, qPrintable(QString::number(worst)));
        QVERIFY2(change > 3 * std::max(worst, 1.0), "the frames do not change over time");
        // Consecutive frames differ too (the model and the particles move).
        for (size_t i = 1; i < d.frames.size(); ++i)
            QVERIFY(test::meanAbs(d.frames[i - 1], d.frames[i]) > 0.2);
    }

    void paletteCoversTheFrames() {
        // A smooth gradient and a few saturated dots: the palette keeps the dots' colours exactly enough.
        render::Image img(256, 64);
        for (int y = 0; y < 64; ++y)
            for (int x = 0; x < 256; ++x) {
                std::uint8_t* p = img.pixel(x, y);
                p[0] = std::uint8_t(x);
                p[1] = std::uint8_t(255 - x);
                p[2] = std::uint8_t(y * 4);
            }
        for (int k = 0; k < 8; ++k) {
            std::uint8_t* p = img.pixel(16 + 30 * k, 30);
            p[0] = 255, p[1] = 0, p[2] = 255;
        }
        exporter::PaletteMapper m(exporter::medianCutPalette({img}, 255));
        QVERIFY(m.palette().size() > 200);
        const render::Rgb8 c = m.palette()[size_t(m.nearest(255, 0, 255))];
        QVERIFY2(std::abs(c.r - 255) + std::abs(c.g) + std::abs(c.b - 255) < 30, "magenta dots lost");
        std::vector<std::uint8_t> idx;
        m.dither(img, idx);
        // Per pixel the dithered colour is off by the palette's spacing, but error diffusion keeps the
        // local mean: over 8 x 8 blocks the colour is nearly exact.
        double err = 0, blockErr = 0;
        for (int by = 0; by < 64; by += 8)
            for (int bx = 0; bx < 256; bx += 8) {
                double sum[3] = {0, 0, 0};
                for (int y = by; y < by + 8; ++y)
                    for (int x = bx; x < bx + 8; ++x) {
                        const render::Rgb8 q = m.palette()[idx[size_t(y) * 256 + size_t(x)]];
                        const std::uint8_t* p = img.pixel(x, y);
                        const int d[3] = {q.r - p[0], q.g - p[1], q.b - p[2]};
                        for (int k = 0; k < 3; ++k) {
                            err += std::abs(d[k]);
                            sum[k] += d[k];
                        }
                    }
                for (int k = 0; k < 3; ++k)
                    blockErr += std::abs(sum[k] / 64);
            }
        err /= 256.0 * 64 * 3;
        blockErr /= (256 / 8) * (64 / 8) * 3;
        qInfo("dithered mean |error| %.2f per pixel, %.2f over 8x8 blocks (per channel)", err, blockErr);
        QVERIFY(err < 8);
        QVERIFY(blockErr < 1.5);
    }

    void cancelLeavesNothing_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("duringFinish");
        QTest::newRow("gif during the run") << "a.gif" << false;
        QTest::newRow("gif during the final pass") << "a.gif" << true;
        QTest::newRow("mp4") << "a.mp4" << false;
        QTest::newRow("webm") << "a.webm" << false;
        QTest::newRow("png") << "frames/" << false;
    }

    void cancelLeavesNothing() {
        QFETCH(QString, name);
        QFETCH(bool, duringFinish);
        QTemporaryDir dir;
        const std::string out = dir.filePath(name).toStdString();
        std::atomic<bool> cancel{false};
        exporter::EncodeControl control;
        control.cancel = &cancel;
        if (duringFinish)
            control.progress = [&](int done, int) {
                if (done == 2) cancel = true;
            };
        exporter::EncoderOptions eo;
        eo.width = 64;
        eo.height = 48;
        auto enc = exporter::makeEncoder(out, exporter::formatFromPath(out), eo, control);
        core::Trainer trainer = smallTrainer(std::string("nce"));
        bool cancelled = false;
        try {
            exporter::renderScriptedRun(trainer, smallRun(64, 48), *enc, control,
                                        [&](const exporter::RunProgress& p) {
                                            if (!duringFinish && p.frame == 3) cancel = true;
                                        });
        } catch (const exporter::Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        QVERIFY(trainer.stepCount() < 30 || duringFinish);
        enc.reset();
        QCOMPARE(entries(dir.path()), QStringList());
    }

    void failureLeavesNothing() {
        // A wrong frame size mid-way fails the export; the abandoned encoder removes its temporary.
        for (const char* name : {"a.gif", "a.mp4", "a.webm", "frames/"}) {
            QTemporaryDir dir;
            const std::string out = dir.filePath(name).toStdString();
            exporter::EncodeControl control;
            exporter::EncoderOptions eo;
            eo.width = 64;
            eo.height = 48;
            {
                auto enc = exporter::makeEncoder(out, exporter::formatFromPath(out), eo, control);
                render::Image good(64, 48), bad(48, 64);
                enc->addFrame(good);
                QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, enc->addFrame(bad));
            }
            QCOMPARE(entries(dir.path()), QStringList());
        }
    }

    void badOutputsAreRefused_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<QString>("message");
        QTest::newRow("no directory") << "missing/a.gif" << 64 << 48 << "does not exist";
        QTest::newRow("odd mp4") << "a.mp4" << 65 << 48 << "even frame size";
        QTest::newRow("odd webm") << "a.webm" << 64 << 47 << "even frame size";
        QTest::newRow("tiny") << "a.gif" << 8 << 8 << "between 16x16";
        QTest::newRow("unknown format") << "a.avi" << 64 << 48 << "cannot tell the format";
        QTest::newRow("full frame dir") << "full/" << 64 << 48 << "is not empty";
    }

    void badOutputsAreRefused() {
        QFETCH(QString, name);
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QDir(dir.path()).mkdir("full");
        QFile keep(dir.filePath("full/keep.txt"));
        QVERIFY(keep.open(QIODevice::WriteOnly));
        keep.close();
        const std::string out = dir.filePath(name).toStdString();
        exporter::EncoderOptions eo;
        eo.width = width;
        eo.height = height;
        exporter::EncodeControl control;
        QString what;
        try {
            auto enc = exporter::makeEncoder(out, exporter::formatFromPath(out), eo, control);
        } catch (const core::InvalidArgument& e) {
            what = e.what();
        }
        QVERIFY2(what.contains(message), qPrintable(what));
        QCOMPARE(entries(dir.path()), QStringList{"full"});
        QCOMPARE(entries(dir.filePath("full")), QStringList{"keep.txt"});
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
