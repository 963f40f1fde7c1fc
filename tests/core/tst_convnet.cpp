// The conv-net energy and the high-dimensional score-matching losses: every derivative against central
// finite differences in double precision, and the *Hd losses against losses.h's versions.
#include <ebm/core/convnet.h>
#include <ebm/core/imagelosses.h>
#include <ebm/core/losses.h>
#include <ebm/core/parallel.h>

#include <QtTest>

using namespace ebm::core;
Q_DECLARE_METATYPE(ebm::core::Activation)

namespace {
ConvNetOptions smallOptions(Activation act) {
    ConvNetOptions o;
    o.width = 5;
    o.height = 6;
    o.layers = {{3, 1}, {4, 2}, {2, 1}};
    o.activation = act;
    return o;
}

ConvNet<double> makeNet(Activation act, std::uint64_t seed = 5) {
    Rng rng(seed);
    return ConvNet<double>(smallOptions(act), rng);
}

Matd randomBatch(Index d, Index n, std::uint64_t seed) {
    Rng rng(seed);
    Matd X(d, n);
    fillUniform(X, rng);
    return X;
}

void addActivationRows() {
    QTest::addColumn<Activation>("act");
    QTest::newRow("silu") << Activation::SiLU;
    QTest::newRow("softplus") << Activation::Softplus;
    QTest::newRow("tanh") << Activation::Tanh;
}

// Worst relative error of an analytic θ-gradient against central differences of loss(θ).
template <typename LossFn> double paramGradientError(EnergyModel<double>& net, LossFn loss) {
    Vecd grad = Vecd::Zero(net.numParams());
    loss(net, grad);
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
        worst = std::max(worst, std::abs(fd - grad(i)) / std::max(1e-3, std::abs(fd) + std::abs(grad(i))));
    }
    net.setParameters(theta);
    return worst;
}
} // namespace

class TestConvNet : public QObject {
    Q_OBJECT
private slots:
    void init() { setThreadCount(0); }

    void geometryAndParameterCount() {
        const auto net = makeNet(Activation::SiLU);
        const auto& g = net.geometry();
        QCOMPARE(int(g.size()), 3);
        QCOMPARE(g[1].outW, 3); // stride 2, padding 1: (5 − 1)/2 + 1
        QCOMPARE(g[1].outH, 3);
        // (9·1·3 + 3) + (9·3·4 + 4) + (9·4·2 + 2) + (3·3·2 + 1)
        QCOMPARE(net.numParams(), Index(30 + 112 + 74 + 19));
        QCOMPARE(net.dim(), 30);
    }

