// Analytic energies: derivatives against central finite differences (double precision), shape checks,
// and SumEnergy's composition of jets and parameter gradients.
#include <QtTest>

#include <ebm/core/analytic.h>

#include <cmath>
#include <numbers>

using namespace ebm::core;

namespace {

/// A small energy with parameters, to test SumEnergy's parameter plumbing:
/// E(x) = a·½‖x‖² + bᵀx, θ = [a, b₁..b_d]. Its lossGrad calls the head on two chunks (col0 ≠ 0 on the
/// second), like a threaded model does.
class ParamEnergy : public EnergyModel<double> {
public:
    ParamEnergy(int d, double a, const Vecd& b) : m_d(d), m_theta(d + 1) {
        m_theta(0) = a;
        m_theta.tail(d) = b;
    }
    int dim() const override { return m_d; }
    Index numParams() const override { return m_theta.size(); }
    Vecd parameters() const override { return m_theta; }
    void setParameters(const Vecd& t) override {
        if (t.size() != m_theta.size()) throw InvalidArgument("ParamEnergy: bad size");
        m_theta = t;
    }
    Rowd energy(const Matd& X) const override {
        return 0.5 * m_theta(0) * X.colwise().squaredNorm() + m_theta.tail(m_d).transpose() * X;
    }
    void energyAndGrad(const Matd& X, Rowd& E, Matd& G) const override {
        E = energy(X);
        G = (m_theta(0) * X).colwise() + m_theta.tail(m_d);
    }
    void jet(const Matd& X, const std::vector<Matd>& dirs, EnergyJet<double>& out, int = -1) const override {
        Matd G;
        energyAndGrad(X, out.energy, G);
        out.first.clear();
        out.second.clear();
        for (const Matd& U : dirs) {
            out.first.push_back((U.array() * G.array()).colwise().sum().matrix());
            out.second.push_back(m_theta(0) * U.colwise().squaredNorm());
        }
    }
    double lossGrad(const Matd& X, const std::vector<Matd>& dirs, const LossHead<double>& head, Vecd& grad,
                    int = -1) const override {
        const Index n = X.cols(), half = n / 2;
        double loss = 0;
        for (auto [c0, m] : {std::pair<Index, Index>{0, half}, std::pair<Index, Index>{half, n - half}}) {
            const Matd Xc = X.middleCols(c0, m);
            std::vector<Matd> dc;
            for (const Matd& U : dirs)
                dc.push_back(U.middleCols(c0, m));
            EnergyJet<double> j;
            jet(Xc, dc, j);
            JetSeeds<double> s;
            loss += head(j, c0, s);
            if (s.energy.size()) {
                grad(0) += (s.energy.array() * 0.5 * Xc.colwise().squaredNorm().array()).sum();
                grad.tail(m_d) += Xc * s.energy.transpose();
            }
            for (std::size_t k = 0; k < dc.size(); ++k) {
                if (k < s.first.size() && s.first[k].size()) {
                    grad(0) += (s.first[k].array() * (dc[k].array() * Xc.array()).colwise().sum()).sum();
                    grad.tail(m_d) += dc[k] * s.first[k].transpose();
                }
                if (k < s.second.size() && s.second[k].size())
                    grad(0) += (s.second[k].array() * dc[k].colwise().squaredNorm().array()).sum();
            }
        }
        return loss;
    }
    std::unique_ptr<EnergyModel<double>> clone() const override {
        return std::make_unique<ParamEnergy>(*this);
    }

private:
    int m_d;
    Vecd m_theta;
};

Matd randomSpd(int d, Rng& rng) {
    Matd B(d, d);
    fillNormal(B, rng);
    return B * B.transpose() + 0.5 * Matd::Identity(d, d);
}

std::shared_ptr<EnergyModel<double>> makeModel(const QString& name, int d) {
    Rng rng(1234 + d);
    if (name == "quadratic") {
        Vecd mu(d);
        fillNormal(mu, rng);
        return std::make_shared<QuadraticEnergy<double>>(randomSpd(d, rng), mu);
    }
    if (name == "mixture") {
        const int K = 3;
        Matd means(d, K);
        fillNormal(means, rng);
        means *= 1.5;
        Vecd sigmas(K), weights(K);
        sigmas << 0.4, 0.9, 1.3;
        weights << 0.2, 0.5, 1.3; // not normalised on purpose
        return std::make_shared<GaussianMixtureEnergy<double>>(means, sigmas, weights);
    }
    if (name == "sum") {
        Vecd b(d);
        fillNormal(b, rng);
        return std::make_shared<SumEnergy<double>>(std::vector<std::shared_ptr<EnergyModel<double>>>{
            makeModel("quadratic", d), std::make_shared<ParamEnergy>(d, 0.7, b), makeModel("mixture", d),
            std::make_shared<ParamEnergy>(d, -0.3, -b)});
    }
    qFatal("unknown model %s", qPrintable(name));
    return {};
}

Matd randomBatch(int d, Index n, std::uint64_t seed, double scale = 1.5) {
    Rng rng(seed);
    Matd X(d, n);
    fillNormal(X, rng);
    return scale * X;
}

/// max |a − b| / (1 + |b|), elementwise.
double relErr(const Matd& a, const Matd& b) {
    return ((a - b).array().abs() / (1.0 + b.array().abs())).maxCoeff();
}

void checkThrows(const std::function<void()>& f, const char* mustContain) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        const QString msg = QString::fromUtf8(e.what());
        QVERIFY2(msg.contains(QLatin1String(mustContain)), qPrintable("message was: " + msg));
        return;
    }
    QFAIL(qPrintable(QString("expected InvalidArgument mentioning '%1'").arg(mustContain)));
}

} // namespace

