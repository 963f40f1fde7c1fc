// ebmlab-cli and the objective registry: `methods --json` lists every registered objective with its schema
// (derived from core::objectives(), so a newly registered method needs no edit here), the --help texts are
// generated from the schemas, `--set` reaches the trainer (the same bits as setting the value in-process),
// and bad --method / --set input gets one clear line naming the valid names, keys or range.
#include <ebm/core/objective.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

#include "clirun.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace ebm;
using Json = nlohmann::json;

namespace {
using test::describe;
using test::Result;
using test::runCli;

QStringList lines(const QString& s) {
    return s.split('\n', Qt::SkipEmptyParts);
}

// What `methods --json` must say for a value of spec (integers as integers, flags as booleans, choices
// by name).
Json expectedValue(const core::ParamSpec& s, double v) {
    switch (s.type) {
    case core::ParamType::Integer:
        return std::int64_t(v);
    case core::ParamType::Flag:
        return v != 0;
    case core::ParamType::Choice:
        return s.choices.at(std::size_t(v));
    default:
        return v;
    }
}

constexpr core::ModelKind kKinds[] = {core::ModelKind::Plane, core::ModelKind::Image};
} // namespace

class TestCliMethods : public QObject {
    Q_OBJECT
private slots:
    void methodsJsonListsTheRegistry() {
        const Result r = runCli({"methods", "--json"});
        QVERIFY2(r.exitCode == 0 && r.err.isEmpty(), qPrintable(describe(r)));
        const QStringList ls = lines(r.out);
        const auto& all = core::objectives();
        QCOMPARE(ls.size(), qsizetype(all.size()));
        std::vector<std::string> names;
        for (qsizetype i = 0; i < ls.size(); ++i) {
            const Json j = Json::parse(ls[i].toStdString());
            const core::ObjectiveInfo& info = all[size_t(i)]->info();
            names.push_back(j.at("name"));
            QCOMPARE(j.at("name").get<std::string>(), info.name); // registry order
            QCOMPARE(j.at("label").get<std::string>(), info.label);
            QCOMPARE(j.at("short_label").get<std::string>(), info.shortLabel);
            QCOMPARE(j.at("help").get<std::string>(), info.help);
            QCOMPARE(j.at("family").get<std::string>(), core::familyName(info.family));
            QCOMPARE(j.at("needs").at("negatives").get<bool>(), info.needs.negatives);
            QCOMPARE(j.at("needs").at("noise").get<bool>(), info.needs.noise);
            QCOMPARE(j.at("needs").at("derivative_order").get<int>(), info.needs.derivativeOrder);
            QCOMPARE(j.at("fits_density").get<bool>(), info.fitsDensity);
            // The margin losses are the ones that do not fit the density (docs/math.md).
            QCOMPARE(info.fitsDensity,
                     info.name != "hinge" && info.name != "log-loss" && info.name != "square-square");
            std::vector<std::string> kinds;
            for (core::ModelKind k : kKinds)
                if (info.supports(k)) kinds.push_back(core::modelKindName(k));
            QCOMPARE(j.at("model_kinds").get<std::vector<std::string>>(), kinds);
            QCOMPARE(j.at("params").size(), kinds.size());
            for (core::ModelKind k : kKinds) {
                if (!info.supports(k)) continue;
                const core::Schema schema = all[size_t(i)]->schema(k);
                const Json& list = j.at("params").at(core::modelKindName(k));
                QCOMPARE(list.size(), schema.size());
                for (size_t p = 0; p < schema.size(); ++p) {
                    const core::ParamSpec& s = schema[p];
                    const Json& q = list[p];
                    QCOMPARE(q.at("key").get<std::string>(), s.key);
                    QCOMPARE(q.at("label").get<std::string>(), s.label);
                    QCOMPARE(q.at("type").get<std::string>(), core::paramTypeName(s.type));
                    QVERIFY2(q.at("default") == expectedValue(s, s.def), q.dump().c_str());
                    QCOMPARE(q.at("unit").get<std::string>(), s.unit);
                    QCOMPARE(q.at("help").get<std::string>(), s.help);
                    if (s.type == core::ParamType::Integer || s.type == core::ParamType::Real) {
                        QVERIFY(q.at("min") == expectedValue(s, s.min));
                        QVERIFY(q.at("max") == expectedValue(s, s.max));
                    }
                    if (s.type == core::ParamType::Choice)
                        QCOMPARE(q.at("choices").get<std::vector<std::string>>(), s.choices);
                }
            }
        }
        // The five methods of the first release, by name.
        for (const char* n : {"cd", "sm", "ssm", "dsm", "nce"})
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        const Json sm = Json::parse(
            ls[qsizetype(std::find(names.begin(), names.end(), "sm") - names.begin())].toStdString());
        QCOMPARE(sm.at("family").get<std::string>(), std::string("score-matching"));
        QCOMPARE(sm.at("needs").at("derivative_order").get<int>(), 2);
        QCOMPARE(sm.at("model_kinds"), Json::array({"2d"})); // exact SM is not offered for images
    }

