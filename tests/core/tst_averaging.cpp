// The averaged parameters θ̄ the 2D trainer shows and measures (TrainerOptions::averageSteps): their
// formula, that training itself is unchanged, where the average restarts, that it continues exactly
// from a saved state, and that it is closer to the target than the last step's θ on a noisy run.
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

#include <QtTest>
#include <algorithm>

using namespace ebm::core;

namespace {
TrainerOptions smallOptions(const std::string& method, int averageSteps) {
    TrainerOptions o;
    o.method = method;
    o.model.hidden = {32, 32};
    o.batchSize = 128;
    o.chains.bufferSize = 1024;
    o.averageSteps = averageSteps;
    return o;
}

bool sameBits(const Vecf& a, const Vecf& b) {
    return a.size() == b.size() && std::equal(a.data(), a.data() + a.size(), b.data());
}
} // namespace

class TestAveraging : public QObject {
    Q_OBJECT
private slots:
    void init() { setThreadCount(2); }

    void averageFollowsItsFormula() {
        // d = min(1 − 1/H, (n + 1)/(n + 10)), n the steps already in θ̄: early on the average spans about a
        // tenth of the steps so far, later about the last H.
        const int H = 20;
        Trainer t(makePreset("two-moons"), smallOptions("sm", H));
        QVERIFY(sameBits(t.shownModel().params(), t.model().params())); // no step yet: θ itself
        Vecf expected;
        for (int n = 0; n < 400; ++n) {
            t.step();
            const Vecf& theta = t.model().params();
            if (n == 0) {
                expected = theta; // the first step of a phase: θ itself
            } else {
                const float d = float(std::min(1.0 - 1.0 / H, (n + 1.0) / (n + 10.0)));
                expected = d * expected + (1.0f - d) * theta;
            }
            QVERIFY2(sameBits(t.shownModel().params(), expected), qPrintable(QString("step %1").arg(n + 1)));
        }
        QVERIFY(!sameBits(t.shownModel().params(), t.model().params()));
    }

    void trainingIsUnchangedAndOffShowsTheLastStep() {
        Trainer a(makePreset("eight-gaussians"), smallOptions("cd", 200));
        Trainer b(makePreset("eight-gaussians"), smallOptions("cd", 0));
        for (int i = 0; i < 30; ++i) {
            const StepStats sa = a.step(), sb = b.step();
            QCOMPARE(sa.loss, sb.loss);
        }
        QVERIFY(sameBits(a.model().params(), b.model().params()));
        QVERIFY(sameBits(b.shownModel().params(), b.model().params()));
        QVERIFY(!sameBits(a.shownModel().params(), a.model().params()));
        // The metrics measure what is shown.
        const GridSpec spec{a.options().box, 64};
        QCOMPARE(a.metrics(Matd(2, 0), spec).kl,
                 computeMetrics(a.shownModel(), a.target(), Matd(2, 0), spec).kl);
        QVERIFY(a.metrics(Matd(2, 0), spec).kl != b.metrics(Matd(2, 0), spec).kl);
    }

    void averageRestartsWithEachPhase() {
        Trainer t(makePreset("two-moons"), smallOptions("sm", 50));
        for (int i = 0; i < 20; ++i)
            t.step();
        QVERIFY(!sameBits(t.shownModel().params(), t.model().params()));
        // A new method (or target) starts a new phase: the average starts again at the first step's θ, so
        // the view answers a switch at once instead of showing the old method's model for ~50 steps.
        t.setMethod("nce");
        t.step();
        QVERIFY(sameBits(t.shownModel().params(), t.model().params()));
        t.step();
        QVERIFY(!sameBits(t.shownModel().params(), t.model().params()));
        t.setTarget(makePreset("checkerboard"));
        t.step();
        QVERIFY(sameBits(t.shownModel().params(), t.model().params()));
        t.step();
        QVERIFY(!sameBits(t.shownModel().params(), t.model().params()));
        // Turning it off shows θ at once (a paused run too); turning it on again starts afresh.
        TrainerOptions o = t.options();
        o.averageSteps = 0;
        t.setOptions(o);
        QVERIFY(sameBits(t.shownModel().params(), t.model().params()));
        t.step();
        QVERIFY(sameBits(t.shownModel().params(), t.model().params()));
        o.averageSteps = 50;
        t.setOptions(o);
        t.step();
        QVERIFY(sameBits(t.shownModel().params(), t.model().params()));
    }

    void restoreContinuesTheAverageExactly() {
        Trainer a(makePreset("eight-gaussians"), smallOptions("cd", 30));
        for (int i = 0; i < 12; ++i)
            a.step();
        const TrainerState s = a.state();
        QCOMPARE(s.averaged, std::int64_t(12));
        Trainer b(makePreset("eight-gaussians"), smallOptions("sm", 5));
        b.restore(s);
        QVERIFY(sameBits(b.shownModel().params(), a.shownModel().params()));
        for (int i = 0; i < 8; ++i) {
            a.step();
            b.step();
        }
        QVERIFY(sameBits(b.shownModel().params(), a.shownModel().params()));
        // A state whose average does not fit the model is refused and changes nothing.
        TrainerState bad = s;
        bad.average.conservativeResize(bad.average.size() - 1);
        const Vecf before = b.shownModel().params();
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, b.restore(bad));
        QVERIFY(sameBits(b.shownModel().params(), before));
        // A state without one (an older session) shows θ until the next step starts an average.
        TrainerState none = s;
        none.average.resize(0);
        none.averaged = 0;
        b.restore(none);
        QVERIFY(sameBits(b.shownModel().params(), b.model().params()));
    }

    void averageIsCloserToTheTargetOnANoisyRun() {
        // Score matching at a constant, large learning rate: θ jitters from step to step around a good
        // model, and the average over the last 200 steps is nearer it.
        TrainerOptions o = smallOptions("sm", 200);
        o.model.hidden = {64, 64};
        o.optimizer.learningRate = 0.01f;
        o.lrDecaySteps = 0;
        Trainer t(makePreset("eight-gaussians"), o);
        for (int i = 0; i < 1500; ++i)
            t.step();
        const GridSpec spec{o.box, 128};
        const double shown = t.metrics(Matd(2, 0), spec).kl;
        const double last = computeMetrics(t.model(), t.target(), Matd(2, 0), spec).kl;
        qInfo("eight Gaussians, SM at lr 0.01, 1500 steps: KL %.4f (last step's θ) -> %.4f (averaged)", last,
              shown);
        QVERIFY2(shown < 0.8 * last, qPrintable(QString("%1 vs %2").arg(shown).arg(last)));
    }

    void badLengthIsRefused() {
        TrainerOptions o = smallOptions("sm", -1);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Trainer(makePreset("two-moons"), o));
    }
};

QTEST_APPLESS_MAIN(TestAveraging)
#include "tst_averaging.moc"
