// ebmlab-cli end to end (through QProcess): bad input exits 2 with one stderr line and no output file;
// targets; train --json; save → eval matches the loaded model; sample; corrupt model files; bench.
#include <ebm/core/density.h>
#include <ebm/core/objective.h>
#include <ebm/io/modelfile.h>

#include "clirun.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace ebm;

namespace {
using test::describe;
using test::Result;
using test::runCli;

QStringList lines(const QString& s) {
    return s.split('\n', Qt::SkipEmptyParts);
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;        // saved by initTestCase (dsm, 50 steps)
    QStringList m_trainOut; // its --json lines

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = path("model.json");
        const Result r = runCli({"train", "--target", "eight-gaussians", "--method", "dsm", "--steps", "50",
                                 "--json", "--eval-every", "25", "--seed", "3", "--save", m_model});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        m_trainOut = lines(r.out);
    }

    void trainPrintsJsonLines() {
        QCOMPARE(m_trainOut.size(), 51); // 50 steps + the final line
        for (int i = 0; i < m_trainOut.size(); ++i) {
            QJsonParseError e;
            const QJsonDocument d = QJsonDocument::fromJson(m_trainOut[i].toUtf8(), &e);
            QVERIFY2(e.error == QJsonParseError::NoError && d.isObject(), qPrintable(m_trainOut[i]));
            const QJsonObject o = d.object();
            if (i < 50) {
                QCOMPARE(o["step"].toInt(), i + 1);
                for (const char* k : {"loss", "grad_norm", "accept_rate"})
                    QVERIFY2(o[k].isDouble(), k);
                QCOMPARE(o.contains("kl"), (i + 1) % 25 == 0);
            }
        }
        const QJsonObject last = QJsonDocument::fromJson(m_trainOut.last().toUtf8()).object();
        for (const char* k :
             {"kl", "nll", "log_z", "log_z_estimate", "steps_per_s", "seconds", "steps", "method", "target"})
            QVERIFY2(last.contains(k), k);
        QVERIFY(last["kl"].isDouble() && std::isfinite(last["kl"].toDouble()));
        QVERIFY(last["nll"].isDouble());
        QVERIFY(last["log_z"].isDouble());
        QVERIFY(last["log_z_estimate"].isNull()); // only NCE learns c
        QVERIFY(last["steps_per_s"].toDouble() > 0);
        QVERIFY(last["seconds"].toDouble() > 0);
        QCOMPARE(last["steps"].toInt(), 50);
        QCOMPARE(last["method"].toString(), QString("dsm"));
        QCOMPARE(last["target"].toString(), QString("eight-gaussians"));
    }