    void methodsTextAndHelpComeFromTheSchemas() {
        const Result text = runCli({"methods"});
        QVERIFY2(text.exitCode == 0, qPrintable(describe(text)));
        const Result train = runCli({"train", "--help"});
        const Result images = runCli({"train", "--images", "digits", "--help"});
        const Result render = runCli({"render", "--help"});
        for (const Result* r : {&train, &images, &render})
            QVERIFY2(r->exitCode == 0 && r->out.contains("--set KEY=VALUE"), qPrintable(describe(*r)));
        for (const core::Objective* o : core::objectives()) {
            const core::ObjectiveInfo& info = o->info();
            QVERIFY(text.out.contains(QString::fromStdString(info.name + " — " + info.label)));
            for (core::ModelKind k : kKinds) {
                if (!info.supports(k)) continue;
                const QString& help = (k == core::ModelKind::Plane ? train : images).out;
                QVERIFY2(help.contains(QString::fromStdString("  " + info.name)), info.name.c_str());
                QVERIFY(help.contains(QString::fromStdString(info.label)));
                for (const core::ParamSpec& s : o->schema(k)) {
                    const QString entry =
                        QString::fromStdString(s.key + "=" + core::formatParamValue(s, s.def));
                    QVERIFY2(help.contains(entry), qPrintable(entry));
                    QVERIFY(help.contains(QString::fromStdString(s.help)));
                    QVERIFY(text.out.contains(QString::fromStdString("    " + s.key + " (")));
                }
            }
            if (!info.supports(core::ModelKind::Image))
                QVERIFY(!images.out.contains(QString::fromStdString("  " + info.name + " ")));
        }
    }

    void setReachesTheTrainer() {
        // --set sigma=0.3 for dsm: the final loss is the one the trainer computes with that value.
        const Result r = runCli({"train", "--target", "two-moons", "--method", "dsm", "--steps", "3",
                                 "--seed", "5", "--threads", "2", "--json", "--set", "sigma=0.3", "--set",
                                 "nce.noise_ratio=3", "--set", "dsm.draws=2"});
        QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
        const Json last = Json::parse(lines(r.out).last().toStdString());
        QCOMPARE(last.at("params").at("sigma").get<double>(), 0.3);
        QCOMPARE(last.at("params").at("draws").get<int>(), 2);
        core::setThreadCount(2);
        core::TrainerOptions o;
        o.method = "dsm";
        o.seed = 5;
        o.params.set("dsm", "sigma", 0.3);
        o.params.set("dsm", "draws", 2);
        o.box = core::makePreset("two-moons")->suggestedBox();
        core::Trainer t(core::makePreset("two-moons"), o);
        double loss = 0;
        for (int i = 0; i < 3; ++i)
            loss = t.step().loss;
        QCOMPARE(last.at("loss").get<double>(), loss);
        // The default sigma gives another loss.
        const Result d = runCli({"train", "--target", "two-moons", "--method", "dsm", "--steps", "3",
                                 "--seed", "5", "--threads", "2", "--json", "--set", "dsm.draws=2"});
        QVERIFY(Json::parse(lines(d.out).last().toStdString()).at("loss").get<double>() != loss);
    }

