// Finite-difference checks of every MLP derivative and every loss gradient (double precision).
#include <ebm/core/losses.h>
#include <ebm/core/mlp.h>
#include <ebm/core/parallel.h>

#include <QtTest>
#include <thread>

using namespace ebm::core;
Q_DECLARE_METATYPE(ebm::core::Activation)

namespace {
Mlp<double> makeNet(Activation act, std::vector<int> hidden = {7, 5}, std::uint64_t seed = 3) {
    MlpOptions o;
    o.hidden = hidden;
    o.activation = act;
    Rng rng(seed);
    return Mlp<double>(o, rng);
}

Matd randomBatch(Index d, Index n, std::uint64_t seed, double scale = 1.5) {
    Rng rng(seed);
    Matd X(d, n);
    fillNormal(X, rng);
    return X * scale;
}

double relErr(double a, double b) {
    return std::abs(a - b) / std::max({1e-6, std::abs(a), std::abs(b)});
}

void addActivationRows() {
    QTest::addColumn<Activation>("act");
    QTest::newRow("silu") << Activation::SiLU;
    QTest::newRow("softplus") << Activation::Softplus;
    QTest::newRow("tanh") << Activation::Tanh;
}

// Central differences in θ of a loss(θ) functional vs an analytic gradient.
template <typename LossFn> void checkParamGradient(Mlp<double>& net, LossFn loss, double tol = 1e-6) {
    Vecd grad = Vecd::Zero(net.numParams());
    const double l0 = loss(net, grad);
    QVERIFY(std::isfinite(l0));
    const Vecd theta = net.parameters();
    const double h = 1e-5;
    double worst = 0;
    for (Index i = 0; i < theta.size(); ++i) {
        Vecd tp = theta, tm = theta;
        tp(i) += h;
        tm(i) -= h;
        Vecd dummy = Vecd::Zero(net.numParams());
        net.setParameters(tp);
        const double lp = loss(net, dummy);
        net.setParameters(tm);
        const double lm = loss(net, dummy);
        const double fd = (lp - lm) / (2 * h);
        const double err = std::abs(fd - grad(i)) / std::max(1e-3, std::abs(fd) + std::abs(grad(i)));
        worst = std::max(worst, err);
    }
    net.setParameters(theta);
    QVERIFY2(worst < 1e-4,
             qPrintable(QString("worst relative error of dLoss/dθ vs finite differences: %1").arg(worst)));
}
// The default net (2-128-128-1) and a batch of 512 standard-normal points, both from one seeded generator.
struct NetAndBatch {
    Mlp<float> net;
    Matf X;
};
NetAndBatch defaultNetAndBatch(std::uint64_t seed) {
    Rng rng(seed);
    Mlp<float> net(MlpOptions{}, rng);
    Matf X(2, 512);
    fillNormal(X, rng);
    return {std::move(net), std::move(X)};
}

// The gradient of exact SM on X (and its loss), on the calling thread's thread count.
Vecf smGradient(const Mlp<float>& net, const Matf& X, float* loss = nullptr) {
    Vecf g = Vecf::Zero(net.numParams());
    const float l = exactScoreMatchingLoss<float>(net, X, g);
    if (loss) *loss = l;
    return g;
}
} // namespace

class TestMlp : public QObject {
    Q_OBJECT
private slots:
    void init() { setThreadCount(0); }

    void gradientMatchesFiniteDifferences_data() { addActivationRows(); }
    void gradientMatchesFiniteDifferences() {
        QFETCH(Activation, act);
        const auto net = makeNet(act);
        const Matd X = randomBatch(2, 9, 11);
        Rowd E;
        Matd G;
        net.energyAndGrad(X, E, G);
        QVERIFY(E.isApprox(net.energy(X), 1e-14));
        const double h = 1e-6;
        for (int k = 0; k < 2; ++k) {
            Matd Xp = X, Xm = X;
            Xp.row(k).array() += h;
            Xm.row(k).array() -= h;
            const Rowd fd = (net.energy(Xp) - net.energy(Xm)) / (2 * h);
            for (Index i = 0; i < X.cols(); ++i)
                QVERIFY2(relErr(fd(i), G(k, i)) < 1e-6, "∇ₓE differs from FD");
        }
    }

