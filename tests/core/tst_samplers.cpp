// Samplers: stationary moments on a Gaussian (exact for MH/MALA/HMC, ULA's known O(ε) bias), mode weights on
// a two-component mixture, determinism, the particle cache, model-call counts, NaN guards and option checks.
//
// Moment tolerances come from standard errors: every particle is an independent chain, so the per-particle
// time averages over the measuring window are i.i.d. and their spread across particles gives an honest
// standard error that already accounts for autocorrelation along each chain.
#include <QtTest>

#include <ebm/core/analytic.h>
#include <ebm/core/sampler.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstring>

using namespace ebm::core;

Q_DECLARE_METATYPE(ebm::core::SamplerKind)

namespace {

Matd gaussianA() {
    Matd A(2, 2);
    A << 2.0, 0.6, 0.6, 1.0;
    return A;
}

QuadraticEnergy<float> gaussianModel() {
    return QuadraticEnergy<float>(gaussianA().cast<float>(), Vecf::Zero(2));
}

ParticleSet particlesAt(double x, double y, Index n) {
    ParticleSet p;
    p.x.resize(2, n);
    p.x.row(0).setConstant(float(x));
    p.x.row(1).setConstant(float(y));
    return p;
}

/// Per-particle time averages of f over `steps` single steps; returns the grand mean and its standard error.
struct Estimate {
    Vecd mean, se;
};

/// Accumulates, per particle, the time average of (x, y, x², xy, y²) over `steps` steps.
Estimate measureMoments(const Sampler& s, const EnergyModel<float>& model, ParticleSet& p, int steps,
                        Rng& rng, double& acceptRate) {
    const Index n = p.size();
    Matd acc = Matd::Zero(5, n);
    double accepted = 0, proposals = 0;
    for (int t = 0; t < steps; ++t) {
        const SamplerStats st = s.run(model, p, 1, rng);
        accepted += st.acceptRate * double(st.proposals);
        proposals += double(st.proposals);
        const Matd x = p.x.cast<double>();
        acc.row(0) += x.row(0);
        acc.row(1) += x.row(1);
        acc.row(2) += x.row(0).cwiseProduct(x.row(0));
        acc.row(3) += x.row(0).cwiseProduct(x.row(1));
        acc.row(4) += x.row(1).cwiseProduct(x.row(1));
    }
    acceptRate = accepted / proposals;
    acc /= double(steps);
    Estimate e;
    e.mean = acc.rowwise().mean();
    const Matd centred = acc.colwise() - e.mean;
    e.se = (centred.rowwise().squaredNorm() / double(n - 1) / double(n)).cwiseSqrt();
    return e;
}

SamplerOptions options(SamplerKind kind, float beta, float step, float mhSigma = 0.5f, int leapfrog = 5) {
    SamplerOptions o;
    o.kind = kind;
    o.beta = beta;
    o.stepSize = step;
    o.mhSigma = mhSigma;
    o.leapfrogSteps = leapfrog;
    return o;
}

/// Counts model calls and checks that every call gets the whole batch.
class CountingModel : public EnergyModel<float> {
public:
    explicit CountingModel(const EnergyModel<float>& inner) : m_inner(inner.clone()) {}
    int dim() const override { return m_inner->dim(); }
    Index numParams() const override { return 0; }
    Vecf parameters() const override { return {}; }
    void setParameters(const Vecf&) override {}
    Rowf energy(const Matf& X) const override {
        ++energyCalls;
        columns = std::min(columns, X.cols());
        return m_inner->energy(X);
    }
    void energyAndGrad(const Matf& X, Rowf& E, Matf& G) const override {
        ++gradCalls;
        columns = std::min(columns, X.cols());
        m_inner->energyAndGrad(X, E, G);
    }
    void jet(const Matf& X, const std::vector<Matf>& d, EnergyJet<float>& o, int so = -1) const override {
        m_inner->jet(X, d, o, so);
    }
    float lossGrad(const Matf& X, const std::vector<Matf>& d, const LossHead<float>& h, Vecf& g,
                   int so = -1) const override {
        return m_inner->lossGrad(X, d, h, g, so);
    }
    std::unique_ptr<EnergyModel<float>> clone() const override {
        return std::make_unique<CountingModel>(*m_inner);
    }
    mutable int energyCalls = 0, gradCalls = 0;
    mutable Index columns = std::numeric_limits<Index>::max(); // smallest batch seen

private:
    std::shared_ptr<EnergyModel<float>> m_inner;
};

/// E(x) = ½‖x − (3, 0)‖², but NaN (energy and gradient) beyond the wall x₀ > 1: samplers are pushed towards a
/// region they must never enter.
class NanWallModel : public EnergyModel<float> {
public:
    int dim() const override { return 2; }
    Index numParams() const override { return 0; }
    Vecf parameters() const override { return {}; }
    void setParameters(const Vecf&) override {}
    Rowf energy(const Matf& X) const override {
        Rowf E;
        Matf G;
        energyAndGrad(X, E, G);
        return E;
    }
    void energyAndGrad(const Matf& X, Rowf& E, Matf& G) const override {
        G = X;
        G.row(0).array() -= 3.0f;
        E = 0.5f * G.colwise().squaredNorm();
        const float nan = std::numeric_limits<float>::quiet_NaN();
        for (Index i = 0; i < X.cols(); ++i)
            if (X(0, i) > 1.0f) {
                E(i) = nan;
                G.col(i).setConstant(nan);
            }
    }
    void jet(const Matf&, const std::vector<Matf>&, EnergyJet<float>&, int = -1) const override {}
    float lossGrad(const Matf&, const std::vector<Matf>&, const LossHead<float>&, Vecf&,
                   int = -1) const override {
        return 0;
    }
    std::unique_ptr<EnergyModel<float>> clone() const override { return std::make_unique<NanWallModel>(); }
};

QString fmt(const Estimate& e, int i) {
    return QString("%1 ± %2").arg(e.mean(i), 0, 'f', 4).arg(e.se(i), 0, 'f', 4);
}

} // namespace

