// Optimisers: Adam against a hand-computed reference, SGD with momentum against the closed form of its linear
// recurrence on a quadratic, clipping, weight decay, convergence on an ill-conditioned quadratic, state and
// options.
#include <QtTest>

#include <ebm/core/optimizer.h>

#include <cmath>
#include <complex>

using namespace ebm::core;

Q_DECLARE_METATYPE(ebm::core::OptimizerKind)

namespace {

OptimizerOptions opts(OptimizerKind k, float lr, float beta1 = 0.9f) {
    OptimizerOptions o;
    o.kind = k;
    o.learningRate = lr;
    o.beta1 = beta1;
    return o;
}

Vecf vec(std::initializer_list<float> v) {
    Vecf out(Index(v.size()));
    Index i = 0;
    for (float x : v)
        out(i++) = x;
    return out;
}

} // namespace

class TestOptimizer : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(".*")); }

    void adamMatchesHandComputedSteps();
    void weightDecayAddsToGradient_data();
    void weightDecayAddsToGradient();
    void sgdMomentumMatchesClosedForm_data();
    void sgdMomentumMatchesClosedForm();
    void clippingCapsTheGradientNorm_data();
    void clippingCapsTheGradientNorm();
    void minimisesIllConditionedQuadratic_data();
    void minimisesIllConditionedQuadratic();
    void stateRoundTrips_data();
    void stateRoundTrips();
    void setOptionsKeepsStateUnlessKindChanges();
    void optionsValidation_data();
    void optionsValidation();
    void namesAndSizes();
};

void TestOptimizer::adamMatchesHandComputedSteps() {
    // lr = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, θ₀ = (1, −2); gradients g₁ = (0.5, −1), g₂ = (1.5, 2), g₃ =
    // (−0.2, 0.4). Step 1: m̂ = g, v̂ = g², so θ moves by lr·sign(g): θ₁ = (0.9, −1.9). Step 2: m = 0.9·0.1·g₁
    // + 0.1·g₂ = (0.195, 0.11), m̂ = m/0.19 = (1.026316, 0.578947);
    //         v = 0.999·0.001·g₁² + 0.001·g₂² = (0.00249975, 0.004999), v̂ = v/0.001999 =
    //         (1.250500, 2.500750); Δ = 0.1·m̂/√v̂ = (0.091778, 0.036610): θ₂ = (0.808222, −1.936610).
    // Step 3: m = (0.1555, 0.139), m̂ = m/0.271 = (0.573801, 0.512915); v = (0.002537250, 0.005154001),
    //         v̂ = v/0.002997001 = (0.846596, 1.719719); Δ = (0.062363, 0.039112): θ₃ = (0.745859, −1.975723).
    OptimizerOptions o = opts(OptimizerKind::Adam, 0.1f);
    o.beta2 = 0.999f;
    o.epsilon = 1e-8f;
    const auto adam = makeOptimizer(o, 2);
    Vecf theta = vec({1.0f, -2.0f});
    const Vecf g[3] = {vec({0.5f, -1.0f}), vec({1.5f, 2.0f}), vec({-0.2f, 0.4f})};
    const double expected[3][2] = {{0.900000, -1.900000}, {0.808222, -1.936610}, {0.745859, -1.975723}};
    for (int t = 0; t < 3; ++t) {
        const float norm = adam->step(theta, g[t]);
        QCOMPARE(norm, g[t].norm());
        for (int i = 0; i < 2; ++i)
            QVERIFY2(std::abs(theta(i) - expected[t][i]) < 2e-6,
                     qPrintable(QString("step %1, θ%2 = %3, expected %4")
                                    .arg(t + 1)
                                    .arg(i)
                                    .arg(theta(i))
                                    .arg(expected[t][i])));
        QCOMPARE(adam->state().t, std::int64_t(t + 1));
    }
    QVERIFY(std::abs(adam->state().m(0) - 0.1555f) < 1e-6f);
    QVERIFY(std::abs(adam->state().v(1) - 0.005154001f) <
            1e-4f * 0.005154001f); // float β₂: 1 − β₂ is off by 1e-5
}

void TestOptimizer::weightDecayAddsToGradient_data() {
    QTest::addColumn<OptimizerKind>("kind");
    QTest::newRow("adam") << OptimizerKind::Adam;
    QTest::newRow("sgd") << OptimizerKind::Sgd;
}