namespace {
void derivativesData() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("dim");
    for (const char* m : {"quadratic", "mixture", "sum"})
        for (int d : {1, 2, 3})
            QTest::newRow(qPrintable(QString("%1-d%2").arg(m).arg(d))) << QString(m) << d;
}
} // namespace

class TestAnalytic : public QObject {
    Q_OBJECT
private slots:
    void gradientMatchesFiniteDifferences_data() { derivativesData(); }
    void gradientMatchesFiniteDifferences();
    void jetMatchesFiniteDifferences_data() { derivativesData(); }
    void jetMatchesFiniteDifferences();
    void laplacianMatchesFiniteDifferences_data() { derivativesData(); }
    void laplacianMatchesFiniteDifferences();

    void quadraticClosedForm();
    void mixtureMatchesDirectFormula();
    void mixtureIsStableFarAway();
    void floatAgreesWithDouble();

    void sumLossGradMatchesFiniteDifferences();
    void sumParametersAndClone();

    void badShapesThrow();
    void badConstructorArgumentsThrow();
};

void TestAnalytic::gradientMatchesFiniteDifferences() {
    QFETCH(QString, model);
    QFETCH(int, dim);
    const auto m = makeModel(model, dim);
    const Matd X = randomBatch(dim, 9, 7);
    Rowd E;
    Matd G;
    m->energyAndGrad(X, E, G);
    QCOMPARE(E.size(), X.cols());
    QCOMPARE(G.rows(), X.rows());
    QCOMPARE(G.cols(), X.cols());
    QVERIFY(relErr(m->energy(X), E) < 1e-14);

    const double h = 1e-5;
    Matd fd(dim, X.cols());
    for (int i = 0; i < dim; ++i) {
        Matd Xp = X, Xm = X;
        Xp.row(i).array() += h;
        Xm.row(i).array() -= h;
        fd.row(i) = (m->energy(Xp) - m->energy(Xm)) / (2 * h);
    }
    const double err = relErr(G, fd);
    QVERIFY2(err < 1e-7, qPrintable(QString("gradient vs central differences: %1").arg(err)));
}

void TestAnalytic::jetMatchesFiniteDifferences() {
    QFETCH(QString, model);
    QFETCH(int, dim);
    const auto m = makeModel(model, dim);
    const Index n = 9;
    const Matd X = randomBatch(dim, n, 11);
    std::vector<Matd> dirs{randomBatch(dim, n, 12, 1.0), randomBatch(dim, n, 13, 0.5)};
    EnergyJet<double> jet;
    m->jet(X, dirs, jet);
    QCOMPARE(jet.first.size(), dirs.size());
    QCOMPARE(jet.second.size(), dirs.size());
    QVERIFY(relErr(jet.energy, m->energy(X)) < 1e-14);

    Rowd E;
    Matd G;
    m->energyAndGrad(X, E, G);
    const Rowd E0 = m->energy(X);
    for (std::size_t k = 0; k < dirs.size(); ++k) {
        const Matd& U = dirs[k];
        QCOMPARE(jet.first[k].size(), n);
        QCOMPARE(jet.second[k].size(), n);
        // First: exactly uᵀ∇E, and the derivative of t ↦ E(x + t u) at 0.
        QVERIFY(relErr(jet.first[k], (U.array() * G.array()).colwise().sum().matrix()) < 1e-12);
        const double h1 = 1e-5;
        const Rowd d1 = (m->energy(X + h1 * U) - m->energy(X - h1 * U)) / (2 * h1);
        const double e1 = relErr(jet.first[k], d1);
        QVERIFY2(e1 < 1e-7, qPrintable(QString("first directional derivative: %1").arg(e1)));
        // Second: d²/dt² E(x + t u) at 0.
        const double h2 = 1e-4;
        const Rowd d2 = (m->energy(X + h2 * U) - 2 * E0 + m->energy(X - h2 * U)) / (h2 * h2);
        const double e2 = relErr(jet.second[k], d2);
        QVERIFY2(e2 < 1e-5, qPrintable(QString("second directional derivative: %1").arg(e2)));
    }
}