    void jetMatchesFiniteDifferences_data() { addActivationRows(); }
    void jetMatchesFiniteDifferences() {
        QFETCH(Activation, act);
        const auto net = makeNet(act);
        const Matd X = randomBatch(2, 8, 12);
        const Matd U = randomBatch(2, 8, 13, 1.0);
        EnergyJet<double> jet;
        net.jet(X, {U}, jet);
        const double h = 1e-4;
        const Rowd e0 = net.energy(X), ep = net.energy(X + h * U), em = net.energy(X - h * U);
        const Rowd fd1 = (ep - em) / (2 * h);
        const Rowd fd2 = (ep - 2 * e0 + em) / (h * h);
        for (Index i = 0; i < X.cols(); ++i) {
            QVERIFY(relErr(jet.energy(i), e0(i)) < 1e-12);
            QVERIFY2(
                std::abs(jet.first[0](i) - fd1(i)) < 1e-7 * std::max(1.0, std::abs(fd1(i))),
                qPrintable(
                    QString("uᵀ∇E %1 vs FD %2").arg(jet.first[0](i), 0, 'g', 12).arg(fd1(i), 0, 'g', 12)));
            QVERIFY2(std::abs(jet.second[0](i) - fd2(i)) < 1e-5 * std::max(1.0, std::abs(fd2(i))),
                     qPrintable(QString("uᵀ∇²Eu %1 vs FD %2").arg(jet.second[0](i)).arg(fd2(i))));
        }
        // Laplacian = trace of the Hessian, from FD of the gradient.
        const Rowd lap = net.laplacian(X);
        Rowd fdLap = Rowd::Zero(X.cols());
        for (int k = 0; k < 2; ++k) {
            Matd Xp = X, Xm = X;
            Xp.row(k).array() += h;
            Xm.row(k).array() -= h;
            Rowd Ep, Em;
            Matd Gp, Gm;
            net.energyAndGrad(Xp, Ep, Gp);
            net.energyAndGrad(Xm, Em, Gm);
            fdLap += (Gp.row(k) - Gm.row(k)) / (2 * h);
        }
        for (Index i = 0; i < X.cols(); ++i)
            QVERIFY2(std::abs(lap(i) - fdLap(i)) < 1e-6 * std::max(1.0, std::abs(lap(i))), "Laplacian");
    }

    void lossGradients_data() {
        QTest::addColumn<Activation>("act");
        QTest::addColumn<QString>("loss");
        for (auto [name, act] :
             {std::pair{"silu", Activation::SiLU}, std::pair{"softplus", Activation::Softplus},
              std::pair{"tanh", Activation::Tanh}})
            for (const char* l : {"cd", "sm", "ssm", "ssm-vr", "dsm", "nce"})
                QTest::newRow(qPrintable(QString("%1/%2").arg(name, l))) << act << QString(l);
    }
    void lossGradients() {
        QFETCH(Activation, act);
        QFETCH(QString, loss);
        auto net = makeNet(act, {6, 5});
        const Matd X = randomBatch(2, 10, 21);
        const Matd Y = randomBatch(2, 7, 22, 2.0);
        const Matd V = randomBatch(2, 10, 23, 1.0);
        const Rowd lq = -0.5 * Y.colwise().squaredNorm().array() - 2.0;
        const Rowd lqx = -0.5 * X.colwise().squaredNorm().array() - 2.0;
        auto fn = [&](const Mlp<double>& m, Vecd& g) -> double {
            if (loss == "cd") return cdLoss<double>(m, X, Y, 0.3, g);
            if (loss == "sm") return exactScoreMatchingLoss<double>(m, X, g);
            if (loss == "ssm") return slicedScoreMatchingLoss<double>(m, X, V, false, g);
            if (loss == "ssm-vr") return slicedScoreMatchingLoss<double>(m, X, V, true, g);
            if (loss == "dsm") return denoisingScoreMatchingLoss<double>(m, X + 0.2 * V, V, 0.2, g);
            double gc = 0;
            return nceLoss<double>(m, X, lqx, Y, lq, 0.7, 0.4, g, gc);
        };
        checkParamGradient(net, fn);
    }