class TestSamplers : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(".*")); }

    void gaussianMoments_data();
    void gaussianMoments();
    void mixtureModeWeights_data();
    void mixtureModeWeights();
    void deterministicForSeed_data();
    void deterministicForSeed();
    void cacheIsUsedAndLeftCorrect_data();
    void cacheIsUsedAndLeftCorrect();
    void positionsOnlyRunSkipsTheLastUlaGradient();
    void nanProposalsAreRejected_data();
    void nanProposalsAreRejected();
    void optionsValidation_data();
    void optionsValidation();
    void namesRoundTrip();
    void badArgumentsThrow();
};

void TestSamplers::gaussianMoments_data() {
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<float>("beta");
    QTest::addColumn<float>("step");  // ε (ULA/MALA/HMC) or σ (MH)
    QTest::addColumn<int>("burnIn");  // steps from the bad start before measuring
    QTest::addColumn<int>("measure"); // steps averaged per particle
    QTest::addColumn<double>("minAccept");
    for (float beta : {1.0f, 2.0f}) {
        const QString b = QString("-beta%1").arg(beta);
        // MH: σ scaled with the target's width, ~50% acceptance.
        QTest::newRow(qPrintable("mh" + b))
            << SamplerKind::RandomWalkMH << beta << 0.9f / std::sqrt(beta) << 300 << 600 << 0.3;
        // ULA: a small step; slowest relaxation time 1/(ε β λ_min) ≈ 139/β steps.
        QTest::newRow(qPrintable("ula" + b)) << SamplerKind::Langevin << beta << 0.01f << 1500 << 1500 << 1.0;
        QTest::newRow(qPrintable("mala" + b)) << SamplerKind::Mala << beta << 0.1f << 300 << 800 << 0.8;
        QTest::newRow(qPrintable("hmc" + b)) << SamplerKind::Hmc << beta << 0.25f << 100 << 200 << 0.8;
    }
}