void TestAnalytic::laplacianMatchesFiniteDifferences() {
    QFETCH(QString, model);
    QFETCH(int, dim);
    const auto m = makeModel(model, dim);
    const Matd X = randomBatch(dim, 9, 17);
    const Rowd lap = m->laplacian(X);
    const double h = 1e-4;
    Rowd fd = Rowd::Zero(X.cols());
    const Rowd E0 = m->energy(X);
    for (int i = 0; i < dim; ++i) {
        Matd Xp = X, Xm = X;
        Xp.row(i).array() += h;
        Xm.row(i).array() -= h;
        fd += (m->energy(Xp) - 2 * E0 + m->energy(Xm)) / (h * h);
    }
    const double err = relErr(lap, fd);
    QVERIFY2(err < 1e-5, qPrintable(QString("Laplacian vs finite differences: %1").arg(err)));
}

void TestAnalytic::quadraticClosedForm() {
    Matd A(2, 2);
    A << 2, 0.6, 0.6, 1;
    Vecd mu(2);
    mu << 1, -1;
    QuadraticEnergy<double> q(A, mu);
    QCOMPARE(q.dim(), 2);
    QCOMPARE(q.numParams(), Index(0));
    Matd X(2, 3);
    X << 1, 2, 0, -1, 0, 1;
    const Matd D = X.colwise() - mu;
    const Rowd E = q.energy(X);
    for (Index i = 0; i < 3; ++i)
        QCOMPARE(E(i), 0.5 * D.col(i).dot(A * D.col(i)));
    QCOMPARE(E(0), 0.0);
    const Rowd lap = q.laplacian(X);
    for (Index i = 0; i < 3; ++i)
        QCOMPARE(lap(i), 3.0); // trace A
}

void TestAnalytic::mixtureMatchesDirectFormula() {
    Matd means(2, 2);
    means << -1, 2, 0, 1;
    Vecd sigmas(2), weights(2);
    sigmas << 0.5, 1.2;
    weights << 1, 3;
    GaussianMixtureEnergy<double> g(means, sigmas, weights);
    const Matd X = randomBatch(2, 6, 3);
    const Rowd E = g.energy(X);
    for (Index i = 0; i < X.cols(); ++i) {
        double p = 0;
        for (int k = 0; k < 2; ++k) {
            const double s2 = sigmas(k) * sigmas(k);
            p += weights(k) / 4.0 * std::exp(-(X.col(i) - means.col(k)).squaredNorm() / (2 * s2)) /
                 (2 * std::numbers::pi * s2);
        }
        QVERIFY(std::abs(E(i) - (-std::log(p))) < 1e-12);
    }
    // Integrates to one: Σ exp(−E) ΔxΔy over a wide grid.
    const int res = 400;
    const double lo = -8, hi = 9, dx = (hi - lo) / res;
    Matd grid(2, res * res);
    for (int a = 0; a < res; ++a)
        for (int b = 0; b < res; ++b)
            grid.col(a * res + b) << lo + (a + 0.5) * dx, lo + (b + 0.5) * dx;
    const double mass =
        g.energy(grid).array().unaryExpr([](double e) { return std::exp(-e); }).sum() * dx * dx;
    QVERIFY2(std::abs(mass - 1.0) < 1e-6, qPrintable(QString::number(mass, 'g', 12)));
}

