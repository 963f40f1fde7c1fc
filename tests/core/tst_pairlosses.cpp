// LeCun's margin losses (pairobjective.h): each loss's formula at hand-computed points, its partial
// derivatives and its θ-gradient against central finite differences (double precision), and a short
// training run that must lower the KL divergence. The checks other than the formulas iterate over every
// registered pair objective, so a new one is covered by adding its formula rows.
#include <ebm/core/mlp.h>
#include <ebm/core/pairobjective.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

#include <QtTest>

using namespace ebm::core;

namespace {
std::vector<const PairObjective*> pairObjectives() {
    std::vector<const PairObjective*> r;
    for (const Objective* o : objectives())
        if (const auto* p = dynamic_cast<const PairObjective*>(o)) r.push_back(p);
    return r;
}

ParamSet defaults(const Objective& o) {
    return ParamSet(o.schema(ModelKind::Plane));
}

Matd randomBatch(Index n, std::uint64_t seed) {
    Rng rng(seed);
    Matd X(2, n);
    fillNormal(X, rng);
    return 1.5 * X;
}
} // namespace

class TestPairLosses : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(pairObjectives().size() >= 1); }

    void formulas_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<double>("margin"); // NaN: the loss has none
        QTest::addColumn<double>("ePos");
        QTest::addColumn<double>("eNeg");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("dPos");
        QTest::addColumn<double>("dNeg");
        // hinge: [E⁺]⁺ + [m − E⁻]⁺
        QTest::newRow("hinge, both active") << "hinge" << 1.0 << 0.5 << 0.3 << 1.2 << 1.0 << -1.0;
        QTest::newRow("hinge, both satisfied") << "hinge" << 1.0 << -0.5 << 2.0 << 0.0 << 0.0 << 0.0;
        QTest::newRow("hinge, margin 4") << "hinge" << 4.0 << 2.0 << 3.0 << 3.0 << 1.0 << -1.0;
        // log loss: log(1 + exp(E⁺ − E⁻)), derivatives ±σ(E⁺ − E⁻)
        QTest::newRow("log-loss, equal energies")
            << "log-loss" << qQNaN() << 1.0 << 1.0 << std::log(2.0) << 0.5 << -0.5;
        QTest::newRow("log-loss, negative higher")
            << "log-loss" << qQNaN() << 0.0 << 2.0 << 0.12692801104297263 << 0.11920292202211755
            << -0.11920292202211755;
        // square-square: ([E⁺]⁺)² + ([m − E⁻]⁺)²
        QTest::newRow("square-square, both active")
            << "square-square" << 8.0 << 1.0 << 5.0 << 10.0 << 2.0 << -6.0;
        QTest::newRow("square-square, both satisfied")
            << "square-square" << 8.0 << -1.0 << 9.0 << 0.0 << 0.0 << 0.0;
        QTest::newRow("square-square, margin 2")
            << "square-square" << 2.0 << 0.5 << 1.5 << 0.5 << 1.0 << -1.0;
    }
    void formulas() {
        QFETCH(QString, method);
        QFETCH(double, margin);
        QFETCH(double, ePos);
        QFETCH(double, eNeg);
        QFETCH(double, value);
        QFETCH(double, dPos);
        QFETCH(double, dNeg);
        const auto* o = dynamic_cast<const PairObjective*>(&objective(method.toStdString()));
        QVERIFY(o);
        ParamSet p = defaults(*o);
        if (!std::isnan(margin)) p.set("margin", margin);
        const PairTerm t = o->term(ePos, eNeg, p);
        QCOMPARE(t.value, value);
        QCOMPARE(t.dPos, dPos);
        QCOMPARE(t.dNeg, dNeg);
    }

    void termDerivatives() {
        Rng rng(5);
        std::normal_distribution<double> n(0, 2);
        for (const PairObjective* o : pairObjectives()) {
            const ParamSet p = defaults(*o);
            const double m = p.valueOr("margin", 0);
            int checked = 0;
            for (int k = 0; k < 200; ++k) {
                const double a = n(rng), b = n(rng);
                // Away from the kinks of [·]⁺ (E⁺ = 0, E⁻ = m), where the derivative jumps.
                if (std::abs(a) < 1e-3 || std::abs(b - m) < 1e-3) continue;
                const double h = 1e-6;
                const PairTerm t = o->term(a, b, p);
                const double fdPos = (o->term(a + h, b, p).value - o->term(a - h, b, p).value) / (2 * h);
                const double fdNeg = (o->term(a, b + h, p).value - o->term(a, b - h, p).value) / (2 * h);
                QVERIFY2(std::abs(fdPos - t.dPos) < 1e-6 * (1 + std::abs(fdPos)),
                         qPrintable(QString("%1: ∂l/∂E⁺ at (%2, %3): %4 vs finite differences %5")
                                        .arg(o->info().name.c_str())
                                        .arg(a)
                                        .arg(b)
                                        .arg(t.dPos)
                                        .arg(fdPos)));
                QVERIFY2(std::abs(fdNeg - t.dNeg) < 1e-6 * (1 + std::abs(fdNeg)),
                         qPrintable(QString("%1: ∂l/∂E⁻ at (%2, %3): %4 vs finite differences %5")
                                        .arg(o->info().name.c_str())
                                        .arg(a)
                                        .arg(b)
                                        .arg(t.dNeg)
                                        .arg(fdNeg)));
                ++checked;
            }
            QVERIFY(checked > 150);
        }
    }

    void parameterGradient() {
        setThreadCount(2);
        for (const PairObjective* o : pairObjectives()) {
            const ParamSet p = defaults(*o);
            MlpOptions mo;
            mo.hidden = {7, 5};
            Rng rng(3);
            Mlp<double> net(mo, rng);
            const Matd pos = randomBatch(6, 11), neg = randomBatch(6, 12);
            const PairFunction l = [&](double a, double b) { return o->term(a, b, p); };
            Vecd grad = Vecd::Zero(net.numParams());
            const double l0 = pairLoss<double>(net, pos, neg, l, grad);
            QVERIFY(std::isfinite(l0));
            QVERIFY(grad.norm() > 0);
            const Vecd theta = net.parameters();
            double worst = 0;
            for (Index i = 0; i < theta.size(); ++i) {
                const double h = 1e-6;
                Vecd tp = theta, tm = theta, dummy = Vecd::Zero(theta.size());
                tp(i) += h;
                tm(i) -= h;
                net.setParameters(tp);
                const double lp = pairLoss<double>(net, pos, neg, l, dummy);
                net.setParameters(tm);
                const double lm = pairLoss<double>(net, pos, neg, l, dummy);
                const double fd = (lp - lm) / (2 * h);
                worst = std::max(worst,
                                 std::abs(fd - grad(i)) / std::max(1e-3, std::abs(fd) + std::abs(grad(i))));
            }
            net.setParameters(theta);
            QVERIFY2(worst < 1e-5,
                     qPrintable(QString("%1: θ-gradient vs finite differences, worst relative error %2")
                                    .arg(o->info().name.c_str())
                                    .arg(worst)));
        }
        setThreadCount(0);
    }

    // Each loss, trained with its defaults for 400 steps on eight gaussians, must move the model towards the
    // target: the KL divergence falls below two thirds of the untrained model's.
    void trainingLowersKl() {
        for (const PairObjective* o : pairObjectives()) {
            TrainerOptions opt;
            opt.method = o->info().name;
            opt.model.hidden = {32, 32};
            opt.batchSize = 128;
            Trainer t(makePreset("eight-gaussians"), opt);
            GridSpec g;
            g.box = opt.box;
            g.resolution = 96;
            const double before = t.metrics(Matd(), g).kl;
            for (int i = 0; i < 400; ++i)
                QVERIFY2(!t.step().diverged, o->info().name.c_str());
            const double after = t.metrics(Matd(), g).kl;
            qInfo("%s: KL %.3f -> %.3f after 400 steps", o->info().name.c_str(), before, after);
            QVERIFY2(after < 0.67 * before, o->info().name.c_str());
        }
    }

    // Why the margin losses' KL stays where it does (docs/convergence.md, "What is inherent"): they are not
    // maximum likelihood, so a model that already fits the target is not where they stop. NCE fits the
    // target first (seed 1, one thread, the defaults); from that fit, 2000 steps of the margin loss end well
    // above where 2000 steps of CD, maximum likelihood on the same fresh chains, end (eight Gaussians:
    // log-loss 0.169 against CD 0.018; rings: hinge 0.295 against CD 0.103).
    void aGoodFitIsNotWhereTheyStop_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("nceSteps");
        QTest::addRow("log-loss, eight Gaussians")
            << QStringLiteral("eight-gaussians") << QStringLiteral("log-loss") << 3000;
        QTest::addRow("hinge, rings") << QStringLiteral("rings") << QStringLiteral("hinge") << 5000;
    }
    void aGoodFitIsNotWhereTheyStop() {
        QFETCH(QString, target);
        QFETCH(QString, method);
        QFETCH(int, nceSteps);
        setThreadCount(1);
        const std::shared_ptr<const TargetDensity> preset = makePreset(target.toStdString());
        TrainerOptions opt;
        opt.method = "nce";
        opt.box = preset->suggestedBox();
        GridSpec g;
        g.box = opt.box;
        Trainer fit(preset, opt);
        for (int i = 0; i < nceSteps; ++i)
            fit.step();
        const double fitted = fit.metrics(Matd(), g).kl;
        // The same fitted model trained on by another method for 2000 steps.
        const auto trainOn = [&](const std::string& m) {
            Trainer t(preset, opt);
            t.restore(fit.state());
            TrainerOptions o = t.options();
            o.method = m;
            t.setOptions(o);
            for (int i = 0; i < 2000; ++i)
                if (t.step().diverged) return -1.0;
            return t.metrics(Matd(), g).kl;
        };
        const double margin = trainOn(method.toStdString()), cd = trainOn("cd");
        qInfo("%s: KL %.3f after %d NCE steps; 2000 steps later %.3f with %s, %.3f with CD",
              qPrintable(target), fitted, nceSteps, margin, qPrintable(method), cd);
        QVERIFY2(fitted < 0.08, "NCE fits the target first");
        QVERIFY2(cd >= 0 && cd < 0.15, "CD, maximum likelihood, stays near the fit");
        QVERIFY2(margin > 0.15 && margin > 2 * cd, "the margin loss leaves the fit");
        setThreadCount(0);
    }
};

QTEST_GUILESS_MAIN(TestPairLosses)
#include "tst_pairlosses.moc"
