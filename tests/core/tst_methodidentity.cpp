// The redesign of the training pipeline (one objective registry, one trainer) must not change what any
// method computes: 200 steps of each 2D method and 20 of each image method, at seed 1 on two threads,
// must give bit for bit the losses and parameters recorded from the code before the redesign (commit
// e30231c). A hash of the bits is compared; the printed values help to see how far a change moved them.
#include <ebm/core/digits.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

#include <QtTest>

using namespace ebm::core;

namespace {
struct Recorded {
    const char* method;
    std::uint64_t lossHash, thetaHash;
    double lastLoss, thetaSum, logZ;
};

// Recorded from e30231c (x86-64-v2 build, two threads).
const Recorded kPlane[] = {
    {"cd", 0x91ba1bfd8e503c06ULL, 0x440c3f51d8be3049ULL, -0.146510452, 74.7184601, 0},
    {"sm", 0xe94fb6a9b97ba063ULL, 0xc270e74c0d9f7219ULL, -22.8127899, 439.043213, 0},
    {"ssm", 0x5d2510e551ad5861ULL, 0x2ba0b86e47e2ecc7ULL, -17.6074829, 460.535767, 0},
    {"dsm", 0x363422f2d20b4ee3ULL, 0x535b83273540c8d2ULL, 0.906352818, 191.359299, 0},
    {"nce", 0x41cf7d4b379d3d15ULL, 0x053777f6a7aaa919ULL, 0.726397574, -0.33758527, 0.0287998021},
};
const Recorded kImage[] = {
    {"cd", 0xfd821f5127d128f8ULL, 0x854ac1af81b02bebULL, -0.0361956954, 1.59274149, 0},
    {"ssm", 0xd92a1c80b095e020ULL, 0xa6696e47d796c17fULL, -24.1819382, 38.9426003, 0},
    {"dsm", 0xca5a0cd548422370ULL, 0x9a11a70c6d421f12ULL, 122.614151, 45.2196159, 0},
    {"nce", 0x8653956d40f08084ULL, 0xf76f07b2216ff3c5ULL, 153.82222, -5.55726957, -0.0185994357},
};

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL;
std::uint64_t fnv(std::uint64_t h, const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
        h ^= b[i];
        h *= 1099511628211ULL;
    }
    return h;
}

template <class T> Recorded fingerprint(const char* method, T& trainer, int steps) {
    Recorded r{method, kFnvOffset, 0, 0, 0, 0};
    for (int i = 0; i < steps; ++i) {
        const StepStats s = trainer.step();
        const float l = float(s.loss);
        r.lossHash = fnv(r.lossHash, &l, sizeof l);
        r.lastLoss = s.loss;
    }
    const Vecf theta = trainer.model().parameters();
    r.thetaHash = fnv(kFnvOffset, theta.data(), std::size_t(theta.size()) * sizeof(float));
    r.thetaSum = theta.sum();
    r.logZ = trainer.logZEstimate();
    return r;
}

void compare(const Recorded& got, const Recorded& want) {
    qInfo("%s: last loss %.9g (recorded %.9g), sum θ %.9g (%.9g), log Z %.9g (%.9g)", want.method, got.lastLoss,
          want.lastLoss, got.thetaSum, want.thetaSum, got.logZ, want.logZ);
    QCOMPARE(got.lossHash, want.lossHash);
    QCOMPARE(got.thetaHash, want.thetaHash);
}
} // namespace

class TestMethodIdentity : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { setThreadCount(2); }
    void cleanupTestCase() { setThreadCount(0); }

    void planeMethods_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kPlane)); ++i)
            QTest::newRow(kPlane[i].method) << i;
    }
    void planeMethods() {
        QFETCH(int, index);
        const Recorded& want = kPlane[index];
        TrainerOptions o;
        o.method = want.method;
        o.seed = 1;
        Trainer t(makePreset("eight-gaussians"), o);
        compare(fingerprint(want.method, t, 200), want);
    }

    void imageMethods_data() {
        QTest::addColumn<int>("index");
        for (int i = 0; i < int(std::size(kImage)); ++i)
            QTest::newRow(kImage[i].method) << i;
    }
    void imageMethods() {
        QFETCH(int, index);
        const Recorded& want = kImage[index];
        DigitOptions d;
        d.count = 500;
        const auto set = std::make_shared<const ImageSet>(makeDigits(d));
        ImageTrainerOptions o;
        o.method = want.method;
        o.batchSize = 32;
        o.chains.bufferSize = 256;
        o.chains.langevin.steps = 10;
        ImageTrainer t(set, o);
        compare(fingerprint(want.method, t, 20), want);
    }
};

QTEST_GUILESS_MAIN(TestMethodIdentity)
#include "tst_methodidentity.moc"