    void deepNetsAndWiderInputs_data() {
        // The batched passes work on tiles of 8 columns, take a coefficient-based first-layer product for
        // inputs of up to 4 dimensions (a GEMM above) and skip the first layer's zero second-order
        // tangents: 19 columns (two full tiles and a partial one), three hidden layers (a middle layer
        // between the first and the last), 3 and 6 inputs, every loss, every activation.
        QTest::addColumn<Activation>("act");
        QTest::addColumn<int>("dim");
        QTest::addColumn<QString>("loss");
        for (auto [name, act] :
             {std::pair{"silu", Activation::SiLU}, std::pair{"softplus", Activation::Softplus},
              std::pair{"tanh", Activation::Tanh}})
            for (int dim : {3, 6})
                for (const char* l : {"grad", "jet", "cd", "sm", "ssm-vr", "dsm", "nce"})
                    QTest::newRow(qPrintable(QString("%1/d%2/%3").arg(name).arg(dim).arg(l)))
                        << act << dim << QString(l);
    }
    void deepNetsAndWiderInputs() {
        QFETCH(Activation, act);
        QFETCH(int, dim);
        QFETCH(QString, loss);
        MlpOptions o;
        o.inputDim = dim;
        o.hidden = {6, 5, 4};
        o.activation = act;
        Rng rng(7);
        Mlp<double> net(o, rng);
        const Matd X = randomBatch(dim, 19, 61);
        const Matd V = randomBatch(dim, 19, 62, 1.0);
        if (loss == "grad") {
            Rowd E;
            Matd G;
            net.energyAndGrad(X, E, G);
            QVERIFY(E.isApprox(net.energy(X), 1e-14));
            const double h = 1e-6;
            for (int k = 0; k < dim; ++k) {
                Matd Xp = X, Xm = X;
                Xp.row(k).array() += h;
                Xm.row(k).array() -= h;
                const Rowd fd = (net.energy(Xp) - net.energy(Xm)) / (2 * h);
                for (Index i = 0; i < X.cols(); ++i)
                    QVERIFY2(std::abs(fd(i) - G(k, i)) < 1e-6 * std::max(1.0, std::abs(fd(i))),
                             qPrintable(QString("∂E/∂x%1 %2 vs FD %3").arg(k).arg(G(k, i)).arg(fd(i))));
            }
            return;
        }
        if (loss == "jet") {
            // Two directions, second order along both (and along the first only: the secondOrder cut).
            for (int second : {-1, 1}) {
                EnergyJet<double> jet;
                net.jet(X, {V, X}, jet, second);
                QCOMPARE(int(jet.second.size()), second < 0 ? 2 : 1);
                const double h = 1e-4;
                for (size_t k = 0; k < 2; ++k) {
                    const Matd& U = k == 0 ? V : X;
                    const Rowd e0 = net.energy(X), ep = net.energy(X + h * U), em = net.energy(X - h * U);
                    for (Index i = 0; i < X.cols(); ++i) {
                        QVERIFY(relErr(jet.energy(i), e0(i)) < 1e-12);
                        const double fd1 = (ep(i) - em(i)) / (2 * h),
                                     fd2 = (ep(i) - 2 * e0(i) + em(i)) / (h * h);
                        QVERIFY2(std::abs(jet.first[k](i) - fd1) < 1e-7 * std::max(1.0, std::abs(fd1)),
                                 qPrintable(QString("uᵀ∇E %1 vs FD %2").arg(jet.first[k](i)).arg(fd1)));
                        if (k < jet.second.size())
                            QVERIFY2(
                                std::abs(jet.second[k](i) - fd2) < 1e-5 * std::max(1.0, std::abs(fd2)),
                                qPrintable(QString("uᵀ∇²Eu %1 vs FD %2").arg(jet.second[k](i)).arg(fd2)));
                    }
                }
            }
            return;
        }
        const Matd Y = randomBatch(dim, 13, 63, 2.0);
        const Rowd lq = -0.5 * Y.colwise().squaredNorm().array() - 2.0;
        const Rowd lqx = -0.5 * X.colwise().squaredNorm().array() - 2.0;
        auto fn = [&](const Mlp<double>& m, Vecd& g) -> double {
            if (loss == "cd") return cdLoss<double>(m, X, Y, 0.3, g);
            if (loss == "sm") return exactScoreMatchingLoss<double>(m, X, g);
            if (loss == "ssm-vr") return slicedScoreMatchingLoss<double>(m, X, V, true, g);
            if (loss == "dsm") return denoisingScoreMatchingLoss<double>(m, X + 0.2 * V, V, 0.2, g);
            double gc = 0;
            return nceLoss<double>(m, X, lqx, Y, lq, 0.7, 0.4, g, gc);
        };
        checkParamGradient(net, fn);
    }

    void nceGradientInLogZ() {
        auto net = makeNet(Activation::SiLU);
        const Matd X = randomBatch(2, 10, 31), Y = randomBatch(2, 20, 32, 2.0);
        const Rowd lqx = -0.5 * X.colwise().squaredNorm().array(),
                   lqy = -0.5 * Y.colwise().squaredNorm().array();
        auto at = [&](double c, double& gc) {
            Vecd g = Vecd::Zero(net.numParams());
            return nceLoss<double>(net, X, lqx, Y, lqy, 2.0, c, g, gc);
        };
        double gc = 0, dummy = 0;
        at(0.3, gc);
        const double h = 1e-6;
        const double fd = (at(0.3 + h, dummy) - at(0.3 - h, dummy)) / (2 * h);
        QVERIFY2(relErr(fd, gc) < 1e-6, qPrintable(QString("dL/dc %1 vs FD %2").arg(gc).arg(fd)));
    }

