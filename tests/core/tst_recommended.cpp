// Recommended settings: what an entry changes and keeps, that every entry is valid; that the chains
// fitted to the target (the default) make contrastive divergence learn the rings where steps of 0.02 do
// not; and that the entries (the checkerboard's NCE, the spirals' SM) learn their targets better than the
// defaults.
#include <ebm/core/density.h>
#include <ebm/core/metrics.h>
#include <ebm/core/parallel.h>
#include <ebm/core/recommended.h>
#include <ebm/core/trainer.h>

#include <QtTest>
#include <algorithm>

using namespace ebm::core;

namespace {
double klAfter(const TrainerOptions& o, const std::string& target, int steps) {
    Trainer t(makePreset(target), o);
    for (int i = 0; i < steps; ++i)
        t.step();
    GridSpec g;
    g.box = o.box;
    return t.metrics(Matd(), g).kl;
}
/// A method trained on a preset from scratch with the defaults and with the target's recommended settings.
struct EntryRun {
    TrainerOptions recommended;
    double klDefault, klRecommended;
};
EntryRun trainBoth(const std::string& target, const std::string& method, int steps) {
    setThreadCount(1);
    TrainerOptions o;
    o.method = method;
    o.box = makePreset(target)->suggestedBox();
    EntryRun e{recommendedSettings(target, o).options, 0, 0};
    e.klDefault = klAfter(o, target, steps);
    e.klRecommended = klAfter(e.recommended, target, steps);
    qInfo("%s, %s, %d steps: KL %.3f with the defaults, %.3f recommended", target.c_str(), method.c_str(),
          steps, e.klDefault, e.klRecommended);
    return e;
}
} // namespace

class TestRecommended : public QObject {
    Q_OBJECT
private slots:
    void checkerboardWithTheHingeGetsALowerFloor() {
        TrainerOptions current;
        current.method = "hinge";
        current.seed = 7;
        current.box = makePreset("checkerboard")->suggestedBox();
        current.chains.steps = 33;                   // not in the entry: back to the default
        current.chains.adaptToTarget = false;        // likewise
        current.params.set("hinge", "margin", 2);    // likewise
        current.params.set("cd", "energy_reg", 0.5); // another method's: kept
        current.params.set("dsm", "sigma", 0.3);     // another method's: kept
        current.optimizer.kind = OptimizerKind::Sgd;
        current.chains.persistent = false;
        const Recommendation r = recommendedSettings("checkerboard", current);
        QVERIFY(r.own);
        QCOMPARE(r.options.method, std::string("hinge"));
        QCOMPARE(r.options.seed, std::uint64_t(7));
        QCOMPARE(r.options.box.x1, current.box.x1);
        QCOMPARE(r.options.lrFloorFactor, 0.01f);
        QCOMPARE(r.options.chains.steps, ChainOptions{}.steps);
        QVERIFY(r.options.chains.adaptToTarget);
        QCOMPARE(r.options.params.get("hinge", "margin"), TrainerOptions{}.params.get("hinge", "margin"));
        QCOMPARE(r.options.params.get("cd", "energy_reg"), 0.5);
        QVERIFY(!r.reason.empty());
        const auto has = [&](const std::string& s) {
            return std::any_of(r.changes.begin(), r.changes.end(),
                               [&](const std::string& c) { return c.find(s) != std::string::npos; });
        };
        QVERIFY2(has("learning-rate floor 0.1 → 0.01"), "the change list names the floor");
        QVERIFY(has("chain steps K 33 → 10"));
        QVERIFY(has("chains fitted to the target off → on"));
        QVERIFY(has("2 → 4"));
        QVERIFY(has("optimiser SGD → Adam"));
        QVERIFY(has("persistent chains off → on"));
        QCOMPARE(r.options.params.get("dsm", "sigma"), 0.3);
        QCOMPARE(recommendedSettings("checkerboard", r.options).changes.size(),
                 size_t(0)); // applied: no change
    }

    void aTargetWithoutAnEntryGetsTheDefaults() {
        TrainerOptions current;
        current.method = "sm";
        current.model.hidden = {64, 64};
        current.optimizer.learningRate = 0.01f;
        for (const std::string target : {"drawing", "eight-gaussians"}) {
            const Recommendation r = recommendedSettings(target, current);
            QVERIFY(!r.own);
            QVERIFY(r.reason.empty());
            QCOMPARE(r.options.model.hidden, TrainerOptions{}.model.hidden);
            QCOMPARE(r.options.optimizer.learningRate, TrainerOptions{}.optimizer.learningRate);
            QCOMPARE(r.options.method, std::string("sm"));
            QCOMPARE(r.changes.size(), size_t(2)); // model 64×64 → 128×128, learning rate 0.01 → 0.003
        }
    }

    void everyEntryNamesAPresetAndARegisteredMethodAndValidates() {
        const auto names = presetNames();
        const auto keys = recommendationKeys();
        QVERIFY(!keys.empty());
        for (const std::string& k : keys) {
            const auto slash = k.find('/');
            const std::string target = k.substr(0, slash), method = k.substr(slash + 1);
            QVERIFY2(std::find(names.begin(), names.end(), target) != names.end(), k.c_str());
            QVERIFY2(findObjective(method) != nullptr, k.c_str());
            TrainerOptions o;
            o.method = method;
            const Recommendation r = recommendedSettings(target, o); // validates, throws if not
            QVERIFY2(r.own && !r.changes.empty(), k.c_str());
        }
    }

    // What fitting the chains to the target is for: CD with Langevin steps of 0.02 piles the rings' mass on
    // the outer ring, the fitted steps (ε ≈ 0.004) learn all four (seed 1, one thread, 1000 steps).
    void fittedChainsLearnTheRings() {
        setThreadCount(1);
        TrainerOptions o;
        o.method = "cd";
        o.box = makePreset("rings")->suggestedBox();
        o.averageSteps = 0; // the chains' effect on the trained θ itself, not smoothed by the average
        const double klFitted = klAfter(o, "rings", 1000);
        o.chains.adaptToTarget = false;
        const double klAsSet = klAfter(o, "rings", 1000);
        qInfo("rings, CD, 1000 steps: KL %.3f with ε 0.02, %.3f fitted", klAsSet, klFitted);
        QVERIFY2(klAsSet > 2.0, "the failure fitting fixes");
        QVERIFY(klFitted < 1.0);
    }

    // The checkerboard's NCE entry: a third hidden layer (seed 1, one thread, 3000 steps: KL 0.079 against
    // 0.305 with the defaults, both with the averaged parameters shown; docs/convergence.md).
    void aDeeperNetLetsNceLearnTheCheckerboard() {
        const EntryRun e = trainBoth("checkerboard", "nce", 3000);
        QCOMPARE(e.recommended.model.hidden, (std::vector<int>{128, 128, 128}));
        QVERIFY(e.klRecommended < 0.12);
        QVERIFY(e.klRecommended < 0.5 * e.klDefault);
    }

    // The spirals' exact-SM entry: a decay over 10000 steps instead of 3000 (seed 1, one thread, 3000 steps:
    // KL 0.299 against 0.546 with the defaults, both with the averaged parameters shown;
    // docs/convergence.md).
    void aSlowerDecayLetsScoreMatchingLearnTheSpirals() {
        const EntryRun e = trainBoth("two-spirals", "sm", 3000);
        QCOMPARE(e.recommended.lrDecaySteps, 10000);
        QVERIFY(e.klRecommended < 0.6 * e.klDefault);
    }
};

QTEST_APPLESS_MAIN(TestRecommended)
#include "tst_recommended.moc"
