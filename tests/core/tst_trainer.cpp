// Trainer and metrics: exact metrics on known models, determinism, method switching, snapshot/restore,
// the divergence watchdog, bad options, and convergence on a small budget.
#include <ebm/core/analytic.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

#include <QtTest>
#include <cmath>

using namespace ebm::core;

namespace {
TrainerOptions smallOptions(const std::string& m) {
    TrainerOptions o;
    o.method = m;
    o.model.hidden = {32, 32};
    o.batchSize = 128;
    o.chains.steps = 10;
    o.chains.bufferSize = 1024;
    o.params.set("dsm", "draws", 2);
    o.params.set("ssm", "slices", 1);
    return o;
}

std::shared_ptr<const TargetDensity> preset(const std::string& name) {
    return makePreset(name);
}

GaussianMixtureEnergy<float> eightGaussiansEnergy() {
    Matf means(2, 8);
    for (int k = 0; k < 8; ++k) {
        means(0, k) = float(2 * std::cos(k * M_PI / 4));
        means(1, k) = float(2 * std::sin(k * M_PI / 4));
    }
    return GaussianMixtureEnergy<float>(means, Vecf::Constant(8, 0.2f), Vecf::Ones(8));
}
} // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void init() { setThreadCount(2); }

    void metricsOfTheTargetItselfAreExact() {
        // E = −log p for the exact eight-gaussians mixture: log Z = 0 and KL = 0 up to quadrature error.
        const auto e = eightGaussiansEnergy();
        const auto t = preset("eight-gaussians");
        Rng rng(3);
        const Matd held = t->sample(4000, rng);
        GridSpec g;
        g.resolution = 256;
        const Metrics m = computeMetrics(e, *t, held, g);
        QVERIFY2(std::abs(m.logZ) < 1e-3, qPrintable(QString::number(m.logZ)));
        QVERIFY2(std::abs(m.kl) < 2e-3, qPrintable(QString::number(m.kl)));
        // NLL of held-out samples = entropy of the target: log 8 + log(2πe·0.04) ≈ 1.6996 (± sampling error).
        QVERIFY2(std::abs(m.nll - 1.6996) < 0.05, qPrintable(QString::number(m.nll)));
    }

    void metricsOfAConstantEnergy() {
        // E = b everywhere: p_θ is uniform on the box, log Z = −b + log(area).
        MlpOptions o;
        o.hidden = {4};
        Mlp<float> net(o);
        Vecf theta = net.parameters();
        theta(theta.size() - 1) = 1.5f;
        net.setParameters(theta);
        GridSpec g;
        g.resolution = 64;
        const EnergyGrid grid = evaluateGrid(net, g);
        QVERIFY(std::abs(logPartition(grid) - (-1.5 + std::log(64.0))) < 1e-5);
        QVERIFY(std::abs(logPartition(grid, 2.0) - (-3.0 + std::log(64.0))) < 1e-5);
        // KL(target ‖ uniform) = log(area) − H(target on the box) > 0.
        const Metrics m = computeMetrics(net, *preset("eight-gaussians"), Matd(), g);
        QVERIFY(m.kl > 2.0 && m.kl < std::log(64.0));
        QVERIFY(std::isnan(m.nll));
    }

    void sameSeedSameBits_data() {
        QTest::addColumn<QString>("method");
        for (const char* m : {"cd", "sm", "ssm", "dsm", "nce"})
            QTest::newRow(m) << QString(m);
    }
    void sameSeedSameBits() {
        QFETCH(QString, method);
        const auto o = smallOptions(method.toStdString());
        Trainer a(preset("two-moons"), o), b(preset("two-moons"), o);
        for (int i = 0; i < 5; ++i) {
            a.step();
            b.step();
        }
        QCOMPARE(a.model().params(), b.model().params());
        QCOMPARE(a.logZEstimate(), b.logZEstimate());
        TrainerOptions other = o;
        other.seed = 2;
        Trainer c(preset("two-moons"), other);
        for (int i = 0; i < 5; ++i)
            c.step();
        QVERIFY(c.model().params() != a.model().params());
    }

    void restoreContinuesBitIdentically() {
        auto o = smallOptions("cd");
        Trainer a(preset("eight-gaussians"), o);
        for (int i = 0; i < 7; ++i)
            a.step();
        const TrainerState s = a.state();
        Trainer b(preset("eight-gaussians"), smallOptions("sm"));
        b.restore(s);
        for (const char* m : {"cd", "nce", "ssm"}) {
            a.setMethod(m);
            b.setMethod(m);
            for (int i = 0; i < 4; ++i) {
                const StepStats sa = a.step(), sb = b.step();
                QCOMPARE(sa.loss, sb.loss);
            }
        }
        QCOMPARE(a.model().params(), b.model().params());
        QCOMPARE(a.stepCount(), b.stepCount());
        // A state that does not fit is refused and changes nothing.
        TrainerState bad = s;
        bad.theta.conservativeResize(bad.theta.size() - 1);
        const Vecf before = b.model().params();
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, b.restore(bad));
        QCOMPARE(b.model().params(), before);
    }

    void switchingMethodKeepsTheModel() {
        Trainer t(preset("two-moons"), smallOptions("cd"));
        for (int i = 0; i < 3; ++i)
            t.step();
        const Vecf before = t.model().params();
        t.setMethod("nce");
        QCOMPARE(t.model().params(), before);
        QCOMPARE(t.stepCount(), std::int64_t(3));
        const StepStats s = t.step();
        QCOMPARE(s.method, std::string("nce"));
        QVERIFY(t.lastNoise().cols() > 0);
        // A new target continues from the same parameters too.
        const Vecf mid = t.model().params();
        t.setTarget(preset("checkerboard"));
        QCOMPARE(t.model().params(), mid);
    }

    void learningRateScheduleRestartsEachPhase() {
        auto o = smallOptions("sm");
        o.lrDecaySteps = 10;
        o.lrFinalFactor = 0.1f;
        Trainer t(preset("two-moons"), o);
        QCOMPARE(t.currentLearningRate(), o.optimizer.learningRate);
        for (int i = 0; i < 10; ++i)
            t.step();
        QVERIFY(std::abs(t.currentLearningRate() - 0.1f * o.optimizer.learningRate) < 1e-9f);
        t.setMethod("dsm");
        QCOMPARE(t.currentLearningRate(), o.optimizer.learningRate);
        t.setMethod("nce"); // NCE keeps its rate by default
        for (int i = 0; i < 10; ++i)
            t.step();
        QCOMPARE(t.currentLearningRate(), o.optimizer.learningRate);
    }

    // The chains' sampler fitted to the target's widths: ULA's step at most ⅔ w² (w the thin width), MALA
    // where the thin parts are under half the typical width, and nothing changed when fitting is off or
    // the user chose another sampler.
    void chainsFitTheTarget() {
        const ChainOptions c;
        QCOMPARE(c.sampler.kind, SamplerKind::Langevin);
        QCOMPARE(chainSampler(c, {0.2, 0.21}), c.sampler); // wide features: the step as set
        const SamplerOptions thin = chainSampler(c, {0.08, 0.09});
        QCOMPARE(thin.kind, SamplerKind::Langevin);
        QCOMPARE(thin.stepSize, float(2.0 / 3.0 * 0.08 * 0.08));
        const SamplerOptions varied = chainSampler(c, {0.06, 0.18});
        QCOMPARE(varied.kind, SamplerKind::Mala);
        QCOMPARE(varied.stepSize, c.sampler.stepSize);
        ChainOptions off = c;
        off.adaptToTarget = false;
        QCOMPARE(chainSampler(off, {0.08, 0.09}), off.sampler);
        ChainOptions mala = c;
        mala.sampler.kind = SamplerKind::Mala;
        QCOMPARE(chainSampler(mala, {0.08, 0.09}), mala.sampler);
        // A trainer on the rings runs the fitted chains, and follows a new target and new options.
        auto o = smallOptions("cd");
        Trainer t(preset("rings"), o);
        QVERIFY(t.chainSampler().stepSize < 0.005f);
        QCOMPARE(t.chainSampler().stepSize, chainSampler(o.chains, t.targetWidths()).stepSize);
        t.setTarget(preset("eight-gaussians"));
        QCOMPARE(t.chainSampler(), o.chains.sampler);
        t.setTarget(preset("funnel"));
        QCOMPARE(t.chainSampler().kind, SamplerKind::Mala);
        o.chains.adaptToTarget = false;
        t.setOptions(o);
        QCOMPARE(t.chainSampler(), o.chains.sampler);
    }

    void learningRateDecaysOnToItsFloor() {
        // The default holds the rate at the final factor after lrDecaySteps; a lower floor decays on, 10x
        // per lrDecaySteps: a tenth after 10 steps, a hundredth after 20 and later.
        auto o = smallOptions("sm");
        o.lrDecaySteps = 10;
        const float lr = o.optimizer.learningRate;
        QCOMPARE(o.lrFloorFactor, o.lrFinalFactor);
        Trainer held(preset("two-moons"), o);
        for (int i = 0; i < 30; ++i)
            held.step();
        QVERIFY(std::abs(held.currentLearningRate() - 0.1f * lr) < 1e-6f * lr);
        o.lrFloorFactor = 0.01f;
        Trainer t(preset("two-moons"), o);
        for (int i = 0; i < 5; ++i)
            t.step();
        QVERIFY(std::abs(t.currentLearningRate() - std::sqrt(0.1f) * lr) < 1e-6f * lr);
        for (int i = 0; i < 15; ++i)
            t.step();
        QVERIFY(std::abs(t.currentLearningRate() - 0.01f * lr) < 1e-6f * lr);
        for (int i = 0; i < 10; ++i)
            t.step();
        QVERIFY(std::abs(t.currentLearningRate() - 0.01f * lr) < 1e-6f * lr);
        o.lrFloorFactor = 0.5f; // above the final factor
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Trainer(preset("two-moons"), o));
    }

    void divergenceIsRolledBack() {
        // An absurd learning rate makes energies explode: each such step is undone and reported, the
        // parameters stay finite, and training goes on.
        auto o = smallOptions("cd");
        o.optimizer.learningRate = 1e6f;
        o.divergenceLimit = 1e3f;
        Trainer t(preset("eight-gaussians"), o);
        int diverged = 0;
        for (int i = 0; i < 20; ++i) {
            const Vecf params = t.model().params();
            const Matf buffer = t.state().buffer;
            const StepStats s = t.step();
            if (s.diverged) {
                ++diverged;
                QVERIFY(s.message.find("rolled back") != std::string::npos);
                QCOMPARE(t.model().params(), params); // parameters and chains as before the step
                QCOMPARE(t.state().buffer, buffer);
            }
            QVERIFY(t.model().params().allFinite());
        }
        QVERIFY(diverged > 0);
        QCOMPARE(t.stepCount(), std::int64_t(20));
        Rng rng(1);
        const Matf X = preset("eight-gaussians")->sample(100, rng).cast<float>();
        QVERIFY(t.model().energy(X).cwiseAbs().maxCoeff() <= o.divergenceLimit);
    }

    void nonFiniteParametersAreRolledBack() {
        // A learning rate near the float range's end makes θ infinite (Adam moves each weight by about the
        // rate): the step is undone and reported as such, for a method with and one without negatives.
        for (const char* m : {"cd", "nce"}) {
            auto o = smallOptions(m);
            o.optimizer.learningRate = 1e38f;
            Trainer t(preset("eight-gaussians"), o);
            const Vecf params = t.model().params();
            int nonFinite = 0;
            for (int i = 0; i < 3; ++i) {
                const StepStats s = t.step();
                QVERIFY2(s.diverged, m);
                if (s.message.find("became non-finite") != std::string::npos) ++nonFinite;
                QCOMPARE(t.model().params(), params);
            }
            QVERIFY2(nonFinite > 0, m);
        }
    }

    void nceNoiseSamplesFollowTheirLogDensity_data() {
        QTest::addColumn<int>("noise");      // 0 Gaussian fitted to the data, 1 uniform on the box
        QTest::addColumn<double>("uniform"); // uniform_fraction of the Gaussian's mixture
        QTest::newRow("gaussian") << 0 << 0.0;
        QTest::newRow("mixture (the default)") << 0 << 0.1;
        QTest::newRow("mixture, half uniform") << 0 << 0.5;
        QTest::newRow("uniform") << 1 << 0.0;
    }
    void nceNoiseSamplesFollowTheirLogDensity() {
        // NCE's loss is only right if the noise samples come from q and logq is q's log-density. On a
        // 16 x 16 grid over a region twice the box, each cell's share of 400,000 samples must match the
        // integral of exp(logq) over it (8 x 8 midpoints), within 5 standard errors plus 0.0001; and
        // exp(logq) must integrate to 1 (± 0.002) over a region wide enough to hold the Gaussian.
        QFETCH(int, noise);
        QFETCH(double, uniform);
        TrainerOptions o = smallOptions("nce");
        o.params.set("nce", "noise", noise);
        o.params.set("nce", "uniform_fraction", uniform);
        Trainer t(preset("two-moons"), o);
        const ParamSet& nce = t.options().params.of("nce");
        Rng rng(11);
        const Index n = 400000;
        const NoiseBatch b = t.domain().noise(nce, Matf::Zero(2, 1), n, rng);
        QCOMPARE(b.samples.cols(), n);
        QVERIFY(b.logqNoise.allFinite());
        QCOMPARE(b.logqNoise, t.domain().noiseLogDensity(nce, b.samples));

        const Box& box = t.options().box;
        const double cx = 0.5 * (box.x0 + box.x1), cy = 0.5 * (box.y0 + box.y1);
        const double w = 2 * box.width(), h = 2 * box.height();
        const int cells = 16, sub = 8;
        const double x0 = cx - w / 2, y0 = cy - h / 2, dx = w / cells, dy = h / cells;
        std::vector<double> counts(cells * cells, 0.0);
        for (Index i = 0; i < n; ++i) {
            const int ix = int(std::floor((b.samples(0, i) - x0) / dx));
            const int iy = int(std::floor((b.samples(1, i) - y0) / dy));
            if (ix >= 0 && ix < cells && iy >= 0 && iy < cells) counts[size_t(iy * cells + ix)] += 1;
        }
        Matf mid(2, sub * sub);
        double total = 0, worst = 0;
        for (int iy = 0; iy < cells; ++iy)
            for (int ix = 0; ix < cells; ++ix) {
                for (int k = 0; k < sub * sub; ++k) {
                    mid(0, k) = float(x0 + (ix + (k % sub + 0.5) / sub) * dx);
                    mid(1, k) = float(y0 + (iy + (k / sub + 0.5) / sub) * dy);
                }
                const double mass =
                    t.domain().noiseLogDensity(nce, mid).array().exp().cast<double>().mean() * dx * dy;
                total += mass;
                const double seen = counts[size_t(iy * cells + ix)] / double(n);
                const double se = std::sqrt(std::max(mass * (1 - mass), 1e-12) / double(n));
                worst = std::max(worst, std::abs(seen - mass) / (5 * se + 1e-4));
            }
        qInfo("worst %.3f total %.5f", worst, total);
        QVERIFY2(worst <= 1, qPrintable(QString("worst cell off by %1 of its bound").arg(worst)));
        // The region holds all of the uniform part and nearly all of the Gaussian (fitted to the data,
        // which fill much less than the box).
        QVERIFY2(std::abs(total - 1) < 0.002, qPrintable(QString::number(total)));
    }

    void badOptionsAreRejected_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("batch") << 0 << "batch size";
        QTest::newRow("width") << 1 << "width";
        QTest::newRow("lr") << 2 << "learningRate";
        QTest::newRow("restart") << 3 << "restart fraction";
        QTest::newRow("sigma") << 4 << "sigma";
        QTest::newRow("nu") << 5 << "noise_ratio";
        QTest::newRow("box") << 6 << "box";
    }
    void badOptionsAreRejected() {
        QFETCH(int, which);
        QFETCH(QString, fragment);
        TrainerOptions o;
        switch (which) {
        case 0:
            o.batchSize = 0;
            break;
        case 1:
            o.model.hidden = {0};
            break;
        case 2:
            o.optimizer.learningRate = std::nanf("");
            break;
        case 3:
            o.chains.restartFraction = 1.5f;
            break;
        case 4: // hyperparameters are checked against their schema when they are set
        case 5: {
            const TrainerOptions before = o;
            try {
                o.params.set(which == 4 ? "dsm" : "nce", which == 4 ? "sigma" : "noise_ratio",
                             which == 4 ? -1 : 0);
                QFAIL("an out-of-range hyperparameter must be rejected");
            } catch (const InvalidArgument& e) {
                QVERIFY2(QString(e.what()).contains(fragment), e.what());
            }
            QVERIFY(o.params == before.params);
            return;
        }
        case 6:
            o.box.x1 = o.box.x0;
            break;
        }
        try {
            Trainer t(preset("two-moons"), o);
            QFAIL("bad options must be rejected");
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains(fragment), e.what());
        }
        // setOptions refuses too, leaving the trainer as it was.
        Trainer t(preset("two-moons"), smallOptions("sm"));
        const Vecf before = t.model().params();
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, t.setOptions(o));
        QCOMPARE(t.model().params(), before);
        QCOMPARE(t.options().batchSize, Index(128));
    }

    void learnsOnASmallBudget_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("steps");
        QTest::newRow("cd") << "cd" << 300;
        QTest::newRow("sm") << "sm" << 300;
        QTest::newRow("ssm") << "ssm" << 300;
        QTest::newRow("dsm") << "dsm" << 300;
        QTest::newRow("nce") << "nce" << 300;
    }
    void learnsOnASmallBudget() {
        // Convergence studies live in scripts/convergence; here: a short run must cut KL by at least half.
        QFETCH(QString, method);
        QFETCH(int, steps);
        Trainer t(preset("two-moons"), smallOptions(method.toStdString()));
        GridSpec g;
        g.resolution = 96;
        const double kl0 = t.metrics(Matd(), g).kl;
        for (int i = 0; i < steps; ++i)
            QVERIFY(!t.step().diverged);
        const Metrics m = t.metrics(Matd(), g);
        QVERIFY2(m.kl < 0.5 * kl0, qPrintable(QString("KL %1 -> %2").arg(kl0).arg(m.kl)));
        if (method == "nce") QVERIFY(std::isfinite(m.logZEstimate));
    }
};

QTEST_MAIN(TestTrainer)
#include "tst_trainer.moc"