    void lossValuesMatchDefinitions() {
        // The losses equal their textbook formulas computed from E, ∇E and ΔE directly.
        auto net = makeNet(Activation::SiLU);
        const Matd X = randomBatch(2, 12, 41);
        Rowd E;
        Matd G;
        net.energyAndGrad(X, E, G);
        const Rowd lap = net.laplacian(X);
        Vecd g = Vecd::Zero(net.numParams());
        const double sm = exactScoreMatchingLoss<double>(net, X, g);
        const double ref = (0.5 * G.colwise().squaredNorm().array() - lap.array()).mean();
        QVERIFY(relErr(sm, ref) < 1e-12);
        const Matd N = randomBatch(2, 12, 42, 1.0);
        g.setZero();
        const double dsm = denoisingScoreMatchingLoss<double>(net, X, N, 0.3, g);
        QVERIFY(relErr(dsm, 0.5 * (0.3 * G - N).colwise().squaredNorm().mean()) < 1e-12);
    }

    void threadedMatchesSingleThreaded() {
        // Splitting the batch across threads changes only the summation order.
        const auto [net, X] = defaultNetAndBatch(5);
        setThreadCount(1);
        float l1 = 0, l2 = 0;
        const Vecf g1 = smGradient(net, X, &l1);
        const Rowf e1 = net.energy(X);
        setThreadCount(2);
        const Vecf g2 = smGradient(net, X, &l2);
        QCOMPARE(net.energy(X), e1); // per-column work: identical bits
        QVERIFY(std::abs(l1 - l2) < 1e-5f * std::max(1.0f, std::abs(l1)));
        QVERIFY((g1 - g2).norm() < 1e-4f * std::max(1.0f, g1.norm()));
        QCOMPARE(smGradient(net, X), g2); // same thread count: same bits
    }

    void aThreadsOwnCountSplitsOnlyItsBatches() {
        // setThreadCountForThisThread: a thread (the image window's trainer) splits its batches by its own
        // count, with the bits of the process count set to it, while other threads keep the process's.
        const auto [net, X] = defaultNetAndBatch(6);
        setThreadCount(3);
        const Vecf g3 = smGradient(net, X);
        setThreadCount(1);
        const Vecf g1 = smGradient(net, X);
        QVERIFY(g1 != g3); // the split changes the summation order
        Vecf gOwn;
        int ownCount = 0, ownChunks = 0;
        std::thread t([&] {
            setThreadCountForThisThread(3);
            ownCount = threadCount();
            ownChunks = chunkCount(512, 32);
            gOwn = smGradient(net, X);
        });
        t.join();
        QCOMPARE(ownCount, 3);
        QCOMPARE(ownChunks, 3);
        QCOMPARE(gOwn, g3);
        QCOMPARE(threadCount(), 1); // this thread: the process's count
        QCOMPARE(chunkCount(512, 32), 1);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, setThreadCountForThisThread(-1));
    }

    void floatAgreesWithDouble() {
        const auto netd = makeNet(Activation::SiLU, {128, 128});
        const auto netf = netd.cast<float>();
        const Matd X = randomBatch(2, 64, 51);
        const Rowd ed = netd.energy(X);
        const Rowf ef = netf.energy(X.cast<float>());
        QVERIFY((ed.cast<float>() - ef).cwiseAbs().maxCoeff() <
                1e-4f * std::max(1.0, ed.cwiseAbs().maxCoeff()));
    }

    void badInputIsRejected() {
        MlpOptions o;
        o.hidden = {};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Mlp<float>{o});
        o.hidden = {0};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, Mlp<float>{o});
        const auto net = makeNet(Activation::SiLU);
        try {
            net.energy(Matd::Zero(3, 4));
            QFAIL("a 3-row batch must be rejected by a 2D model");
        } catch (const InvalidArgument& e) {
            QVERIFY(QString(e.what()).contains("one sample per column"));
        }
        Mlp<double> copy = net;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, copy.setParameters(Vecd::Zero(3)));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, parseActivation("relu"));
    }
};

QTEST_MAIN(TestMlp)
#include "tst_mlp.moc"