void TestOptimizer::weightDecayAddsToGradient() {
    // With decay λ the update equals the plain update fed g + λθ.
    QFETCH(OptimizerKind, kind);
    OptimizerOptions o = opts(kind, 0.05f);
    o.weightDecay = 0.3f;
    OptimizerOptions plain = o;
    plain.weightDecay = 0;
    const auto a = makeOptimizer(o, 3), b = makeOptimizer(plain, 3);
    Vecf ta = vec({1, -2, 0.5f}), tb = ta;
    for (int t = 0; t < 5; ++t) {
        const Vecf g = vec({0.1f * t, -0.3f, 1.0f});
        a->step(ta, g);
        b->step(tb, Vecf(g + 0.3f * tb));
        QVERIFY((ta - tb).cwiseAbs().maxCoeff() < 1e-6f);
    }
}

void TestOptimizer::sgdMomentumMatchesClosedForm_data() {
    QTest::addColumn<double>("curvature"); // a in f(θ) = ½ a θ²
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("momentum");
    QTest::addColumn<double>("decay");
    QTest::newRow("real-roots") << 1.0 << 0.1 << 0.3 << 0.0;
    QTest::newRow("complex-roots") << 4.0 << 0.1 << 0.9 << 0.0;
    QTest::newRow("no-momentum") << 2.0 << 0.2 << 0.0 << 0.0;
    QTest::newRow("with-decay") << 1.5 << 0.1 << 0.5 << 0.5;
}

void TestOptimizer::sgdMomentumMatchesClosedForm() {
    // v_{t+1} = μ v_t + a' θ_t, θ_{t+1} = θ_t − η v_{t+1} (a' = a + λ) gives θ_{t+1} = (1 + μ − η a') θ_t − μ
    // θ_{t−1} with θ₁ = (1 − η a') θ₀: θ_t = c₁ r₁ᵗ + c₂ r₂ᵗ, r the roots of r² − (1 + μ − η a') r + μ = 0.
    QFETCH(double, curvature);
    QFETCH(double, lr);
    QFETCH(double, momentum);
    QFETCH(double, decay);
    OptimizerOptions o = opts(OptimizerKind::Sgd, float(lr), float(momentum));
    o.weightDecay = float(decay);
    const auto sgd = makeOptimizer(o, 1);
    const double a = curvature + decay, theta0 = 2.0;
    using C = std::complex<double>;
    const double tr = 1 + momentum - lr * a;
    const C disc = std::sqrt(C(tr * tr - 4 * momentum));
    const C r1 = (tr + disc) / 2.0, r2 = (tr - disc) / 2.0;
    const double theta1 = (1 - lr * a) * theta0;
    C c1, c2;
    if (std::abs(r1 - r2) > 1e-12) {
        c2 = (theta1 - r1 * theta0) / (r2 - r1);
        c1 = theta0 - c2;
    }
    auto closed = [&](int t) {
        if (std::abs(r1 - r2) <= 1e-12)
            return theta0 * std::pow(tr / 2, t) * (1 + t * (theta1 / (theta0 * tr / 2) - 1));
        return (c1 * std::pow(r1, t) + c2 * std::pow(r2, t)).real();
    };
    Vecf theta = Vecf::Constant(1, float(theta0));
    for (int t = 1; t <= 40; ++t) {
        const Vecf g = Vecf::Constant(1, float(curvature) * theta(0));
        sgd->step(theta, g);
        const double want = closed(t);
        QVERIFY2(std::abs(theta(0) - want) < 1e-5 * (1 + std::abs(theta0)),
                 qPrintable(QString("t = %1: θ = %2, closed form %3").arg(t).arg(theta(0)).arg(want)));
    }
}

void TestOptimizer::clippingCapsTheGradientNorm_data() {
    QTest::addColumn<OptimizerKind>("kind");
    QTest::addColumn<float>("clip");
    QTest::newRow("sgd-clipped") << OptimizerKind::Sgd << 1.0f;
    QTest::newRow("sgd-unclipped") << OptimizerKind::Sgd << 20.0f;
    QTest::newRow("sgd-off") << OptimizerKind::Sgd << 0.0f;
    QTest::newRow("adam-clipped") << OptimizerKind::Adam << 1.0f;
}

