// The stuck-run diagnostic on synthetic histories: a flat KL, an improving one, a rising one, repeated
// rollbacks, collapsed acceptance, and recovery from each; the exact finding (kind, summary, message) at
// the exact step its rule allows, and none where the run is fine. Chunks are 50 steps, as in the window.
#include <ebm/core/rundiagnosis.h>

#include <QtTest>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

using namespace ebm::core;

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

RunObservation chunk(std::int64_t step, double kl = kNaN, double accept = kNaN, bool diverged = false) {
    RunObservation o;
    o.step = step;
    o.steps = 50;
    o.kl = kl;
    o.acceptRate = accept;
    o.loss = -0.1;
    o.diverged = diverged;
    return o;
}

/// Feeds 50-step chunks from `from` to `to` (inclusive); kl(step) and accept(step) give each chunk's
/// figures (NaN: none). Returns the step at which a finding first appeared (-1: none).
std::int64_t feed(RunDiagnosis& d, std::int64_t from, std::int64_t to,
                  const std::function<double(std::int64_t)>& kl,
                  const std::function<double(std::int64_t)>& accept = {}) {
    std::int64_t first = -1;
    for (std::int64_t s = from; s <= to; s += 50)
        if (d.observe(chunk(s, kl(s), accept ? accept(s) : kNaN)) && first < 0) first = s;
    return first;
}

/// As the window sees it: KL evaluated every 150 steps and repeated in the chunks between.
std::function<double(std::int64_t)> everyThird(std::function<double(std::int64_t)> kl) {
    return [kl](std::int64_t s) { return kl(s - s % 150); };
}
} // namespace

