// ebmlab-cli train --images / bench --images end to end (QProcess): JSON output with steps_per_s and the
// sample-quality figures, the sample grid PNG and the saved model; bad input exits 2 with one line.
#include "clirun.h"
#include <ebm/core/objective.h>

#include <QImage>
#include <QJsonArray>
#include <QtTest>

#include <cmath>

using namespace ebm;

namespace {
using test::describe;
using test::Result;
using test::runCli;

QJsonObject lastJson(const Result& r) {
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}
} // namespace

class TestCliImages : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void trainOnDigitsWritesJsonGridAndModel() {
        const Result r =
            runCli({"train",  "--images",        "digits", "--model", "mlp",           "--method",
                    "cd",     "--steps",         "40",     "--count", "500",           "--langevin-steps",
                    "5",      "--json",          "--seed", "3",       "--samples-out", path("grid.png"),
                    "--save", path("model.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 41);
        const QJsonObject last = lastJson(r);
        for (const char* k : {"steps_per_s", "confident_fraction", "distinct_classes", "energy_held_out",
                              "energy_noise", "fresh_confident_fraction", "class_counts"})
            QVERIFY2(last.contains(k), k);
        QVERIFY(last["steps_per_s"].toDouble() > 0);
        QVERIFY(last["confident_fraction"].toDouble() >= 0 && last["confident_fraction"].toDouble() <= 1);
        QImage grid(path("grid.png"));
        QVERIFY(!grid.isNull());
        QCOMPARE(grid.width(), (10 * 17 + 1) * 4);
        QFile f(path("model.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject m = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(m["format"].toString(), QString("ebmlab-image-model"));
        QCOMPARE(m["params"].toArray().size(), 256 * 256 + 256 + 256 * 256 + 256 + 256 + 1);
    }

    // CD's chain guard from the command line: with λ far too small the chains cannot follow and are lost;
    // the guard restarts them at half the learning rate, four times, then stops and says so (per step in
    // --json, in the last line); --no-guard leaves the run lost at the rate it was given.
    void chainGuardActsAndCanBeTurnedOff() {
        const QStringList args{"train", "--images",   "digits", "--method",    "cd",    "--size",
                               "8",     "--count",    "500",    "--batch",     "32",    "--buffer",
                               "500",   "--channels", "8,16",   "--step-size", "0.005", "--steps",
                               "1500",  "--threads",  "1",      "--json"};
        const Result guarded = runCli(args);
        QVERIFY2(guarded.exitCode == 0, qPrintable(describe(guarded)));
        QVERIFY2(guarded.out.contains("chains lost the data") && guarded.out.contains("the guard stops"),
                 qPrintable(describe(guarded)));
        const QJsonObject g = lastJson(guarded);
        QCOMPARE(g["guard_events"].toInt(), 5);
        QCOMPARE(float(g["final_learning_rate"].toDouble()), 1e-3f / 16);
        const Result free = runCli(args + QStringList{"--no-guard"});
        QVERIFY2(free.exitCode == 0, qPrintable(describe(free)));
        QVERIFY(!free.out.contains("chains lost the data"));
        const QJsonObject f = lastJson(free);
        QCOMPARE(f["guard_events"].toInt(), 0);
        QCOMPARE(float(f["final_learning_rate"].toDouble()), 1e-3f);
        // Lost: the data's energy far below the chains'.
        QVERIFY2(f["loss"].toDouble() < -1, qPrintable(describe(free)));
    }

    void otherMethodsAndDataRun_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("conv dsm") << QStringList{"--images", "digits", "--method", "dsm", "--count", "200"};
        QTest::newRow("conv ssm 8x8")
            << QStringList{"--images", "digits", "--method", "ssm", "--size", "8", "--count", "200"};
        QTest::newRow("conv 8-16 channels, no fresh chains") << QStringList{
            "--images", "digits", "--method", "cd", "--channels", "8,16", "--fresh", "0", "--count", "200"};
        QTest::newRow("mlp nce") << QStringList{"--images", "digits", "--model", "mlp",
                                                "--method", "nce",    "--count", "200"};
        if (QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            QTest::newRow("fashion-mnist")
                << QStringList{"--images", "fashion-mnist", "--model",          "mlp", "--method", "cd",
                               "--count",  "300",           "--langevin-steps", "2"};
    }
    void otherMethodsAndDataRun() {
        QFETCH(QStringList, args);
        const Result r = runCli(QStringList{"train"} + args + QStringList{"--steps", "3", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(lastJson(r).contains("energy_noise"));
    }

    void badInputExitsWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("missing folder") << QStringList{"--images", path("nope"), "--method", "cd"} << "nope";
        QTest::newRow("exact sm") << QStringList{"--images", "digits", "--method", "sm"} << "sm";
        QTest::newRow("bad model") << QStringList{"--images", "digits", "--model", "rnn", "--method", "cd"}
                                   << "rnn";
        QTest::newRow("bad size") << QStringList{"--images", "digits", "--size", "2", "--method", "cd"}
                                  << "size";
        QTest::newRow("bad channels")
            << QStringList{"--images", "digits", "--method", "cd", "--channels", "16,,32"} << "channels";
        QTest::newRow("too many channels")
            << QStringList{"--images", "digits", "--method", "cd", "--channels", "16,9999"} << "channels";
        QTest::newRow("channels for the mlp")
            << QStringList{"--images", "digits", "--model", "mlp", "--method", "cd", "--channels", "8"}
            << "channels";
        QTest::newRow("bad fresh") << QStringList{"--images", "digits", "--method", "cd", "--fresh", "1.5"}
                                   << "fresh";
        QDir(m_dir.path()).mkpath("empty");
        QTest::newRow("empty folder") << QStringList{"--images", path("empty"), "--method", "cd"} << "png";
    }
    void badInputExitsWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const Result r = runCli(QStringList{"train"} + args +
                                QStringList{"--steps", "2", "--samples-out", path("bad.png")});
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(needle, Qt::CaseInsensitive), qPrintable(r.err));
        QVERIFY(!QFile::exists(path("bad.png")));
    }

    void evalMeasuresASavedImageModel() {
        // The model saved by trainOnDigitsWritesJsonGridAndModel (40 CD steps of a small MLP).
        QVERIFY(QFile::exists(path("model.json")));
        const Result r = runCli({"eval", "--image-model", path("model.json"), "--count", "60", "--steps",
                                 "30", "--json", "--samples-out", path("fresh.png")});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonObject j = lastJson(r);
        for (const char* k : {"energy_held_out", "energy_noise", "held_out_below_noise",
                              "fresh_confident_fraction", "inpaint_error_start", "inpaint_error_after",
                              "inpaint_error_black", "inpaint_error_mean_image", "denoise_error_start",
                              "denoise_error_after", "denoise_error_black", "denoise_error_mean_image"})
            QVERIFY2(j.contains(k) && std::isfinite(j[k].toDouble()), k);
        // The trivial fills are the same for every model: the ink of the held-out digits (under 0.2: digits
        // are mostly background) and a little more for the grey mean image; the verdicts compare with them.
        for (const char* k : {"inpaint_error_black", "denoise_error_black"})
            QVERIFY2(j[k].toDouble() > 0.05 && j[k].toDouble() < 0.2, k);
        QVERIFY(j["inpaint_error_mean_image"].toDouble() > j["inpaint_error_black"].toDouble());
        QCOMPARE(j["inpaint_beats_trivial"].toBool(),
                 j["inpaint_error_after"].toDouble() <
                     std::min(j["inpaint_error_start"].toDouble(), j["inpaint_error_black"].toDouble()));
        QVERIFY(j["denoise_beats_trivial"].isBool());
        QCOMPARE(j["images"].toString(), QString("digits")); // what the model was trained on
        QCOMPARE(j["held_out"].toInt(), 60);
        // Even 40 steps of CD put held-out digits below uniform noise, and the chains pull an erased half
        // from noise towards the data.
        QVERIFY(j["held_out_below_noise"].toDouble() > 0.9);
        QVERIFY(j["inpaint_error_start"].toDouble() > 0.3); // uniform noise against mostly-black pixels
        QVERIFY(j["inpaint_error_after"].toDouble() < j["inpaint_error_start"].toDouble());
        QCOMPARE(QImage(path("fresh.png")).width(), (10 * 17 + 1) * 4);
        // Bad input: a missing file, a 2D model file, a bad number: exit 2, one line, nothing written.
        const QStringList bad[] = {{"--image-model", path("missing.json")},
                                   {"--image-model", path("grid.png")},
                                   {"--image-model", path("model.json"), "--steps", "-3"}};
        for (const QStringList& args : bad) {
            const Result b =
                runCli(QStringList{"eval"} + args + QStringList{"--samples-out", path("bad-eval.png")});
            QVERIFY2(b.exitCode == 2, qPrintable(describe(b)));
            QCOMPARE(b.err.count('\n'), 1);
            QVERIFY(!QFile::exists(path("bad-eval.png")));
        }
    }

    // --long-run follows other chains from noise and measures them at each step count: short-run against
    // long-run behaviour, with the chains written as rows of a PNG.
    void evalFollowsLongRunChains() {
        QVERIFY(QFile::exists(path("model.json")));
        const Result r = runCli({"eval", "--image-model", path("model.json"), "--count", "60", "--steps", "5",
                                 "--long-run", "0,10,40", "--long-run-out", path("long.png"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QJsonObject j = lastJson(r);
        const QJsonArray lr = j["long_run"].toArray();
        QCOMPARE(lr.size(), 3);
        const int expected[] = {0, 10, 40};
        for (int k = 0; k < 3; ++k) {
            const QJsonObject p = lr[k].toObject();
            QCOMPARE(p["steps"].toInt(), expected[k]);
            for (const char* key : {"energy", "confident_fraction", "confident_near_fraction"})
                QVERIFY2(std::isfinite(p[key].toDouble()), key);
        }
        // At 0 steps the chains are uniform noise: no sample is as near the data as held-out digits, and
        // the energy is noise's; Langevin then lowers it.
        const double e0 = lr[0].toObject()["energy"].toDouble(), e40 = lr[2].toObject()["energy"].toDouble();
        QCOMPARE(lr[0].toObject()["confident_near_fraction"].toDouble(), 0.0);
        QVERIFY2(std::abs(e0 - j["energy_noise"].toDouble()) < 0.2 * std::abs(j["energy_noise"].toDouble()),
                 qPrintable(QString("%1 vs %2").arg(e0).arg(j["energy_noise"].toDouble())));
        QVERIFY2(e40 < e0, qPrintable(QString("%1 -> %2").arg(e0).arg(e40)));
        // 10 chains (rows) x 3 step counts (columns) of 16 x 16 images, one-pixel borders, zoom 4.
        const QImage img(path("long.png"));
        QCOMPARE(img.width(), (3 * 17 + 1) * 4);
        QCOMPARE(img.height(), (10 * 17 + 1) * 4);
        // Bad lists and an output without the list: exit 2, one line, nothing written.
        const QString b = path("b.png");
        const QStringList bad[] = {{"--long-run", "5,3", "--long-run-out", b},
                                   {"--long-run", "10,x", "--long-run-out", b},
                                   {"--long-run-out", b}};
        for (const QStringList& args : bad) {
            const Result r2 = runCli(QStringList{"eval", "--image-model", path("model.json")} + args);
            QVERIFY2(r2.exitCode == 2, qPrintable(describe(r2)));
            QCOMPARE(r2.err.count('\n'), 1);
            QVERIFY(!QFile::exists(b));
        }
    }

    void benchImagesReportsStepTimes() {
        const Result r = runCli({"bench", "--images", "--reps", "1", "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        // The conv net with every registered image method (registry order), then the MLP with the first.
        const std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Image);
        QCOMPARE(lines.size(), qsizetype(methods.size() + 1));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i].toUtf8()).object();
            QCOMPARE(o["model"].toString(), QString(i < lines.size() - 1 ? "conv" : "mlp"));
            QCOMPARE(o["method"].toString(), QString::fromStdString(methods[size_t(i) % methods.size()]));
        }
        for (const char* m : {"cd", "ssm", "dsm", "nce"})
            QVERIFY(std::find(methods.begin(), methods.end(), m) != methods.end());
        const QJsonObject first = QJsonDocument::fromJson(lines.first().toUtf8()).object();
        QCOMPARE(first["model"].toString(), QString("conv"));
        QCOMPARE(first["method"].toString(), QString("cd"));
        QCOMPARE(first["batch"].toInt(), 64);
        QCOMPARE(first["langevin_steps"].toInt(), 20);
        QVERIFY(first["ms_per_step"].toDouble() > 0);
        // docs/bench.md "Image step": CD on the default conv net is 20 · 64 · 3 097 088 (chains, E and ∇ₓE)
        // + 128 · 4 572 672 (loss gradient on data and negatives) FLOPs.
        QCOMPARE(first["flops_per_step"].toDouble(), 20.0 * 64 * 3097088 + 128.0 * 4572672);
        for (const QString& line : lines) {
            const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
            const double gflops = o["gflops"].toDouble(), gemm = o["gemm_gflops"].toDouble();
            QVERIFY2(o["flops_per_step"].toDouble() > 1e7, qPrintable(line));
            QVERIFY(gflops > 0 && gemm > 0);
            QVERIFY(std::abs(gflops - o["flops_per_step"].toDouble() / o["ms_per_step"].toDouble() / 1e6) <
                    1e-6 * gflops);
            QVERIFY(std::abs(o["fraction_of_gemm"].toDouble() - gflops / gemm) < 1e-9);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliImages)
#include "tst_cli_images.moc"