void TestOptimizer::clippingCapsTheGradientNorm() {
    QFETCH(OptimizerKind, kind);
    QFETCH(float, clip);
    OptimizerOptions o = opts(kind, 1.0f, 0.0f);
    o.clipNorm = clip;
    const auto opt = makeOptimizer(o, 3);
    Vecf theta = Vecf::Zero(3);
    const Vecf g = vec({6, 0, -8}); // norm 10
    const float norm = opt->step(theta, g);
    QCOMPARE(norm, 10.0f); // the norm before clipping
    const float applied = clip > 0 && clip < 10 ? clip : 10.0f;
    if (kind == OptimizerKind::Sgd) {
        // lr = 1, no momentum: the step is the applied gradient itself.
        QVERIFY(std::abs(theta.norm() - applied) < 1e-5f);
        QVERIFY((theta + g * (applied / 10.0f)).norm() < 1e-5f); // direction kept
    } else {
        QVERIFY((opt->state().m - g * (applied / 10.0f)).norm() < 1e-6f); // β₁ = 0: m₁ = g_clipped
    }
}

void TestOptimizer::minimisesIllConditionedQuadratic_data() {
    QTest::addColumn<OptimizerKind>("kind");
    QTest::addColumn<float>("lr");
    QTest::addColumn<float>("beta1");
    QTest::addColumn<int>("steps");
    QTest::newRow("adam") << OptimizerKind::Adam << 0.05f << 0.9f << 3000;
    QTest::newRow("sgd-momentum") << OptimizerKind::Sgd << 0.009f << 0.9f << 800;
    QTest::newRow("sgd-plain") << OptimizerKind::Sgd << 0.009f << 0.0f << 8000;
}

void TestOptimizer::minimisesIllConditionedQuadratic() {
    // f(θ) = ½ Σ a_i (θ_i − c_i)², curvatures 1..100 (condition number 100).
    QFETCH(OptimizerKind, kind);
    QFETCH(float, lr);
    QFETCH(float, beta1);
    QFETCH(int, steps);
    const int n = 8;
    Vecf a(n), c(n);
    for (int i = 0; i < n; ++i) {
        a(i) = std::pow(100.0f, float(i) / float(n - 1));
        c(i) = float(i % 3) - 1.0f;
    }
    auto f = [&](const Vecf& t) { return 0.5f * (a.array() * (t - c).array().square()).sum(); };
    OptimizerOptions o = opts(kind, lr, beta1);
    const auto opt = makeOptimizer(o, n);
    Vecf theta = Vecf::Constant(n, 3.0f);
    const float f0 = f(theta);
    for (int t = 0; t < steps; ++t)
        opt->step(theta, Vecf(a.cwiseProduct(theta - c)));
    const float f1 = f(theta);
    QVERIFY2(f1 < 1e-6f * f0, qPrintable(QString("f went from %1 to %2").arg(f0).arg(f1)));
    QVERIFY((theta - c).cwiseAbs().maxCoeff() < 1e-2f);
}

void TestOptimizer::stateRoundTrips_data() {
    QTest::addColumn<OptimizerKind>("kind");
    QTest::newRow("adam") << OptimizerKind::Adam;
    QTest::newRow("sgd") << OptimizerKind::Sgd;
}

void TestOptimizer::stateRoundTrips() {
    QFETCH(OptimizerKind, kind);
    const OptimizerOptions o = opts(kind, 0.01f);
    const auto a = makeOptimizer(o, 4);
    Vecf theta = vec({1, 2, 3, 4});
    for (int t = 0; t < 5; ++t)
        a->step(theta, Vecf(theta * 0.5f + Vecf::Constant(4, float(t))));
    const OptimizerState s = a->state();
    QCOMPARE(s.t, std::int64_t(5));
    QCOMPARE(s.m.size(), Index(4));
    QCOMPARE(s.v.size(), Index(4));

    // A fresh optimiser given the state continues bit-identically.
    const auto b = makeOptimizer(o, 4);
    b->setState(s);
    QCOMPARE(b->state().t, s.t);
    QVERIFY(b->state().m == s.m && b->state().v == s.v);
    Vecf ta = theta, tb = theta;
    const Vecf g = vec({0.3f, -0.1f, 0.2f, 5.0f});
    a->step(ta, g);
    b->step(tb, g);
    QVERIFY(ta == tb);

    OptimizerState bad = s;
    bad.m = Vecf::Zero(3);
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, b->setState(bad));
    bad = s;
    bad.v = Vecf::Zero(5);
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, b->setState(bad));
    bad = s;
    bad.t = -1;
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, b->setState(bad));
    QCOMPARE(b->state().t, std::int64_t(6)); // a failed setState changes nothing

    b->reset();
    QCOMPARE(b->state().t, std::int64_t(0));
    QVERIFY(b->state().m.isZero() && b->state().v.isZero());
    QCOMPARE(b->state().m.size(), Index(4));

    Vecf wrong = Vecf::Zero(3);
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, b->step(wrong, g));
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, b->step(theta, Vecf(Vecf::Zero(5))));
}

