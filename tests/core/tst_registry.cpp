// The objective registry and the hyperparameter schemas: every registered objective is well described
// (unique name, label, help, schema defaults inside their ranges), values parse and print back exactly,
// bad values get one message naming the key and the range and change nothing, and the trainer reads the
// learning-rate keys of whatever method is current.
#include <ebm/core/imagetrainer.h>
#include <ebm/core/objective.h>
#include <ebm/core/trainer.h>

#include <QtTest>
#include <set>

using namespace ebm::core;

namespace {
template <class F> QString errorOf(F f) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}
} // namespace

class TestRegistry : public QObject {
    Q_OBJECT
private slots:
    void everyObjectiveIsDescribed() {
        std::set<std::string> names;
        QVERIFY(objectives().size() >= 5);
        for (const Objective* o : objectives()) {
            const ObjectiveInfo& i = o->info();
            QVERIFY2(names.insert(i.name).second, i.name.c_str());
            QVERIFY(!i.label.empty() && !i.shortLabel.empty() && !i.help.empty());
            QVERIFY(i.plane || i.image);
            QCOMPARE(&objective(i.name), o);
            for (ModelKind k : {ModelKind::Plane, ModelKind::Image}) {
                if (!i.supports(k)) continue;
                std::set<std::string> keys;
                for (const ParamSpec& s : o->schema(k)) {
                    QVERIFY2(keys.insert(s.key).second, (i.name + "." + s.key).c_str());
                    QVERIFY2(!s.label.empty() && !s.help.empty(), (i.name + "." + s.key).c_str());
                    checkParamValue(s, s.def, i.name); // throws if the default is out of range
                    if (s.type == ParamType::Choice) QVERIFY(s.choices.size() >= 2);
                    if (s.type == ParamType::Integer || s.type == ParamType::Real) QVERIFY(s.min <= s.max);
                    // The printed default parses back to the same value.
                    QCOMPARE(parseParamValue(s, formatParamValue(s, s.def)), s.def);
                }
            }
        }
        // The five methods of the first version keep their names and order (keys 1–5 in the window).
        const std::vector<std::string> first{"cd", "sm", "ssm", "dsm", "nce"};
        for (size_t i = 0; i < first.size(); ++i)
            QCOMPARE(objectives()[i]->info().name, first[i]);
        QVERIFY(!objective("sm").info().image); // needs d second derivatives per image
    }

    void unknownMethodListsTheNames() {
        const QString e = errorOf([] { objective("cdd"); });
        QVERIFY2(e.contains("unknown method \"cdd\"") && e.contains("cd") && e.contains("nce"), qPrintable(e));
        QVERIFY(!findObjective("cdd"));
    }

    void parseAndFormat() {
        const Schema s = objective("nce").schema(ModelKind::Plane);
        const ParamSpec* noise = findParam(s, "noise");
        QVERIFY(noise);
        QCOMPARE(parseParamValue(*noise, "uniform"), 1.0);
        QCOMPARE(formatParamValue(*noise, 1), std::string("uniform"));
        QString e = errorOf([&] { parseParamValue(*noise, "laplace"); });
        QVERIFY2(e.contains("noise") && e.contains("gaussian or uniform") && e.contains("laplace"), qPrintable(e));
        const ParamSpec* ratio = findParam(s, "noise_ratio");
        QCOMPARE(parseParamValue(*ratio, "2.5"), 2.5);
        e = errorOf([&] { parseParamValue(*ratio, "100"); });
        QVERIFY2(e.contains("noise_ratio") && e.contains("0.01..64"), qPrintable(e));
        e = errorOf([&] { parseParamValue(*ratio, "2x"); });
        QVERIFY2(e.contains("noise_ratio") && e.contains("\"2x\""), qPrintable(e));
        const ParamSpec* decay = findParam(s, kDecayKey);
        QCOMPARE(parseParamValue(*decay, "on"), 1.0);
        QCOMPARE(parseParamValue(*decay, "false"), 0.0);
        const Schema ssm = objective("ssm").schema(ModelKind::Plane);
        const ParamSpec* slices = findParam(ssm, "slices");
        e = errorOf([&] { parseParamValue(*slices, "2.5"); });
        QVERIFY2(e.contains("an integer in 1..64"), qPrintable(e));
    }

    void methodParamsSetAndReject() {
        MethodParams p(ModelKind::Plane);
        QCOMPARE(p.get("dsm", "sigma"), 0.1);
        p.set("dsm", "sigma", 0.3);
        QCOMPARE(p.get("dsm", "sigma"), 0.3);
        // A bad value changes nothing.
        QString e = errorOf([&] { p.set("dsm", "sigma", -1); });
        QVERIFY2(e.contains("sigma"), qPrintable(e));
        QCOMPARE(p.get("dsm", "sigma"), 0.3);
        e = errorOf([&] { p.set("dsm", "sigmaa", 1); });
        QVERIFY2(e.contains("no hyperparameter \"sigmaa\"") && e.contains("sigma") && e.contains("draws"), qPrintable(e));
        p.setText("nce", "noise=uniform");
        QCOMPARE(p.get("nce", "noise"), 1.0);
        p.setText("cd", "ssm.slices=2"); // a method-qualified key sets that method's value
        QCOMPARE(p.get("ssm", "slices"), 2.0);
        e = errorOf([&] { p.setText("cd", "energy_reg"); });
        QVERIFY2(e.contains("key=value"), qPrintable(e));
        // The image kind has its own defaults and no exact score matching.
        MethodParams img(ModelKind::Image);
        QCOMPARE(img.get("dsm", "sigma"), 0.5);
        QCOMPARE(img.get("cd", "energy_reg"), 0.1);
        e = errorOf([&] { img.of("sm"); });
        QVERIFY2(e.contains("not available for image models"), qPrintable(e));
    }

    void imageTrainerRefusesPlaneOnlyMethods() {
        ImageTrainerOptions o;
        o.method = "sm";
        const QString e = errorOf([&] { o.validate(); });
        QVERIFY2(e.contains("Exact score matching") && e.contains("not available for image models") &&
                     e.contains("ssm"),
                 qPrintable(e));
    }

    // The trainer's learning rate is the optimiser's times the current method's lr_scale (1 without one),
    // decayed 10x over lrDecaySteps when its decay_lr is set, restarting with each method switch.
    void learningRateFollowsTheMethodsKeys() {
        TrainerOptions o;
        o.model.hidden = {8};
        o.batchSize = 16;
        o.chains.bufferSize = 64;
        o.chains.steps = 1;
        o.params.set("ssm", "slices", 1);
        o.params.set("dsm", "draws", 1);
        o.lrDecaySteps = 10;
        Trainer t(makePreset("eight-gaussians"), o);
        for (const Objective* obj : objectives()) {
            if (!obj->info().plane) continue;
            const std::string name = obj->info().name;
            t.setMethod(name);
            const ParamSet& p = o.params.of(name);
            const float base = o.optimizer.learningRate * float(p.valueOr(kLearningRateScaleKey, 1.0));
            QCOMPARE(t.currentLearningRate(), base);
            for (int i = 0; i < 10; ++i)
                t.step();
            const bool decays = p.valueOr(kDecayKey, 0) != 0;
            QVERIFY2(std::abs(t.currentLearningRate() - (decays ? 0.1f * base : base)) < 1e-6f * base, name.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestRegistry)
#include "tst_registry.moc"