    void inputGradientMatchesFiniteDifferences_data() { addActivationRows(); }
    void inputGradientMatchesFiniteDifferences() {
        QFETCH(Activation, act);
        const auto net = makeNet(act);
        const Matd X = randomBatch(30, 7, 11);
        Rowd E;
        Matd G;
        net.energyAndGrad(X, E, G);
        QVERIFY(E.isApprox(net.energy(X), 1e-13));
        const double h = 1e-6;
        double worst = 0;
        for (Index i = 0; i < X.rows(); ++i) {
            Matd Xp = X, Xm = X;
            Xp.row(i).array() += h;
            Xm.row(i).array() -= h;
            const Rowd fd = (net.energy(Xp) - net.energy(Xm)) / (2 * h);
            for (Index j = 0; j < X.cols(); ++j)
                worst = std::max(worst, std::abs(fd(j) - G(i, j)) / std::max(1e-2, std::abs(G(i, j))));
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString("worst relative error %1").arg(worst)));
    }

    void jetMatchesFiniteDifferences_data() { addActivationRows(); }
    void jetMatchesFiniteDifferences() {
        QFETCH(Activation, act);
        const auto net = makeNet(act);
        const Matd X = randomBatch(30, 6, 12);
        const Matd U = randomBatch(30, 6, 13).array() - 0.5;
        EnergyJet<double> jet;
        net.jet(X, {U}, jet);
        Rowd E;
        Matd G;
        net.energyAndGrad(X, E, G);
        QVERIFY(jet.energy.isApprox(E, 1e-12));
        const Rowd first = (U.array() * G.array()).colwise().sum();
        QVERIFY(jet.first[0].isApprox(first, 1e-12));
        // uᵀ∇²E u by central differences of uᵀ∇E along u.
        const double h = 1e-5;
        Rowd Ep, Em;
        Matd Gp, Gm;
        net.energyAndGrad(X + h * U, Ep, Gp);
        net.energyAndGrad(X - h * U, Em, Gm);
        const Rowd fd = ((U.array() * (Gp - Gm).array()).colwise().sum() / (2 * h)).matrix();
        for (Index j = 0; j < X.cols(); ++j)
            QVERIFY2(std::abs(fd(j) - jet.second[0](j)) < 1e-6 * std::max(1.0, std::abs(fd(j))),
                     qPrintable(QString("sample %1: %2 vs %3").arg(j).arg(fd(j)).arg(jet.second[0](j))));
    }

    void lossGradientsMatchFiniteDifferences_data() { addActivationRows(); }
    void lossGradientsMatchFiniteDifferences() {
        QFETCH(Activation, act);
        auto net = makeNet(act);
        const Matd X = randomBatch(30, 6, 21), Y = randomBatch(30, 5, 22);
        Rng rng(23);
        Matd V(30, 6), N(30, 6);
        fillNormal(V, rng);
        fillNormal(N, rng);
        const double cd = paramGradientError(
            net, [&](const EnergyModel<double>& m, Vecd& g) { return cdLoss<double>(m, X, Y, 0.3, g); });
        QVERIFY2(cd < 1e-5, qPrintable(QString("cd: %1").arg(cd)));
        const double ssm = paramGradientError(net, [&](const EnergyModel<double>& m, Vecd& g) {
            return slicedScoreMatchingLoss<double>(m, X, V, false, g);
        });
        QVERIFY2(ssm < 1e-5, qPrintable(QString("ssm: %1").arg(ssm)));
        const double ssmHd = paramGradientError(net, [&](const EnergyModel<double>& m, Vecd& g) {
            return slicedScoreMatchingLossHd<double>(m, X, V, g);
        });
        QVERIFY2(ssmHd < 1e-5, qPrintable(QString("ssm (hd): %1").arg(ssmHd)));
        const double dsm = paramGradientError(net, [&](const EnergyModel<double>& m, Vecd& g) {
            return denoisingScoreMatchingLossHd<double>(m, X + 0.1 * N, N, 0.1, g);
        });
        QVERIFY2(dsm < 1e-5, qPrintable(QString("dsm (hd): %1").arg(dsm)));
        const Rowd lq = Rowd::Constant(6, -3.0), lqn = Rowd::Constant(5, -2.0);
        const double nce = paramGradientError(net, [&](const EnergyModel<double>& m, Vecd& g) {
            double gc = 0;
            return nceLoss<double>(m, X, lq, Y, lqn, 1.0, 0.2, g, gc);
        });
        QVERIFY2(nce < 1e-5, qPrintable(QString("nce: %1").arg(nce)));
    }

    // The one-extra-pass losses equal losses.h's axis-direction versions (on a 3-D MLP, where both run).
    void highDimensionalLossesMatchReference() {
        MlpOptions o;
        o.inputDim = 3;
        o.hidden = {6, 5};
        Rng rng(31);
        const Mlp<double> mlp(o, rng);
        Matd X(3, 8), V(3, 8), N(3, 8);
        fillNormal(X, rng);
        fillNormal(V, rng);
        fillNormal(N, rng);
        Vecd g1 = Vecd::Zero(mlp.numParams()), g2 = g1;
        const double a = slicedScoreMatchingLoss<double>(mlp, X, V, true, g1);
        const double b = slicedScoreMatchingLossHd<double>(mlp, X, V, g2);
        QVERIFY(std::abs(a - b) < 1e-12 * std::max(1.0, std::abs(a)));
        QVERIFY(g1.isApprox(g2, 1e-11));
        g1.setZero();
        g2.setZero();
        const double c = denoisingScoreMatchingLoss<double>(mlp, X + 0.2 * N, N, 0.2, g1);
        const double d = denoisingScoreMatchingLossHd<double>(mlp, X + 0.2 * N, N, 0.2, g2);
        QVERIFY(std::abs(c - d) < 1e-12 * std::max(1.0, std::abs(c)));
        QVERIFY(g1.isApprox(g2, 1e-11));
    }

    void threadCountDoesNotChangeResults() {
        Rng rng(41);
        ConvNetOptions o;
        const ConvNet<float> net(o, rng); // default 16 x 16, 3 layers
        Matf X(256, 40);
        fillUniform(X, rng);
        setThreadCount(1);
        Rowf E1;
        Matf G1;
        net.energyAndGrad(X, E1, G1);
        Vecf g1 = Vecf::Zero(net.numParams());
        cdLoss<float>(net, X.leftCols(20), X.rightCols(20), 0.1f, g1);
        setThreadCount(2);
        Rowf E2;
        Matf G2;
        net.energyAndGrad(X, E2, G2);
        Vecf g2 = Vecf::Zero(net.numParams());
        cdLoss<float>(net, X.leftCols(20), X.rightCols(20), 0.1f, g2);
        QVERIFY(E1.isApprox(E2, 1e-5f));
        QVERIFY(G1.isApprox(G2, 1e-5f));
        QVERIFY(g1.isApprox(g2, 1e-4f));
    }

    // The default 16 x 16 net in double on batches that span several blocks and chunks: energies and input
    // gradients equal those of each image alone, ∇ₓE matches central differences, energy() agrees, and
    // every thread count gives the same energies and gradients.
    void blocksAndChunksMatchSingleImagesAndFiniteDifferences() {
        Rng rng(61);
        const ConvNet<double> net(ConvNetOptions{}, rng);
        const Matd X = randomBatch(256, 21, 62);
        Rowd Eref;
        Matd Gref;
        for (int threads : {1, 2, 3}) {
            setThreadCount(threads);
            Rowd E;
            Matd G;
            net.energyAndGrad(X, E, G);
            QVERIFY(E.isApprox(net.energy(X), 1e-13));
            for (Index j = 0; j < X.cols(); ++j) {
                Rowd e1;
                Matd g1;
                net.energyAndGrad(X.col(j), e1, g1);
                QVERIFY2(std::abs(e1(0) - E(j)) < 1e-13 * std::max(1.0, std::abs(E(j))),
                         qPrintable(QString("image %1").arg(j)));
                QVERIFY2(g1.col(0).isApprox(G.col(j), 1e-12), qPrintable(QString("image %1").arg(j)));
            }
            if (threads == 1) {
                Eref = E;
                Gref = G;
            } else {
                QVERIFY(E.isApprox(Eref, 1e-13));
                QVERIFY(G.isApprox(Gref, 1e-12));
            }
        }
        const double h = 1e-6;
        double worst = 0;
        for (Index i : {0, 17, 100, 135, 200, 255}) {
            Matd Xp = X, Xm = X;
            Xp.row(i).array() += h;
            Xm.row(i).array() -= h;
            const Rowd fd = (net.energy(Xp) - net.energy(Xm)) / (2 * h);
            for (Index j = 0; j < X.cols(); ++j)
                worst = std::max(worst, std::abs(fd(j) - Gref(i, j)) / std::max(1e-3, std::abs(Gref(i, j))));
        }
        QVERIFY2(worst < 1e-6, qPrintable(QString("worst relative error %1").arg(worst)));
    }

    // The parameter gradient of the CD loss and of a loss with one tangent direction on the default net,
    // with batches that span several chunks: every layer's weights and biases (a sample of each) and the
    // head against central differences in double, and the same gradient whatever the thread count.
    void defaultNetParameterGradientsMatchFiniteDifferences() {
        Rng rng(71);
        ConvNet<double> net(ConvNetOptions{}, rng);
        const Matd X = randomBatch(256, 9, 72), Y = randomBatch(256, 10, 73);
        const Matd U = randomBatch(256, 9, 74).array() - 0.5;
        // E plus the directional derivative uᵀ∇ₓE, summed: exercises the tangent blocks' backward pass.
        const LossHead<double> head = [](const EnergyJet<double>& jet, Index, JetSeeds<double>& seeds) {
            seeds.energy = RowX<double>::Ones(jet.energy.size());
            seeds.first = {RowX<double>::Constant(jet.energy.size(), 0.7)};
            return jet.energy.sum() + 0.7 * jet.first[0].sum();
        };
        const auto cd = [&](const EnergyModel<double>& m, Vecd& g) {
            return cdLoss<double>(m, X, Y, 0.3, g);
        };
        const auto tangent = [&](const EnergyModel<double>& m, Vecd& g) {
            return m.lossGrad(X, {U}, head, g, 0);
        };
        const Vecd theta = net.parameters();
        std::vector<Index> sample;
        for (const auto& g : net.geometry())
            for (Index k = 0; k < 6; ++k) {
                sample.push_back(g.wOffset + (k * 7919) % (g.bOffset - g.wOffset));
                sample.push_back(g.bOffset + k % g.outC);
            }
        for (Index k = 0; k < 6; ++k)
            sample.push_back(theta.size() - 1 - k * 37);
        const auto check = [&](auto loss, const char* what) {
            setThreadCount(1);
            Vecd g1 = Vecd::Zero(theta.size());
            loss(net, g1);
            setThreadCount(2);
            Vecd g2 = Vecd::Zero(theta.size());
            loss(net, g2);
            QVERIFY2(g1.isApprox(g2, 1e-12), what);
            const double h = 1e-6;
            for (Index i : sample) {
                Vecd tp = theta, tm = theta, dummy = Vecd::Zero(theta.size());
                tp(i) += h;
                tm(i) -= h;
                net.setParameters(tp);
                const double lp = loss(net, dummy);
                net.setParameters(tm);
                const double lm = loss(net, dummy);
                net.setParameters(theta);
                const double fd = (lp - lm) / (2 * h);
                QVERIFY2(
                    std::abs(fd - g2(i)) < 1e-6 * std::max(1.0, std::abs(fd)),
                    qPrintable(QString("%1: parameter %2: %3 vs %4").arg(what).arg(i).arg(fd).arg(g2(i))));
            }
        };
        check(cd, "cd");
        check(tangent, "tangent");
    }

    // Float on the default net: one thread and two threads give the same bits for E and ∇ₓE (the Langevin
    // chains do not depend on the machine's core count), and batches of different sizes agree per image.
    void floatResultsDoNotDependOnThreadsOrBatch() {
        Rng rng(81);
        const ConvNet<float> net(ConvNetOptions{}, rng);
        Matf X(256, 64);
        fillUniform(X, rng);
        setThreadCount(1);
        Rowf E1;
        Matf G1;
        net.energyAndGrad(X, E1, G1);
        setThreadCount(2);
        Rowf E2;
        Matf G2;
        net.energyAndGrad(X, E2, G2);
        QVERIFY(E2 == E1);
        QVERIFY(G2 == G1);
        Rowf E3;
        Matf G3;
        net.energyAndGrad(X.middleCols(5, 13), E3, G3);
        QVERIFY(E3.isApprox(E1.segment(5, 13), 1e-5f));
        QVERIFY(G3.isApprox(G1.middleCols(5, 13), 1e-5f));
    }

    void badInputIsRejected() {
        ConvNetOptions o;
        o.layers = {{16, 3}};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, ConvNet<float>{o});
        o.layers = {};
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, ConvNet<float>{o});
        ConvNet<float> net(ConvNetOptions{});
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, net.energy(Matf::Zero(255, 3)));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, net.setParameters(Vecf::Zero(3)));
    }
};

QTEST_APPLESS_MAIN(TestConvNet)
#include "tst_convnet.moc"