void TestOptimizer::setOptionsKeepsStateUnlessKindChanges() {
    const auto opt = makeOptimizer(opts(OptimizerKind::Adam, 0.01f), 2);
    Vecf theta = vec({1, 1});
    opt->step(theta, vec({1, -1}));
    OptimizerOptions o = opt->options();
    o.learningRate = 0.5f;
    opt->setOptions(o);
    QCOMPARE(opt->options().learningRate, 0.5f);
    QCOMPARE(opt->state().t, std::int64_t(1));
    o.kind = OptimizerKind::Sgd;
    opt->setOptions(o);
    QCOMPARE(opt->options().kind, OptimizerKind::Sgd);
    QCOMPARE(opt->state().t, std::int64_t(0));
    o.learningRate = -1;
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, opt->setOptions(o));
    QCOMPARE(opt->options().learningRate, 0.5f);
}

void TestOptimizer::optionsValidation_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<float>("value");
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    auto row = [](const char* f, float v) {
        QTest::newRow(qPrintable(QString("%1=%2").arg(f).arg(v))) << QString(f) << v;
    };
    for (float v : {0.0f, -1e-3f, nan, inf})
        row("learningRate", v);
    for (float v : {-0.1f, 1.0f, 1.5f, nan})
        row("beta1", v);
    for (float v : {-0.1f, 1.0f, nan})
        row("beta2", v);
    for (float v : {0.0f, -1e-8f, nan, inf})
        row("epsilon", v);
    for (float v : {-0.1f, nan, inf})
        row("weightDecay", v);
    for (float v : {-1.0f, nan, inf})
        row("clipNorm", v);
}

void TestOptimizer::optionsValidation() {
    QFETCH(QString, field);
    QFETCH(float, value);
    OptimizerOptions o;
    o.validate();
    if (field == "learningRate") o.learningRate = value;
    if (field == "beta1") o.beta1 = value;
    if (field == "beta2") o.beta2 = value;
    if (field == "epsilon") o.epsilon = value;
    if (field == "weightDecay") o.weightDecay = value;
    if (field == "clipNorm") o.clipNorm = value;
    try {
        o.validate();
        QFAIL("expected InvalidArgument");
    } catch (const InvalidArgument& e) {
        QVERIFY2(QString(e.what()).contains(field), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, makeOptimizer(o, 3));
}

void TestOptimizer::namesAndSizes() {
    QCOMPARE(optimizerKindName(OptimizerKind::Adam), std::string("adam"));
    QCOMPARE(optimizerKindName(OptimizerKind::Sgd), std::string("sgd"));
    QCOMPARE(parseOptimizerKind("adam"), OptimizerKind::Adam);
    QCOMPARE(parseOptimizerKind("sgd"), OptimizerKind::Sgd);
    try {
        parseOptimizerKind("rmsprop");
        QFAIL("expected InvalidArgument");
    } catch (const InvalidArgument& e) {
        QVERIFY2(QString(e.what()).contains("adam, sgd"), e.what());
    }
    QVERIFY_THROWS_EXCEPTION(InvalidArgument, makeOptimizer(OptimizerOptions{}, -1));
    const auto empty = makeOptimizer(OptimizerOptions{}, 0);
    Vecf theta;
    QCOMPARE(empty->step(theta, Vecf()), 0.0f);
}

QTEST_MAIN(TestOptimizer)
#include "tst_optimizer.moc"