void TestAnalytic::mixtureIsStableFarAway() {
    Matd means(2, 2);
    means << -3, 3, 0, 0;
    Vecd sigmas(2), weights(2);
    sigmas << 0.1, 0.2;
    weights << 1, 1;
    GaussianMixtureEnergy<double> g(means, sigmas, weights);
    Matd X(2, 3);
    X << 1e3, -1e3, 0, 5e2, 0, 1e4;
    Rowd E;
    Matd G;
    g.energyAndGrad(X, E, G);
    QVERIFY(E.allFinite());
    QVERIFY(G.allFinite());
    // Far from both, the wider component dominates: ∇E ≈ (x − μ₂)/σ₂².
    QVERIFY(relErr(G.col(0), (X.col(0) - means.col(1)) / 0.04) < 1e-9);
    EnergyJet<double> jet;
    g.jet(X, axisDirections<double>(2, 3), jet);
    for (const auto& s : jet.second)
        QVERIFY(s.allFinite());
    float ef = GaussianMixtureEnergy<float>(means.cast<float>(), sigmas.cast<float>(), weights.cast<float>())
                   .energy(X.cast<float>())(2);
    QVERIFY(std::isfinite(ef));
}

void TestAnalytic::floatAgreesWithDouble() {
    Matd means(2, 2);
    means << -1, 2, 0, 1;
    Vecd sigmas(2), weights(2);
    sigmas << 0.5, 1.2;
    weights << 1, 3;
    GaussianMixtureEnergy<double> gd(means, sigmas, weights);
    GaussianMixtureEnergy<float> gf(means.cast<float>(), sigmas.cast<float>(), weights.cast<float>());
    const Matd X = randomBatch(2, 20, 5);
    Rowd Ed;
    Matd Gd;
    gd.energyAndGrad(X, Ed, Gd);
    Rowf Ef;
    Matf Gf;
    gf.energyAndGrad(X.cast<float>(), Ef, Gf);
    QVERIFY(relErr(Ef.cast<double>(), Ed) < 1e-5);
    QVERIFY(relErr(Gf.cast<double>(), Gd) < 1e-5);
}

void TestAnalytic::sumLossGradMatchesFiniteDifferences() {
    const int d = 2;
    const auto m = std::dynamic_pointer_cast<SumEnergy<double>>(makeModel("sum", d));
    QVERIFY(m);
    QCOMPARE(m->numParams(), Index(2 * (d + 1)));
    const Index n = 11;
    const Matd X = randomBatch(d, n, 21);
    const std::vector<Matd> dirs{randomBatch(d, n, 22, 1.0), randomBatch(d, n, 23, 1.0)};
    // A loss using every jet entry: Σ_i [ ½(u₁ᵀ∇E)² − u₂ᵀ∇²E u₂ + 0.1 E² + sin(u₂ᵀ∇E) − (u₁ᵀ∇²E u₁)²/8 ].
    auto lossOf = [](const EnergyJet<double>& j) {
        return (0.5 * j.first[0].array().square() - j.second[1].array() + 0.1 * j.energy.array().square() +
                j.first[1].array().sin() - j.second[0].array().square() / 8)
            .sum();
    };
    int calls = 0;
    const LossHead<double> head = [&](const EnergyJet<double>& j, Index, JetSeeds<double>& s) {
        ++calls;
        s.energy = 0.2 * j.energy;
        s.first = {j.first[0], j.first[1].array().cos().matrix()};
        s.second = {-j.second[0] / 4, Rowd::Constant(j.energy.size(), -1.0)};
        return lossOf(j);
    };
    Vecd grad = Vecd::Zero(m->numParams());
    const double loss = m->lossGrad(X, dirs, head, grad);
    QCOMPARE(calls, 1); // the head sees the summed jet once
    EnergyJet<double> j;
    m->jet(X, dirs, j);
    QVERIFY(std::abs(loss - lossOf(j)) < 1e-12 * (1 + std::abs(loss)));

    const Vecd theta0 = m->parameters();
    const double h = 1e-6;
    Vecd fd(theta0.size());
    for (Index p = 0; p < theta0.size(); ++p) {
        Vecd t = theta0;
        t(p) += h;
        m->setParameters(t);
        m->jet(X, dirs, j);
        const double lp = lossOf(j);
        t(p) -= 2 * h;
        m->setParameters(t);
        m->jet(X, dirs, j);
        fd(p) = (lp - lossOf(j)) / (2 * h);
    }
    m->setParameters(theta0);
    const double err = (grad - fd).norm() / (1 + fd.norm());
    QVERIFY2(err < 1e-7, qPrintable(QString("SumEnergy lossGrad vs finite differences: %1").arg(err)));

    // lossGrad adds into grad.
    Vecd twice = grad;
    m->lossGrad(X, dirs, head, twice);
    QVERIFY((twice - 2 * grad).norm() < 1e-12 * (1 + grad.norm()));
}