void TestSamplers::gaussianMoments() {
    QFETCH(SamplerKind, kind);
    QFETCH(float, beta);
    QFETCH(float, step);
    QFETCH(int, burnIn);
    QFETCH(int, measure);
    QFETCH(double, minAccept);

    const auto model = gaussianModel();
    const SamplerOptions o = kind == SamplerKind::RandomWalkMH ? options(kind, beta, 0.01f, step)
                                                               : options(kind, beta, step, 0.5f, 5);
    const auto sampler = makeSampler(o);
    QCOMPARE(sampler->kind(), kind);
    const Index n = 4000;
    ParticleSet p = particlesAt(4.0, -4.0, n); // far out in the tails: E = 17.2, ~12 stds along x
    Rng rng(42);
    const SamplerStats burn = sampler->run(model, p, burnIn, rng);
    QCOMPARE(burn.proposals, Index(burnIn) * n);
    double acceptRate = 0;
    const Estimate e = measureMoments(*sampler, model, p, measure, rng, acceptRate);

    QVERIFY2(acceptRate > 0.0 && acceptRate <= 1.0, qPrintable(QString::number(acceptRate)));
    QVERIFY2(acceptRate >= minAccept,
             qPrintable(QString("acceptance %1 < %2").arg(acceptRate).arg(minAccept)));
    if (kind == SamplerKind::Langevin) QCOMPARE(acceptRate, 1.0);

    // Target: mean 0, covariance (βA)⁻¹.
    const Matd A = double(beta) * gaussianA();
    const Matd target = A.inverse();
    // ULA's own stationary law on a Gaussian is N(0, (βA)⁻¹ (I − εβA/2)⁻¹): a relative bias of about ε β λ/2
    // along each eigenvector (λ of A: 2.28 and 0.72), i.e. +1.2% / +0.4% at β = 1 and ε = 0.01, twice that at
    // β = 2.
    Matd expected = target;
    if (kind == SamplerKind::Langevin)
        expected = target * (Matd::Identity(2, 2) - 0.5 * double(step) * A).inverse();
    const double z = 5.0; // standard errors allowed
    const Vecd want = (Vecd(5) << 0, 0, expected(0, 0), expected(0, 1), expected(1, 1)).finished();
    const Vecd tgt = (Vecd(5) << 0, 0, target(0, 0), target(0, 1), target(1, 1)).finished();
    const char* names[5] = {"E[x]", "E[y]", "E[x²]", "E[xy]", "E[y²]"};
    for (int i = 0; i < 5; ++i) {
        qInfo("%s: %s = %s  (target %.4f%s)", QTest::currentDataTag(), names[i], qPrintable(fmt(e, i)),
              tgt(i),
              kind == SamplerKind::Langevin ? qPrintable(QString(", ULA-exact %1").arg(want(i), 0, 'f', 4))
                                            : "");
        const double dev = std::abs(e.mean(i) - want(i));
        QVERIFY2(dev <= z * e.se(i), qPrintable(QString("%1 = %2, expected %3 (%4 standard errors off)")
                                                    .arg(names[i], fmt(e, i))
                                                    .arg(want(i))
                                                    .arg(dev / e.se(i), 0, 'f', 1)));
        // Against the target itself ULA is allowed its bias on top of the sampling error.
        QVERIFY(std::abs(e.mean(i) - tgt(i)) <= z * e.se(i) + std::abs(want(i) - tgt(i)));
        QVERIFY(e.se(i) < 0.02); // the check has teeth
    }
    qInfo("%s: acceptance %.3f", QTest::currentDataTag(), acceptRate);
}

void TestSamplers::mixtureModeWeights_data() {
    QTest::addColumn<SamplerKind>("kind");
    QTest::addColumn<float>("step");
    QTest::addColumn<int>("leapfrog");
    QTest::addColumn<int>("burnIn");
    QTest::addColumn<int>("measure");
    QTest::newRow("hmc") << SamplerKind::Hmc << 0.3f << 8 << 600 << 600;
    QTest::newRow("mala") << SamplerKind::Mala << 0.5f << 1 << 2500 << 1500;
    QTest::newRow("mh") << SamplerKind::RandomWalkMH << 1.5f << 1 << 1500 << 1500;
}