    // `train --method NAME --json` works for every registered 2D method (one registered later too): it exits
    // 0 and its last line reports the method, the steps and a finite loss and KL.
    void everyMethodTrains() {
        for (const std::string& name : core::objectiveNames(core::ModelKind::Plane)) {
            const Result r =
                runCli({"train", "--target", "eight-gaussians", "--method", QString::fromStdString(name),
                        "--steps", "20", "--width", "32", "--threads", "2", "--json"});
            QVERIFY2(r.exitCode == 0, qPrintable(describe(r)));
            const Json last = Json::parse(lines(r.out).last().toStdString());
            QCOMPARE(last.at("method").get<std::string>(), name);
            QVERIFY(last.at("final").get<bool>());
            QCOMPARE(last.at("steps").get<int>(), 20);
            QVERIFY2(std::isfinite(last.at("loss").get<double>()), name.c_str());
            QVERIFY2(last.at("kl").is_number() && std::isfinite(last.at("kl").get<double>()), name.c_str());
        }
    }

    void badMethodInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("fragments");
        const QStringList train{"train", "--target", "two-moons", "--method", "cd", "--steps", "1"};
        QStringList valid;
        for (const std::string& n : core::objectiveNames(core::ModelKind::Plane))
            valid << QString::fromStdString(n);
        QTest::newRow("unknown method")
            << QStringList{"train", "--target", "two-moons", "--method", "mle"}
            << QStringList{"unknown method \"mle\"", valid.join(", ").section(',', 0, 2)};
        QTest::newRow("unknown key") << train + QStringList{"--set", "sigma=0.3"}
                                     << QStringList{"--set sigma=0.3", "cd", "\"sigma\"", "energy_reg"};
        QTest::newRow("out of range") << train + QStringList{"--set", "energy_reg=-1"}
                                      << QStringList{"--set energy_reg=-1", "energy_reg", "-1"};
        QTest::newRow("not a number")
            << train + QStringList{"--set", "energy_reg=lots"} << QStringList{"energy_reg", "\"lots\""};
        QTest::newRow("bad choice") << train + QStringList{"--set", "ssm.projection=sobol"}
                                    << QStringList{"projection", "rademacher", "gaussian"};
        QTest::newRow("no equals") << train + QStringList{"--set", "energy_reg"} << QStringList{"key=value"};
        QTest::newRow("unknown method prefix")
            << train + QStringList{"--set", "mle.x=1"} << QStringList{"--set mle.x=1", "mle"};
        QTest::newRow("images: no exact sm") << QStringList{"train", "--images", "digits", "--method", "sm"}
                                             << QStringList{"unknown method \"sm\""};
        QTest::newRow("images: image schema")
            << QStringList{"train", "--images", "digits", "--method", "cd", "--alpha", "-2"}
            << QStringList{"--alpha", "energy_reg"};
        QTest::newRow("bench: no such key")
            << QStringList{"bench", "--set", "bogus=1"} << QStringList{"bogus", "no 2d method", "energy_reg"};
        QTest::newRow("render: unknown key")
            << QStringList{"render", "--target", "two-moons", "--method", "nce",
                           "--out",  "x.gif",    "--set",     "k=1"}
            << QStringList{"nce", "\"k\"", "noise_ratio"};
    }
    void badMethodInput() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, fragments);
        const Result r = runCli(args);
        QVERIFY2(r.exitCode == 2, qPrintable(describe(r)));
        QVERIFY2(r.out.isEmpty(), qPrintable(describe(r)));
        QCOMPARE(lines(r.err).size(), 1);
        for (const QString& f : fragments)
            QVERIFY2(r.err.contains(f), qPrintable(f + " not in " + r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliMethods)
#include "tst_cli_methods.moc"