void TestAnalytic::sumParametersAndClone() {
    const auto m = makeModel("sum", 2);
    const Vecd theta = m->parameters();
    QCOMPARE(theta.size(), Index(6));
    QCOMPARE(theta(0), 0.7);  // first ParamEnergy's a
    QCOMPARE(theta(3), -0.3); // second ParamEnergy's a
    const auto c = m->clone();
    Vecd t2 = theta;
    t2(0) = 5;
    c->setParameters(t2);
    QCOMPARE(c->parameters()(0), 5.0);
    QCOMPARE(m->parameters()(0), 0.7); // the clone is deep
    const Matd X = randomBatch(2, 4, 1);
    QVERIFY(relErr(c->energy(X), m->energy(X)) > 1e-6);
    checkThrows([&] { m->setParameters(Vecd::Zero(5)); }, "expected 6");
}

void TestAnalytic::badShapesThrow() {
    for (const char* name : {"quadratic", "mixture", "sum"}) {
        const auto m = makeModel(name, 2);
        const Matd bad = Matd::Zero(3, 4), X = Matd::Zero(2, 4);
        Rowd E;
        Matd G;
        EnergyJet<double> jet;
        checkThrows([&] { m->energy(bad); }, "d x n with d = 2");
        checkThrows([&] { m->energyAndGrad(bad, E, G); }, "d x n with d = 2");
        checkThrows([&] { m->jet(bad, {}, jet); }, "d x n with d = 2");
        checkThrows([&] { m->jet(X, {Matd::Zero(2, 3)}, jet); }, "direction matrix 0");
        checkThrows([&] { m->laplacian(bad); }, "d = 2");
        Vecd g = Vecd::Zero(m->numParams() + 1);
        checkThrows(
            [&] {
                m->lossGrad(
                    X, {}, [](auto&, Index, auto&) { return 0.0; }, g);
            },
            "numParams()");
    }
    QuadraticEnergy<double> q(Matd::Identity(2, 2), Vecd::Zero(2));
    checkThrows([&] { q.setParameters(Vecd::Zero(1)); }, "no trainable parameters");
    q.setParameters(Vecd());
}

void TestAnalytic::badConstructorArgumentsThrow() {
    using Q = QuadraticEnergy<double>;
    using G = GaussianMixtureEnergy<double>;
    Matd asym(2, 2);
    asym << 1, 0.5, 0, 1;
    Matd indef(2, 2);
    indef << 1, 0, 0, -1;
    checkThrows([&] { Q(Matd::Zero(2, 3), Vecd::Zero(2)); }, "square");
    checkThrows([&] { Q(Matd(), Vecd()); }, "square");
    checkThrows([&] { Q(Matd::Identity(2, 2), Vecd::Zero(3)); }, "mean");
    checkThrows([&] { Q(asym, Vecd::Zero(2)); }, "symmetric");
    checkThrows([&] { Q(indef, Vecd::Zero(2)); }, "positive definite");
    checkThrows([&] { Q(Matd::Constant(2, 2, NAN), Vecd::Zero(2)); }, "finite");

    const Matd means = Matd::Zero(2, 2);
    checkThrows([&] { G(Matd(), Vecd(), Vecd()); }, "d x K");
    checkThrows([&] { G(means, Vecd::Ones(3), Vecd::Ones(2)); }, "one entry per component");
    checkThrows([&] { G(means, Vecd::Ones(2), Vecd::Ones(1)); }, "one entry per component");
    checkThrows([&] { G(means, Vecd::Zero(2), Vecd::Ones(2)); }, "sigma");
    checkThrows([&] { G(means, -Vecd::Ones(2), Vecd::Ones(2)); }, "sigma");
    checkThrows([&] { G(means, Vecd::Ones(2), -Vecd::Ones(2)); }, "weight");
    checkThrows([&] { G(means, Vecd::Ones(2), Vecd::Constant(2, NAN)); }, "weight");

    using SumE = SumEnergy<double>;
    checkThrows([&] { SumE({}); }, "at least one part");
    checkThrows([&] { SumE({makeModel("quadratic", 2), nullptr}); }, "null");
    checkThrows([&] { SumE({makeModel("quadratic", 2), makeModel("mixture", 3)}); }, "same dimension");
}

QTEST_MAIN(TestAnalytic)
#include "tst_analytic.moc"