void TestSamplers::mixtureModeWeights() {
    QFETCH(SamplerKind, kind);
    QFETCH(float, step);
    QFETCH(int, leapfrog);
    QFETCH(int, burnIn);
    QFETCH(int, measure);
    // Modes at (±2.5, 0), σ = 1 (5σ apart, a barrier of ~3 nats), weights 0.3 (left) and 0.7 (right).
    Matf means(2, 2);
    means << -2.5f, 2.5f, 0.0f, 0.0f;
    const GaussianMixtureEnergy<float> model(means, Vecf::Ones(2), (Vecf(2) << 0.3f, 0.7f).finished());
    const SamplerOptions o = kind == SamplerKind::RandomWalkMH ? options(kind, 1.0f, 0.01f, step)
                                                               : options(kind, 1.0f, step, 0.5f, leapfrog);
    const auto sampler = makeSampler(o);
    // A spread, symmetric start (uniform on [−6, 6] x [−3, 3]): half the particles start on each side, so the
    // 30/70 split can only come from chains crossing the barrier.
    const Index n = 4000;
    Rng rng(7);
    ParticleSet p;
    p.x.resize(2, n);
    fillUniform(p.x, rng);
    p.x.row(0) = (p.x.row(0).array() - 0.5f) * 12.0f;
    p.x.row(1) = (p.x.row(1).array() - 0.5f) * 6.0f;
    sampler->run(model, p, burnIn, rng);
    Vecd fraction = Vecd::Zero(n);
    for (int t = 0; t < measure; ++t) {
        sampler->run(model, p, 1, rng);
        fraction += (p.x.row(0).array() > 0.0f).cast<double>().matrix().transpose();
    }
    fraction /= double(measure);
    const double mean = fraction.mean();
    const double se = std::sqrt((fraction.array() - mean).square().sum() / double(n - 1) / double(n));
    // P(x₀ > 0) = 0.7 Φ(2.5) + 0.3 Φ(−2.5).
    const double tail = 0.5 * std::erfc(2.5 / std::sqrt(2.0));
    const double expected = 0.7 * (1 - tail) + 0.3 * tail;
    qInfo("%s: mass right of 0 = %.4f ± %.4f (expected %.4f)", QTest::currentDataTag(), mean, se, expected);
    QVERIFY(se < 0.02);
    QVERIFY2(std::abs(mean - expected) <= 5 * se,
             qPrintable(QString("right mode holds %1 ± %2, expected %3").arg(mean).arg(se).arg(expected)));
}

namespace {
void allKindsData() {
    QTest::addColumn<SamplerKind>("kind");
    for (SamplerKind k :
         {SamplerKind::RandomWalkMH, SamplerKind::Langevin, SamplerKind::Mala, SamplerKind::Hmc})
        QTest::newRow(samplerKindName(k).c_str()) << k;
}
} // namespace

void TestSamplers::deterministicForSeed_data() {
    allKindsData();
}

void TestSamplers::deterministicForSeed() {
    QFETCH(SamplerKind, kind);
    const auto model = gaussianModel();
    const auto sampler = makeSampler(options(kind, 1.0f, 0.1f, 0.5f, 3));
    auto runWith = [&](std::uint64_t seed) {
        ParticleSet p = particlesAt(1.0, 2.0, 300);
        Rng rng(seed);
        sampler->run(model, p, 20, rng);
        return p;
    };
    const ParticleSet a = runWith(5), b = runWith(5), c = runWith(6);
    QCOMPARE(a.x.size(), b.x.size());
    QVERIFY(std::memcmp(a.x.data(), b.x.data(), sizeof(float) * a.x.size()) == 0);
    QVERIFY(std::memcmp(a.energy.data(), b.energy.data(), sizeof(float) * a.energy.size()) == 0);
    QVERIFY(a.x != c.x);
}

void TestSamplers::cacheIsUsedAndLeftCorrect_data() {
    allKindsData();
}