    // The chains are fitted to the target unless --no-fit; --recommended starts from the target's entry (the
    // checkerboard's learning-rate floor), the flags given override it, and the final line reports the
    // chains and the schedule trained with.
    void trainRecommendedAndChainFlags() {
        const auto finalLine = [](const QString& target, const QStringList& extra,
                                  const QString& method = QStringLiteral("cd")) {
            const Result r = runCli(QStringList{"train", "--target", target, "--method", method, "--steps",
                                                "2", "--eval-every", "0", "--threads", "1", "--json"} +
                                    extra);
            return std::make_pair(
                r.exitCode,
                QJsonDocument::fromJson(lines(r.out).value(lines(r.out).size() - 1).toUtf8()).object());
        };
        auto [rc, o] = finalLine("rings", {});
        QCOMPARE(rc, 0);
        QJsonObject c = o["chains"].toObject();
        const QJsonArray widths = c["widths"].toArray();
        QCOMPARE(widths.size(), 2);
        const double thin = widths[0].toDouble();
        QVERIFY(thin > 0.07 && thin < 0.09); // the rings' noise σ is 0.08
        QVERIFY(c["fitted"].toBool());
        QCOMPARE(c["sampler"].toString(), QString("ula"));
        QVERIFY(std::abs(c["step_size"].toDouble() - 2.0 / 3.0 * thin * thin) < 1e-6);
        QCOMPARE(o["lr_floor"].toDouble(), 0.1);
        std::tie(rc, o) = finalLine("rings", {"--no-fit"});
        QCOMPARE(rc, 0);
        QCOMPARE(o["chains"].toObject()["step_size"].toDouble(), 0.02);
        QVERIFY(!o["chains"].toObject()["fitted"].toBool());
        std::tie(rc, o) = finalLine("funnel", {});
        QCOMPARE(rc, 0);
        QCOMPARE(o["chains"].toObject()["sampler"].toString(), QString("mala"));
        std::tie(rc, o) = finalLine("checkerboard", {"--recommended"}, "hinge");
        QCOMPARE(rc, 0);
        QCOMPARE(o["lr_floor"].toDouble(), 0.01);
        std::tie(rc, o) = finalLine("checkerboard",
                                    {"--recommended", "--lr-floor", "0.05", "--step-size", "0.01", "--no-fit",
                                     "--chain-steps", "4", "--short-run", "--restart-from-data", "0",
                                     "--activation", "tanh", "--lr-decay-steps", "0"},
                                    "hinge");
        QCOMPARE(rc, 0);
        c = o["chains"].toObject();
        QCOMPARE(o["lr_floor"].toDouble(), 0.05);
        QCOMPARE(c["step_size"].toDouble(), 0.01);
        QCOMPARE(c["steps"].toInt(), 4);
        QCOMPARE(c["persistent"].toBool(), false);
        QCOMPARE(c["restart_from_data"].toDouble(), 0.0);
        QCOMPARE(o["model"].toString(), QString("2-128-128-1 tanh"));
        QCOMPARE(o["lr_decay_steps"].toInt(), 0);
        // A floor above the final factor (0.1) is refused with one message.
        const Result bad = runCli({"train", "--target", "rings", "--method", "cd", "--lr-floor", "0.5"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("lr-floor"), qPrintable(bad.err));
    }

    void nceReportsItsEstimate() {
        const QString model = path("nce.json");
        const Result r =
            runCli({"train", "--target", "two-moons", "--method", "nce", "--steps", "10", "--json",
                    "--eval-every", "0", "--width", "16", "--depth", "1", "--save", model});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList ls = lines(r.out);
        QCOMPARE(ls.size(), 11);
        const QJsonObject last = QJsonDocument::fromJson(ls.last().toUtf8()).object();
        QVERIFY(last["log_z_estimate"].isDouble());
        const io::ModelFile m = io::loadModel(model.toStdString());
        QCOMPARE(m.architecture.hidden, std::vector<int>{16});
        QCOMPARE(m.method, std::string("nce"));
        QCOMPARE(m.target, std::string("two-moons"));
        QCOMPARE(m.steps, std::int64_t(10));
        QCOMPARE(m.logZEstimate, last["log_z_estimate"].toDouble());
    }

    void trainHumanReadable() {
        const Result r =
            runCli({"train", "--target", "banana", "--method", "sm", "--steps", "4", "--eval-every", "2",
                    "--batch", "64", "--width", "32", "--lr", "0.002", "--threads", "1"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QVERIFY(r.out.contains("step 2/4"));
        QVERIFY(r.out.contains("KL "));
        QVERIFY(r.out.contains("steps/s"));
    }

    void sameSeedSameModel() {
        const QStringList args{"train",   "--target", "rings",        "--method", "cd",
                               "--steps", "5",        "--eval-every", "0",        "--width",
                               "32",      "--batch",  "64",           "--json",   "--save"};
        QVERIFY(runCli(args + QStringList{path("a.json")}).exitCode == 0);
        QVERIFY(runCli(args + QStringList{path("b.json")}).exitCode == 0);
        QFile a(path("a.json")), b(path("b.json"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
    }

    void targetsListsAllPresets() {
        const Result r = runCli({"targets"});
        QCOMPARE(r.exitCode, 0);
        const QStringList ls = lines(r.out);
        const auto names = core::presetNames();
        QCOMPARE(ls.size(), qsizetype(names.size()));
        for (size_t i = 0; i < names.size(); ++i) {
            const QString name = QString::fromStdString(names[i]);
            QVERIFY2(ls[qsizetype(i)].startsWith(name + " "), qPrintable(ls[qsizetype(i)]));
            QVERIFY(ls[qsizetype(i)].mid(name.size()).trimmed().size() > 5); // a description follows
        }
    }

    void evalMatchesLoadedModel() {
        const QString csv = path("energies.csv");
        const int n = 16;
        const Result r = runCli(
            {"eval", "--model", m_model, "--grid", QString::number(n), "--box", "-3,3,-2,2.5", "--out", csv});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList ls = lines(QString::fromUtf8(f.readAll()));
        QCOMPARE(ls.size(), n * n + 1);
        QCOMPARE(ls[0], QString("x,y,energy"));
        const io::ModelFile mf = io::loadModel(m_model.toStdString());
        const core::Mlp<float> mlp = mf.toMlp();
        core::Matf X(2, n * n);
        core::Rowf E(n * n);
        for (int k = 0; k < n * n; ++k) {
            const QStringList cols = ls[k + 1].split(',');
            QCOMPARE(cols.size(), 3);
            X(0, k) = cols[0].toFloat();
            X(1, k) = cols[1].toFloat();
            E(k) = cols[2].toFloat();
            // Cell centres, y-major.
            const int ix = k % n, iy = k / n;
            QVERIFY(std::abs(X(0, k) - float(-3 + (ix + 0.5) * 6.0 / n)) < 1e-5f);
            QVERIFY(std::abs(X(1, k) - float(-2 + (iy + 0.5) * 4.5 / n)) < 1e-5f);
        }
        const core::Rowf ref = mlp.energy(X);
        for (int k = 0; k < n * n; ++k)
            QVERIFY2(std::abs(ref(k) - E(k)) <= 1e-5f * std::max(1.0f, std::abs(ref(k))),
                     qPrintable(QString("row %1: %2 vs %3").arg(k).arg(E(k)).arg(ref(k))));
    }

    void sampleWritesRows() {
        const QString csv = path("samples.csv");
        const Result r = runCli({"sample", "--model", m_model, "--sampler", "mala", "--n", "300", "--steps",
                                 "5", "--beta", "1.5", "--step-size", "0.005", "--seed", "9", "--out", csv});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList ls = lines(QString::fromUtf8(f.readAll()));
        QCOMPARE(ls.size(), 301);
        QCOMPARE(ls[0], QString("x,y"));
        for (int k = 1; k < ls.size(); ++k) {
            const QStringList cols = ls[k].split(',');
            QCOMPARE(cols.size(), 2);
            bool okx = false, oky = false;
            QVERIFY(std::isfinite(cols[0].toDouble(&okx)) && std::isfinite(cols[1].toDouble(&oky)));
            QVERIFY(okx && oky);
        }
        QCOMPARE(QDir(m_dir.path()).entryList({"*.tmp-*"}, QDir::Files).size(), 0);
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QStringList train{"train", "--target", "eight-gaussians", "--method", "cd", "--save", "@out"};
        QTest::newRow("no-command") << QStringList{} << "missing command";
        QTest::newRow("unknown-command") << QStringList{"fly"} << "unknown command \"fly\"";
        QTest::newRow("unknown-target")
            << QStringList{"train", "--target", "nope", "--method", "cd", "--save", "@out"}
            << "unknown target \"nope\"";
        QTest::newRow("unknown-method")
            << QStringList{"train", "--target", "banana", "--method", "mle", "--save", "@out"}
            << "unknown method \"mle\"";
        QTest::newRow("unknown-sampler")
            << train + QStringList{"--sampler", "gibbs"} << "unknown sampler \"gibbs\"";
        QTest::newRow("negative-steps")
            << train + QStringList{"--steps", "-3"} << "--steps must be a positive integer, got \"-3\"";
        QTest::newRow("zero-steps") << train + QStringList{"--steps", "0"}
                                    << "--steps must be a positive integer";
        QTest::newRow("float-steps") << train + QStringList{"--steps", "1.5"}
                                     << "--steps must be a positive integer";
        QTest::newRow("huge-steps") << train + QStringList{"--steps", "99999999999999999999999"} << "at most";
        QTest::newRow("lr-text") << train + QStringList{"--lr", "abc"}
                                 << "--lr must be a positive number, got \"abc\"";
        QTest::newRow("lr-nan") << train + QStringList{"--lr", "nan"} << "--lr must be a positive number";
        QTest::newRow("lr-negative") << train + QStringList{"--lr", "-0.1"}
                                     << "--lr must be a positive number";
        QTest::newRow("width-0") << train + QStringList{"--width", "0"}
                                 << "--width must be a positive integer";
        QTest::newRow("depth-99") << train + QStringList{"--depth", "99"}
                                  << "--depth must be a positive integer of at most 16";
        QTest::newRow("batch-text") << train + QStringList{"--batch", "12x"}
                                    << "--batch must be a positive integer";
        QTest::newRow("seed-negative") << train + QStringList{"--seed", "-1"} << "--seed must be an integer";
        QTest::newRow("threads-0") << train + QStringList{"--threads", "0"}
                                   << "--threads must be a positive integer";
        QTest::newRow("missing-value") << train + QStringList{"--steps"} << "--steps needs a value";
        QTest::newRow("unknown-flag") << train + QStringList{"--fast"} << "unknown option --fast";
        QTest::newRow("repeated-flag")
            << train + QStringList{"--steps", "5", "--steps", "6"} << "given twice";
        QTest::newRow("missing-target")
            << QStringList{"train", "--method", "cd", "--save", "@out"} << "missing required option --target";
        QTest::newRow("missing-method") << QStringList{"train", "--target", "banana", "--save", "@out"}
                                        << "missing required option --method";
        QTest::newRow("save-no-dir") << QStringList{"train", "--target", "banana",       "--method",
                                                    "cd",    "--save",   "@nodir/m.json"}
                                     << "does not exist";
        QTest::newRow("eval-no-model")
            << QStringList{"eval", "--model", "@missing.json", "--grid", "8", "--out", "@out"}
            << "cannot open";
        QTest::newRow("eval-grid-1") << QStringList{"eval", "--model", "@model", "--grid",
                                                    "1",    "--out",   "@out"}
                                     << "--grid must be an integer >= 2";
        QTest::newRow("eval-grid-text")
            << QStringList{"eval", "--model", "@model", "--grid", "ten", "--out", "@out"} << "--grid must be";
        QTest::newRow("eval-bad-box")
            << QStringList{"eval", "--model", "@model", "--grid", "8", "--box", "1,0,0,1", "--out", "@out"}
            << "--box needs x0 < x1";
        QTest::newRow("eval-box-3") << QStringList{"eval",  "--model", "@model", "--grid", "8",
                                                   "--box", "0,1,0",   "--out",  "@out"}
                                    << "--box must be four numbers";
        QTest::newRow("eval-no-out") << QStringList{"eval", "--model", "@model", "--grid", "8"}
                                     << "missing required option --out";
        QTest::newRow("sample-n-0") << QStringList{"sample",  "--model", "@model", "--n", "0",
                                                   "--steps", "1",       "--out",  "@out"}
                                    << "--n must be a positive integer";
        QTest::newRow("sample-beta") << QStringList{"sample", "--model", "@model", "--n",   "5",   "--steps",
                                                    "1",      "--beta",  "0",      "--out", "@out"}
                                     << "--beta must be a positive number";
        QTest::newRow("sample-sampler")
            << QStringList{"sample", "--model", "@model", "--sampler", "x",   "--n",
                           "5",      "--steps", "1",      "--out",     "@out"}
            << "unknown sampler";
        QTest::newRow("sample-no-steps")
            << QStringList{"sample", "--model", "@model", "--n", "5", "--out", "@out"}
            << "missing required option --steps";
        QTest::newRow("bench-reps") << QStringList{"bench", "--reps", "-2"}
                                    << "--reps must be a positive integer";
        QTest::newRow("bench-method")
            << QStringList{"bench", "--method", "bogus"} << "--method: no 2D method";
        QTest::newRow("bench-chain-steps")
            << QStringList{"bench", "--chain-steps", "0"} << "--chain-steps must be a positive integer";
        QTest::newRow("restart-fraction") << train + QStringList{"--restart", "1.5"}
                                          << "--restart must be a number from 0 to 1, got \"1.5\"";
        QTest::newRow("chain-steps") << train + QStringList{"--chain-steps", "0"}
                                     << "--chain-steps must be a positive integer";
        QTest::newRow("activation") << train + QStringList{"--activation", "relu"} << "unknown activation";
        QTest::newRow("targets-extra") << QStringList{"targets", "all"} << "unexpected argument";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const QString out = path("bad-output.csv");
        QFile::remove(out);
        for (QString& a : args) {
            if (a == "@out")
                a = out;
            else if (a == "@model")
                a = m_model;
            else if (a.startsWith('@'))
                a = path(a.mid(1));
        }
        const Result r = runCli(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(lines(r.err).size(), 1);
        QVERIFY2(r.err.startsWith("ebmlab-cli: "), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
        QCOMPARE(QDir(m_dir.path()).entryList({"*.tmp-*"}, QDir::Files).size(), 0);
    }

    void corruptModelRejected_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QFile f(m_model);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray good = f.readAll();
        QTest::newRow("empty") << QByteArray() << "not valid JSON";
        QTest::newRow("truncated") << good.left(good.size() / 2) << "not valid JSON";
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << "not valid JSON";
        QByteArray nan = good;
        nan.replace("\"params\":[", "\"params\":[NaN,");
        QTest::newRow("nan") << nan << "not valid JSON";
        QByteArray big = good;
        big.replace("\"params\":[", "\"params\":[1e39,");
        QTest::newRow("extra-param") << big << "\"params\" has 17026 numbers";
        QByteArray arch = good;
        arch.replace("\"hidden\":[128,128]", "\"hidden\":[128,127]");
        QTest::newRow("wrong-architecture") << arch << "needs";
        QByteArray ver = good;
        ver.replace("\"version\":1", "\"version\":7");
        QTest::newRow("version") << ver << "\"version\" 7 is not supported";
        QByteArray fmt = good;
        fmt.replace("\"format\":\"ebmlab-model\"", "\"format\":\"pytorch\"");
        QTest::newRow("format") << fmt << "not an EBM Lab model";
        QByteArray dim = good;
        dim.replace("\"input_dim\":2", "\"input_dim\":1");
        QTest::newRow("input-dim") << dim << "needs";
    }
    void corruptModelRejected() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString model = path("corrupt.json");
        {
            QFile f(model);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(content);
        }
        const QString out = path("corrupt-out.csv");
        for (const QStringList& args :
             {QStringList{"eval", "--model", model, "--grid", "4", "--out", out},
              QStringList{"sample", "--model", model, "--n", "4", "--steps", "1", "--out", out}}) {
            const Result r = runCli(args);
            QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
            QCOMPARE(lines(r.err).size(), 1);
            QVERIFY2(r.err.contains(message), qPrintable(r.err));
            QVERIFY2(r.err.contains("corrupt.json"), qPrintable(r.err));
            QVERIFY(!QFile::exists(out));
        }
    }

    void helpForEveryCommand_data() {
        QTest::addColumn<QString>("command");
        for (const char* c : {"train", "eval", "sample", "targets", "methods", "bench", "demo"})
            QTest::newRow(c) << c;
    }
    void helpForEveryCommand() {
        QFETCH(QString, command);
        const Result r = runCli({command, "--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("usage: ebmlab-cli " + command), qPrintable(r.out));
        QVERIFY(r.err.isEmpty());
        const Result top = runCli({"--help"});
        QCOMPARE(top.exitCode, 0);
        QVERIFY(top.out.contains("  " + command + " "));
    }

    void benchJson() {
        // One line per registered 2D method, in registry order, whatever the registry holds; the FLOP
        // counts of the first five are the ones docs/bench.md derives by hand (the count is read from the
        // passes each loss asks the model for, so a new method is counted without an edit to bench/).
        const Result r = runCli({"bench", "--json", "--reps", "1", "--min-time", "0.01", "--threads", "2",
                                 "--set", "dsm.draws=4"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList ls = lines(r.out);
        const std::vector<std::string> names = core::objectiveNames(core::ModelKind::Plane);
        QCOMPARE(ls.size(), qsizetype(names.size()));
        // MLP 2-128-128-1: 66 816 FLOPs per column for E and ∇E, 100 096 per column and block of a loss
        // gradient; B = 256, K = 10 ULA steps, SM 5 blocks, SSM 4 slices x 5 blocks, DSM 3 blocks (here
        // with 4 draws instead of 8, by --set), NCE one noise sample per data point.
        const std::map<QString, double> flops{{"cd", 10.0 * 66816 * 256 + 100096.0 * 512},
                                              {"sm", 100096.0 * 1280},
                                              {"ssm", 100096.0 * 5 * 1024},
                                              {"dsm", 100096.0 * 3 * 1024},
                                              {"nce", 100096.0 * 512}};
        for (qsizetype i = 0; i < ls.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(ls[i].toUtf8()).object();
            QCOMPARE(o["method"].toString(), QString::fromStdString(names[size_t(i)]));
            for (const char* k :
                 {"steps_per_s", "gflops", "gemm_gflops", "fraction_of_gemm", "flops_per_step"})
                QVERIFY2(o[k].isDouble() && o[k].toDouble() > 0, k);
            QCOMPARE(o["threads"].toInt(), 2);
            QVERIFY(std::abs(o["fraction_of_gemm"].toDouble() -
                             o["gflops"].toDouble() / o["gemm_gflops"].toDouble()) < 1e-9);
            if (const auto f = flops.find(o["method"].toString()); f != flops.end())
                QCOMPARE(o["flops_per_step"].toDouble(), f->second);
        }
        const auto dsm = std::find(names.begin(), names.end(), "dsm") - names.begin();
        QCOMPARE(QJsonDocument::fromJson(ls[dsm].toUtf8()).object()["params"].toObject()["draws"].toInt(), 4);
        for (const char* n : {"cd", "sm", "ssm", "dsm", "nce"})
            QVERIFY(std::find(names.begin(), names.end(), n) != names.end());
    }

    void benchMethodsAndChainSteps() {
        // --method picks the methods (in the order given) and --chain-steps the negatives' Langevin steps,
        // which the FLOP count follows: K (E, ∇ₓE) passes on B = 256 negatives.
        const Result r = runCli({"bench", "--json", "--reps", "1", "--min-time", "0.01", "--threads", "1",
                                 "--method", "nce", "--method", "cd", "--chain-steps", "20"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const QStringList ls = lines(r.out);
        QCOMPARE(ls.size(), 2);
        const QJsonObject nce = QJsonDocument::fromJson(ls[0].toUtf8()).object();
        const QJsonObject cd = QJsonDocument::fromJson(ls[1].toUtf8()).object();
        QCOMPARE(nce["method"].toString(), QString("nce"));
        QCOMPARE(cd["method"].toString(), QString("cd"));
        QCOMPARE(cd["chain_steps"].toInt(), 20);
        QCOMPARE(cd["flops_per_step"].toDouble(), 20.0 * 66816 * 256 + 100096.0 * 512);
        QCOMPARE(nce["flops_per_step"].toDouble(), 100096.0 * 512);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