class TestRunDiagnosis : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(".*")); }

    void flatKlNamesTheMethodsSettings() {
        // Four evaluations: the window's start (step 100), its first third, its last third. The rule may
        // judge only once the history spans 1500 steps: at 1600, not at 1550.
        const auto kl = [](std::int64_t s) {
            return s == 100 ? 0.80 : s == 700 ? 0.79 : s == 1200 ? 0.81 : s == 1600 ? 0.79 : kNaN;
        };
        RunDiagnosis cd({"cd", SamplerKind::Langevin});
        QCOMPARE(feed(cd, 50, 1600, kl), 1600);
        QCOMPARE(cd.finding().problem, RunProblem::KlFlat);
        QCOMPARE(cd.finding().summary, std::string("Stuck: KL 0.80, not improving"));
        QCOMPARE(
            cd.finding().message,
            std::string("KL has not improved over the last 1500 steps (0.80 nats): the chains may not reach "
                        "all the modes — "
                        "try the recommended settings, a smaller chain step size ε or more chain steps K."));

        RunDiagnosis dsm({"dsm"});
        QCOMPARE(feed(dsm, 50, 1600, kl), 1600);
        QCOMPARE(dsm.finding().message,
                 std::string("KL has not improved over the last 1500 steps (0.80 nats): the noise may blur "
                             "the modes together — "
                             "try the recommended settings, a smaller noise σ or a higher learning rate."));
        RunDiagnosis nce({"nce"});
        QCOMPARE(feed(nce, 50, 1600, kl), 1600);
        QCOMPARE(
            nce.finding().message,
            std::string("KL has not improved over the last 1500 steps (0.80 nats): the noise may be too easy "
                        "to tell from "
                        "the data — try the recommended settings, another noise width × or noise ratio ν, or "
                        "a higher learning rate."));
        RunDiagnosis sm({"sm"});
        QCOMPARE(feed(sm, 50, 1600, kl), 1600);
        QCOMPARE(
            sm.finding().message,
            std::string(
                "KL has not improved over the last 1500 steps (0.80 nats): the model may be too small or the "
                "learning rate too low — try the recommended settings, a higher learning rate or a "
                "wider model."));
        // A margin loss: its KL stops at the loss's own fixed point, and the advice says so instead of
        // blaming the chains alone.
        RunDiagnosis logLoss({"log-loss", SamplerKind::Langevin});
        QCOMPARE(feed(logLoss, 50, 1600, kl), 1600);
        QCOMPARE(logLoss.finding().message,
                 std::string("KL has not improved over the last 1500 steps (0.80 nats): this loss is not "
                             "maximum likelihood and comes to rest where its own loss does, not at the "
                             "target's density (CD, score matching and NCE fit the density) — more chain "
                             "steps K help where the chains miss part of the target."));
    }

    void flatKlAsTheWindowFeedsIt() {
        // Evaluated every 150 steps, repeated between (a repeat is not a new evaluation), with a little
        // noise.
        RunDiagnosis d({"cd"});
        const auto kl = everyThird([](std::int64_t s) { return 1.2 + 0.01 * std::sin(double(s)); });
        QCOMPARE(feed(d, 150, 1600, kl), -1); // the first evaluation (150) is not 1500 steps old yet
        QCOMPARE(feed(d, 1650, 1650, kl), 1650);
        QCOMPARE(d.finding().problem, RunProblem::KlFlat);
        // It stands while KL stays flat, with the same text (nothing to redraw, nothing flickers).
        const std::string text = d.finding().message;
        QCOMPARE(feed(d, 1700, 4000, kl), 1700);
        QCOMPARE(d.finding().message, text);
        // Recovery: KL 10% below where it was when the finding was raised clears it.
        const double at = kl(1650);
        d.observe(chunk(4050, 0.95 * at));
        QCOMPARE(d.finding().problem, RunProblem::KlFlat);
        d.observe(chunk(4100, 0.89 * at));
        QCOMPARE(d.finding().problem, RunProblem::None);
    }

    void improvingOrFinishedRunsAreFine() {
        RunDiagnosis fast({"cd"});
        QCOMPARE(feed(fast, 50, 6000, everyThird([](std::int64_t s) { return 2.0 * std::exp(-s / 2000.0); })),
                 -1);
        // Slow but steady: 10% per 1500 steps is progress.
        RunDiagnosis slow({"cd"});
        QCOMPARE(
            feed(slow, 50, 6000, everyThird([](std::int64_t s) { return 1.5 * std::pow(0.9, s / 1500.0); })),
            -1);
        // Flat below 0.3 nats: a finished run, not a stuck one.
        RunDiagnosis done({"cd"});
        QCOMPARE(feed(done, 50, 6000, everyThird([](std::int64_t) { return 0.12; })), -1);
        // 4% better over the window is progress (the bar is 3%).
        RunDiagnosis edge({"cd"});
        const auto four = [](std::int64_t s) {
            return s == 100 ? 1.0 : s == 1200 ? 0.96 : s == 1600 ? 0.96 : kNaN;
        };
        QCOMPARE(feed(edge, 50, 1600, four), -1);
    }

    void risingKlIsUnstable() {
        const auto kl = [](std::int64_t s) {
            return s == 100 ? 0.60 : s == 700 ? 0.90 : s == 1200 ? 1.20 : s == 1600 ? 1.50 : kNaN;
        };
        RunDiagnosis cd({"cd"});
        QCOMPARE(feed(cd, 50, 1600, kl), 1600);
        QCOMPARE(cd.finding().problem, RunProblem::Unstable);
        QCOMPARE(cd.finding().summary, std::string("Unstable: KL rising"));
        // Early third: the evaluation at 100 (0.60); last third: 1200 and 1600 (1.35).
        QCOMPARE(
            cd.finding().message,
            std::string("KL rose from 0.60 to 1.35 nats over the last 1500 steps: lower the learning rate or "
                        "raise the energy regulariser α; with MCMC negatives, chains thrown across the modes "
                        "do this too: try the recommended settings or a smaller chain step size ε."));
        RunDiagnosis ssm({"ssm"});
        QCOMPARE(feed(ssm, 50, 1600, kl), 1600);
        QCOMPARE(
            ssm.finding().message,
            std::string("KL rose from 0.60 to 1.35 nats over the last 1500 steps: lower the learning rate."));
        // Tiny KLs do not count: 0.02 → 0.05 is 2.5 times but only 0.03 nats.
        RunDiagnosis tiny({"cd"});
        const auto small = [](std::int64_t s) {
            return s == 100 ? 0.02 : s == 1200 ? 0.05 : s == 1600 ? 0.05 : kNaN;
        };
        QCOMPARE(feed(tiny, 50, 1600, small), -1);
        // KL stops rising at 1.5: the finding stands until the window's growth is below 20%, and then the
        // run, still not improving, is named stuck instead; never back and forth.
        std::vector<RunProblem> seen{RunProblem::Unstable};
        for (std::int64_t s = 1650; s <= 3600; s += 50) {
            const RunProblem p = cd.observe(chunk(s, 1.5 + 0.001 * std::sin(double(s - s % 150)))).problem;
            if (p != seen.back()) seen.push_back(p);
        }
        QCOMPARE(seen, (std::vector<RunProblem>{RunProblem::Unstable, RunProblem::KlFlat}));
    }

    void repeatedRollbacksAreUnstable() {
        RunDiagnosis d({"cd"});
        QVERIFY(!d.observe(chunk(100, kNaN, kNaN, true)));
        QVERIFY(!d.observe(chunk(600, kNaN, kNaN, true)));
        QVERIFY(d.observe(chunk(1500, kNaN, kNaN, true)));
        QCOMPARE(d.finding().problem, RunProblem::Unstable);
        QCOMPARE(d.finding().summary, std::string("Unstable: 3 rollbacks"));
        QCOMPARE(
            d.finding().message,
            std::string("Steps were rolled back 3 times in the last 1500 steps (NaN or exploding energies): "
                        "lower the learning rate or raise the energy regulariser α."));
        // Three rollbacks spread over more than a window are not a pattern.
        RunDiagnosis spread({"cd"});
        QVERIFY(!spread.observe(chunk(100, kNaN, kNaN, true)));
        QVERIFY(!spread.observe(chunk(1000, kNaN, kNaN, true)));
        QVERIFY(!spread.observe(chunk(1700, kNaN, kNaN, true)));
        // An infinite loss counts as a rollback too.
        RunDiagnosis inf({"sm"});
        for (std::int64_t s : {100, 200, 300}) {
            RunObservation o = chunk(s);
            o.loss = std::numeric_limits<double>::infinity();
            inf.observe(o);
        }
        QCOMPARE(
            inf.finding().message,
            std::string("Steps were rolled back 3 times in the last 1500 steps (NaN or exploding energies): "
                        "lower the learning rate."));
        // Recovery: a whole window without a rollback (1500 is still inside the window at 2999).
        feed(d, 1550, 2950, [](std::int64_t) { return kNaN; });
        QCOMPARE(d.finding().problem, RunProblem::Unstable);
        QVERIFY(!d.observe(chunk(3000)));
    }

    void collapsedAcceptanceNamesTheStepSize() {
        const auto low = [](std::int64_t s) { return s <= 550 ? 0.02 : 0.5; };
        const auto noKl = [](std::int64_t) { return kNaN; };
        RunDiagnosis mala({"cd", SamplerKind::Mala});
        QCOMPARE(feed(mala, 50, 200, noKl, low), 200); // 200 steps of 2%: four chunks
        QCOMPARE(mala.finding().problem, RunProblem::AcceptanceCollapsed);
        QCOMPARE(mala.finding().summary, std::string("Chains stuck: 2% accepted"));
        QCOMPARE(
            mala.finding().message,
            std::string("The chains accept 2.0% of their moves: the chain step size ε is too large for this "
                        "landscape — lower ε (or use the recommended settings)."));
        // Recovery over the last 200 steps: (3 × 2% + 50%) / 4 = 14% is not yet above 15%; the next chunk is.
        feed(mala, 250, 600, noKl, low);
        QCOMPARE(mala.finding().problem, RunProblem::AcceptanceCollapsed);
        QVERIFY(!mala.observe(chunk(650, kNaN, 0.5)));

        // 150 steps are too few to judge; ULA accepts every move (its figure means nothing); score matching
        // has no chains.
        RunDiagnosis early({"cd", SamplerKind::Hmc});
        QCOMPARE(feed(early, 50, 150, noKl, low), -1);
        RunDiagnosis ula({"cd", SamplerKind::Langevin});
        QCOMPARE(feed(ula, 50, 1000, noKl, low), -1);
        RunDiagnosis dsm({"dsm", SamplerKind::Mala});
        QCOMPARE(feed(dsm, 50, 1000, noKl, low), -1);
        QVERIFY(RunDiagnosis::hasAcceptStep(SamplerKind::RandomWalkMH));
        QVERIFY(!RunDiagnosis::hasAcceptStep(SamplerKind::Langevin));
    }

    void theMostUrgentFindingWins() {
        // Flat KL and collapsed acceptance together: the acceptance is the cause, so it is named.
        RunDiagnosis d({"cd", SamplerKind::Mala});
        const auto flat = everyThird([](std::int64_t s) { return 1.0 + 0.001 * std::sin(double(s)); });
        QCOMPARE(feed(d, 50, 1650, flat, [](std::int64_t) { return 0.01; }), 200);
        QCOMPARE(d.finding().problem, RunProblem::AcceptanceCollapsed);
        // Acceptance recovers while KL is still flat: the flat KL is named next.
        feed(d, 1700, 1900, flat, [](std::int64_t) { return 0.6; });
        QCOMPARE(d.finding().problem, RunProblem::KlFlat);
        // Rollbacks outrank both.
        d.observe(chunk(1950, 1.0, 0.6, true));
        d.observe(chunk(2000, 1.0, 0.6, true));
        QCOMPARE(d.finding().problem, RunProblem::KlFlat);
        d.observe(chunk(2050, 1.0, 0.6, true));
        QCOMPARE(d.finding().problem, RunProblem::Unstable);
    }

    void newSettingsOrAnotherRunStartAfresh() {
        RunDiagnosis d({"cd", SamplerKind::Mala});
        const auto low = [](std::int64_t) { return 0.01; };
        const auto noKl = [](std::int64_t) { return kNaN; };
        QCOMPARE(feed(d, 50, 300, noKl, low), 200);
        // New settings: the finding goes at once; the chunks of the next 200 steps (some may still be the
        // old settings') are ignored, then it needs 200 steps of its own.
        d.restart({"cd", SamplerKind::Mala}, 300);
        QVERIFY(!d.finding());
        QCOMPARE(d.setup().chainSampler, SamplerKind::Mala);
        QCOMPARE(feed(d, 350, 650, noKl, low), -1);
        QCOMPARE(feed(d, 700, 700, noKl, low), 700);
        // A step lower than the last one (Reset model, Undo) is another run.
        QVERIFY(!d.observe(chunk(50, kNaN, 0.01)));
        QCOMPARE(feed(d, 100, 200, noKl, low), 200);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, d.restart({"no-such-method"}));
    }
};

QTEST_GUILESS_MAIN(TestRunDiagnosis)
#include "tst_rundiagnosis.moc"