void TestSamplers::cacheIsUsedAndLeftCorrect() {
    QFETCH(SamplerKind, kind);
    const auto inner = gaussianModel();
    CountingModel model(inner);
    const int L = 4, steps = 7;
    const auto sampler = makeSampler(options(kind, 1.5f, 0.05f, 0.5f, L));
    const bool usesGrad = kind != SamplerKind::RandomWalkMH;
    const int evalsPerStep = kind == SamplerKind::Hmc ? L : 1;
    const Index n = 257;
    ParticleSet p = particlesAt(1.0, -1.0, n);
    Rng rng(3);

    // Invalid cache: one extra evaluation to fill it, then one batched call per evaluation.
    sampler->run(model, p, steps, rng);
    QCOMPARE(usesGrad ? model.gradCalls : model.energyCalls, 1 + steps * evalsPerStep);
    QCOMPARE(usesGrad ? model.energyCalls : model.gradCalls, 0);
    QCOMPARE(model.columns, n); // never per particle
    QVERIFY(p.cacheValid);

    // The cache matches the positions.
    Rowf E;
    Matf G;
    inner.energyAndGrad(p.x, E, G);
    QVERIFY((p.energy - E).cwiseAbs().maxCoeff() <= 1e-5f * (1 + E.cwiseAbs().maxCoeff()));
    if (usesGrad)
        QVERIFY((p.grad - G).cwiseAbs().maxCoeff() <= 1e-5f * (1 + G.cwiseAbs().maxCoeff()));
    else
        QCOMPARE(p.grad.size(), Index(0)); // MH leaves no stale gradient behind

    // A valid cache is used as is.
    model.energyCalls = model.gradCalls = 0;
    sampler->run(model, p, steps, rng);
    QCOMPARE(usesGrad ? model.gradCalls : model.energyCalls, steps * evalsPerStep);

    // A gradient sampler after MH (cache valid, but without gradients) recomputes.
    if (usesGrad) {
        makeSampler(options(SamplerKind::RandomWalkMH, 1.0f, 0.1f))->run(inner, p, 2, rng);
        QVERIFY(p.cacheValid);
        model.energyCalls = model.gradCalls = 0;
        sampler->run(model, p, 1, rng);
        QCOMPARE(model.gradCalls, 1 + evalsPerStep);
    }
}

void TestSamplers::positionsOnlyRunSkipsTheLastUlaGradient() {
    // MCMC negatives use only the final positions: ULA then skips E and ∇E at the final state (K gradient
    // passes instead of K + 1) and moves the particles bit for bit as a run that keeps its cache.
    const auto inner = gaussianModel();
    const auto sampler = makeSampler(options(SamplerKind::Langevin, 1.5f, 0.05f));
    const int steps = 10;
    ParticleSet kept = particlesAt(1.0, -1.0, 300), positions = kept;
    positions.cacheAfterRun = false;
    Rng r1(5), r2(5);
    CountingModel model(inner);
    sampler->run(model, kept, steps, r1);
    QCOMPARE(model.gradCalls, 1 + steps);
    model.gradCalls = 0;
    sampler->run(model, positions, steps, r2);
    QCOMPARE(model.gradCalls, steps);
    QVERIFY(!positions.cacheValid);
    QVERIFY(positions.x == kept.x);
    QVERIFY(r1() == r2()); // the same random numbers were drawn
}

void TestSamplers::nanProposalsAreRejected_data() {
    QTest::addColumn<SamplerKind>("kind");
    for (SamplerKind k : {SamplerKind::RandomWalkMH, SamplerKind::Mala, SamplerKind::Hmc})
        QTest::newRow(samplerKindName(k).c_str()) << k;
}

void TestSamplers::nanProposalsAreRejected() {
    QFETCH(SamplerKind, kind);
    const NanWallModel model;
    // Large steps so that many proposals land beyond the wall at x₀ = 1 (the energy pulls towards x₀ = 3).
    const auto sampler = makeSampler(options(kind, 1.0f, 0.5f, 1.0f, 3));
    ParticleSet p = particlesAt(0.0, 0.0, 1000);
    Rng rng(11);
    const SamplerStats st = sampler->run(model, p, 50, rng);
    QVERIFY(p.x.allFinite());
    QVERIFY(p.energy.allFinite());
    QVERIFY((p.x.row(0).array() <= 1.0f).all());
    QVERIFY(st.acceptRate > 0.0 && st.acceptRate < 1.0);
    QVERIFY((p.x.row(0).array() > 0.5f).any()); // the particles did move towards the wall
}

void TestSamplers::optionsValidation_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<double>("value");
    const double nan = std::numeric_limits<double>::quiet_NaN(),
                 inf = std::numeric_limits<double>::infinity();
    for (const char* f : {"beta", "stepSize", "mhSigma"})
        for (double v : {0.0, -0.1, nan, inf, -inf})
            QTest::newRow(qPrintable(QString("%1=%2").arg(f).arg(v))) << QString(f) << v;
    QTest::newRow("leapfrogSteps=0") << "leapfrogSteps" << 0.0;
    QTest::newRow("leapfrogSteps=-3") << "leapfrogSteps" << -3.0;
}

void TestSamplers::optionsValidation() {
    QFETCH(QString, field);
    QFETCH(double, value);
    for (SamplerKind k :
         {SamplerKind::RandomWalkMH, SamplerKind::Langevin, SamplerKind::Mala, SamplerKind::Hmc}) {
        SamplerOptions o;
        o.kind = k;
        o.validate(); // defaults are fine
        if (field == "beta") o.beta = float(value);
        if (field == "stepSize") o.stepSize = float(value);
        if (field == "mhSigma") o.mhSigma = float(value);
        if (field == "leapfrogSteps") o.leapfrogSteps = int(value);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, o.validate());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, makeSampler(o));
        try {
            o.validate();
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains(field), e.what());
        }
    }
    SamplerOptions o;
    o.stepSize = float(value);
    if (field == "stepSize") {
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Langevin{o});
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Mala{o});
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Hmc{o});
    }
}

void TestSamplers::namesRoundTrip() {
    for (SamplerKind k :
         {SamplerKind::RandomWalkMH, SamplerKind::Langevin, SamplerKind::Mala, SamplerKind::Hmc})
        QCOMPARE(parseSamplerKind(samplerKindName(k)), k);
    QCOMPARE(samplerKindName(SamplerKind::RandomWalkMH), std::string("mh"));
    QCOMPARE(samplerKindName(SamplerKind::Langevin), std::string("ula"));
    QCOMPARE(samplerKindName(SamplerKind::Mala), std::string("mala"));
    QCOMPARE(samplerKindName(SamplerKind::Hmc), std::string("hmc"));
    for (const char* bad : {"", "MALA", "langevin", "hmc "}) {
        try {
            parseSamplerKind(bad);
            QFAIL("expected InvalidArgument");
        } catch (const InvalidArgument& e) {
            QVERIFY2(QString(e.what()).contains("mh, ula, mala, hmc"), e.what());
        }
    }
}

void TestSamplers::badArgumentsThrow() {
    const auto model = gaussianModel();
    Rng rng(1);
    for (SamplerKind k :
         {SamplerKind::RandomWalkMH, SamplerKind::Langevin, SamplerKind::Mala, SamplerKind::Hmc}) {
        const auto s = makeSampler(options(k, 1.0f, 0.1f));
        ParticleSet wrongDim;
        wrongDim.x = Matf::Zero(3, 10);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, s->run(model, wrongDim, 1, rng));
        ParticleSet p = particlesAt(0, 0, 10);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, s->run(model, p, -1, rng));
        ParticleSet empty;
        empty.x.resize(2, 0);
        const SamplerStats st = s->run(model, empty, 5, rng);
        QCOMPARE(st.proposals, Index(0));
        const SamplerStats none = s->run(model, p, 0, rng);
        QCOMPARE(none.proposals, Index(0));
        QVERIFY(p.cacheValid);
    }
}

QTEST_MAIN(TestSamplers)
#include "tst_samplers.moc"
