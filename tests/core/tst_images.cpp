// Image data and image training in the core: the embedded digits (determinism, labels, values), resizing,
// the k-NN sample-quality figures, and the ImageTrainer (every method lowers the energy of data below that
// of noise; switching methods keeps the model; same seed, same bits).
#include <ebm/core/digits.h>
#include <ebm/core/imagequality.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>

#include <QtTest>

#include <map>

using namespace ebm::core;

namespace {
std::shared_ptr<const ImageSet> digits(Index count, std::uint64_t seed = 1, int size = 16) {
    DigitOptions o;
    o.count = count;
    o.seed = seed;
    o.size = size;
    return std::make_shared<ImageSet>(makeDigits(o));
}

ImageTrainerOptions smallMlp(const std::string& m) {
    ImageTrainerOptions o;
    o.method = m;
    o.model = ImageModelKind::Mlp;
    o.mlp.hidden = {64, 64};
    o.batchSize = 32;
    o.optimizer.learningRate = 1e-3f;
    o.chains.langevin.steps = 10;
    o.chains.bufferSize = 500;
    return o;
}

/// CD on 8 x 8 digits with a two-layer conv net (8-16 channels): fast enough to lose and regain its
/// chains in a few seconds.
ImageTrainerOptions tinyConv() {
    ImageTrainerOptions o;
    o.batchSize = 32;
    o.chains.bufferSize = 500;
    o.chains.langevin.stepSize = 0.2f;
    o.conv.layers = {{8, 1}, {16, 2}};
    return o;
}

double meanEnergy(const EnergyModel<float>& m, const Matf& X) {
    return m.energy(X).cast<double>().mean();
}
} // namespace

class TestImages : public QObject {
    Q_OBJECT
private slots:
    void init() { setThreadCount(0); }

    void digitsAreDeterministicAndLabelled() {
        const auto a = digits(50, 7), b = digits(50, 7), c = digits(50, 8);
        QVERIFY(a->pixels == b->pixels);
        QVERIFY(a->pixels != c->pixels);
        QCOMPARE(a->width, 16);
        QCOMPARE(a->numClasses(), 10);
        for (Index i = 0; i < a->size(); ++i)
            QCOMPARE(a->labels[size_t(i)], int(i % 10));
        a->validate(); // values in [0, 1]
        // Ink covers a plausible share of the image, and every image has some.
        const double ink = a->pixels.mean();
        QVERIFY2(ink > 0.08 && ink < 0.4, qPrintable(QString::number(ink)));
        QVERIFY(a->pixels.colwise().sum().minCoeff() > 10.0f);
    }

    void digitClassesDiffer() {
        // Class means of different digits are further apart than two halves of the same class.
        const auto s = digits(2000);
        std::vector<Vecf> mean(10, Vecf::Zero(256)), half(10, Vecf::Zero(256));
        for (Index i = 0; i < s->size(); ++i) {
            mean[size_t(i % 10)] += s->pixels.col(i) / 200.0f;
            if (i < 1000) half[size_t(i % 10)] += s->pixels.col(i) / 100.0f;
        }
        for (int a = 0; a < 10; ++a) {
            const float within = (half[size_t(a)] - mean[size_t(a)]).norm();
            for (int b = 0; b < 10; ++b)
                if (a != b)
                    QVERIFY2((mean[size_t(a)] - mean[size_t(b)]).norm() > 3 * within,
                             qPrintable(QString("%1 vs %2").arg(a).arg(b)));
        }
    }

    void badDigitOptionsAreRejected() {
        DigitOptions o;
        o.size = 4;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, makeDigits(o));
        o = DigitOptions{};
        o.maxScale = 0.5f; // below minScale
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, makeDigits(o));
    }

    void resizeAveragesAreas() {
        ImageSet s;
        s.width = 4;
        s.height = 2;
        s.pixels.resize(8, 1);
        s.pixels << 0, 1, 0.5f, 0.5f, 1, 0, 0.25f, 0.75f;
        const ImageSet r = resizeImages(s, 2, 1);
        QCOMPARE(r.pixels.rows(), Index(2));
        QCOMPARE(r.pixels(0, 0), 0.5f);
        QCOMPARE(r.pixels(1, 0), 0.5f);
        const ImageSet up = resizeImages(s, 8, 4); // upsampling: nearest area, same mean
        QVERIFY(std::abs(up.pixels.mean() - s.pixels.mean()) < 1e-6f);
        const auto d = digits(10);
        const ImageSet d8 = resizeImages(*d, 8, 8);
        QVERIFY(std::abs(d8.pixels.mean() - d->pixels.mean()) < 1e-5f);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, resizeImages(s, 0, 3));
    }

    void knnClassifiesHeldOutDigitsAndRejectsNoise() {
        const auto train = digits(2000, 1), held = digits(200, 2);
        const KnnClassifier knn(*train, 10);
        const KnnPrediction p = knn.predict(held->pixels);
        int correct = 0;
        for (Index i = 0; i < held->size(); ++i)
            correct += p.label[size_t(i)] == held->labels[size_t(i)];
        QVERIFY2(correct >= 180, qPrintable(QString("%1 of 200 correct").arg(correct)));
        // The quality figures: held-out digits count as confident; uniform noise and blank images do not.
        MlpOptions mo;
        mo.inputDim = 256;
        mo.hidden = {8};
        Rng rng(3);
        const Mlp<float> model(mo, rng);
        const SampleQuality qd = assessSamples(model, knn, *held, held->pixels, 5);
        QVERIFY2(qd.confidentFraction > 0.8, qPrintable(QString::number(qd.confidentFraction)));
        QVERIFY2(qd.confidentNearFraction > 0.75, qPrintable(QString::number(qd.confidentNearFraction)));
        QCOMPARE(qd.distinctClasses, 10);
        Matf noise(256, 100);
        fillUniform(noise, rng);
        QCOMPARE(assessSamples(model, knn, *held, noise, 5).confidentNearFraction, 0.0);
        // A known limit of pixel-space k-NN: blank images sit near the thinnest digits and count as
        // confident, but all as one class, which the diversity figure (distinct classes) exposes.
        const SampleQuality blank = assessSamples(model, knn, *held, Matf::Zero(256, 20), 5);
        QVERIFY(blank.distinctClasses <= 1);
    }

    void everyMethodLowersDataEnergyBelowNoise_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("steps");
        QTest::newRow("cd") << QString("cd") << 150;
        QTest::newRow("ssm") << QString("ssm") << 150;
        QTest::newRow("dsm") << QString("dsm") << 150;
        QTest::newRow("nce") << QString("nce") << 150;
    }
    void everyMethodLowersDataEnergyBelowNoise() {
        QFETCH(QString, method);
        QFETCH(int, steps);
        const auto train = digits(1000), held = digits(200, 2);
        ImageTrainer t(train, smallMlp(method.toStdString()));
        Rng rng(9);
        Matf noise(256, 200);
        fillUniform(noise, rng);
        for (int i = 0; i < steps; ++i)
            QVERIFY(!t.step().diverged);
        const double eData = meanEnergy(t.model(), held->pixels), eNoise = meanEnergy(t.model(), noise);
        // A clear margin relative to the spread of the data's energies.
        const Rowf Ed = t.model().energy(held->pixels);
        const double spread = std::sqrt((Ed.array() - Ed.mean()).square().mean());
        QVERIFY2(eNoise - eData > 2 * spread && eNoise > eData + 0.5,
                 qPrintable(QString("held-out %1 (spread %2), noise %3").arg(eData).arg(spread).arg(eNoise)));
    }

    void switchingMethodsKeepsTheModel() {
        ImageTrainer t(digits(200), smallMlp("cd"));
        for (int i = 0; i < 3; ++i)
            t.step();
        const Vecf before = t.model().parameters();
        const Matf buffer = t.buffer();
        t.setMethod("dsm");
        QVERIFY(t.model().parameters() == before);
        QVERIFY(t.buffer() == buffer);
        QCOMPARE(t.stepCount(), std::int64_t(3));
        QVERIFY(!t.step().diverged);
        QVERIFY(t.model().parameters() != before);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, t.setMethod("sm"));
    }

    // The image methods have no "decay_lr" flag of their own: a schedule set in the options applies to
    // every one of them (10x over lrDecaySteps, then held), and none by default.
    void aLearningRateScheduleAppliesToImageMethods() {
        for (const std::string m : {"cd", "dsm"}) {
            ImageTrainer constant(digits(200), smallMlp(m));
            ImageTrainerOptions o = smallMlp(m);
            o.lrDecaySteps = 4;
            ImageTrainer decaying(digits(200), o);
            for (int i = 0; i < 4; ++i) {
                constant.step();
                decaying.step();
            }
            QCOMPARE(constant.currentLearningRate(), 1e-3f);
            QVERIFY(qFuzzyCompare(decaying.currentLearningRate(), 1e-4f));
            QVERIFY(decaying.model().parameters() != constant.model().parameters());
        }
    }

    void setOptionsKeepsTheModelUnlessTheArchitectureChanges() {
        ImageTrainer t(digits(200), smallMlp("cd"));
        t.step();
        const Vecf trained = t.model().parameters();
        ImageTrainerOptions o = t.options();
        o.optimizer.learningRate = 1e-4f;
        o.chains.langevin.steps = 4;
        o.method = "nce";
        t.setOptions(o);
        QVERIFY(t.model().parameters() == trained);
        QCOMPARE(t.options().method, std::string("nce"));
        QCOMPARE(t.stepCount(), std::int64_t(1));
        o.mlp.hidden = {32};
        t.setOptions(o);
        QCOMPARE(t.stepCount(), std::int64_t(0));
        QCOMPARE(t.model().numParams(), Index(256 * 32 + 32 + 32 + 1));
        o.batchSize = 0;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, t.setOptions(o));
    }

    void sameSeedSameBits() {
        auto data = digits(100, 1, 8);
        ImageTrainerOptions o;
        o.batchSize = 8;
        o.chains.langevin.steps = 3;
        o.chains.bufferSize = 50;
        o.conv.layers = {{4, 1}, {4, 2}};
        ImageTrainer a(data, o), b(data, o);
        for (int i = 0; i < 3; ++i) {
            a.step();
            b.step();
        }
        QVERIFY(a.model().parameters() == b.model().parameters());
        QVERIFY(a.buffer() == b.buffer());
        o.seed = 2;
        ImageTrainer c(data, o);
        c.step();
        QVERIFY(c.model().parameters() != a.model().parameters());
    }

    // CD's chain guard: bit for bit the unguarded run while the chains keep up. Then a student slows the
    // chains (λ 0.2 → 0.05) and speeds up the model (learning rate 10⁻³ → 10⁻²): the chains' energy runs
    // away from the data's and, unguarded, stays away; the guard rewinds to its checkpoint and halves the
    // rate until the chains keep up again.
    void chainGuardRewindsALostRun() {
        auto data = digits(500, 1, 8);
        ImageTrainerOptions o = tinyConv();
        ImageTrainer guarded(data, o);
        o.chains.guard = false;
        ImageTrainer unguarded(data, o);
        const double bound = 1 / o.param("energy_reg");
        const Index healthy = ImageTrainer::kCheckpointEvery + 100;
        std::map<std::int64_t, Vecf> checkpoints;
        for (Index i = 0; i < healthy; ++i) {
            QVERIFY(!guarded.step().guardEvent);
            unguarded.step();
            if (unguarded.stepCount() % ImageTrainer::kCheckpointEvery == 0)
                checkpoints[unguarded.stepCount()] = unguarded.model().parameters();
        }
        QVERIFY(guarded.model().parameters() == unguarded.model().parameters());
        QVERIFY(guarded.buffer() == unguarded.buffer());
        QCOMPARE(guarded.chainGap(), unguarded.chainGap());
        QVERIFY2(guarded.chainGap() < ImageTrainer::kGuardHealthy * bound,
                 QByteArray::number(guarded.chainGap()));

        const float fast = 0.01f;
        for (ImageTrainer* t : {&guarded, &unguarded}) {
            ImageTrainerOptions s = t->options();
            s.chains.langevin.stepSize = 0.05f;
            s.optimizer.learningRate = fast;
            t->setOptions(s);
        }
        std::int64_t firstRewind = -1;
        for (Index i = 0; i < 3600; ++i) {
            const StepStats st = guarded.step();
            unguarded.step();
            if (st.guardEvent && firstRewind < 0) {
                firstRewind = st.step;
                // Back to the checkpoint of step 500 (the only one; with two, the older): θ as the
                // unguarded run had it then, and half the rate.
                QVERIFY2(st.message.find("rewound to step 500, learning rate 0.01 → 0.005") !=
                             std::string::npos,
                         st.message.c_str());
                const Vecf back = checkpoints.at(ImageTrainer::kCheckpointEvery);
                QVERIFY2(guarded.model().parameters() == back,
                         QByteArray::number((guarded.model().parameters() - back).cwiseAbs().maxCoeff()));
                QCOMPARE(guarded.options().optimizer.learningRate, fast / 2);
            }
        }
        qInfo("first rewind at step %lld; %d guard events; learning rate now %g; gap %.3f guarded, %.3f "
              "unguarded (bound %.1f)",
              (long long)firstRewind, guarded.guardEvents(), double(guarded.options().optimizer.learningRate),
              guarded.chainGap(), unguarded.chainGap(), bound);
        QVERIFY2(firstRewind > 0, "the guard never rewound");
        QCOMPARE(unguarded.guardEvents(), 0);
        QCOMPARE(unguarded.options().optimizer.learningRate, fast);
        QVERIFY2(unguarded.chainGap() > ImageTrainer::kGuardLost * bound,
                 QByteArray::number(unguarded.chainGap()));
        QVERIFY2(guarded.chainGap() < ImageTrainer::kGuardLost * bound / 2,
                 QByteArray::number(guarded.chainGap()));
        QVERIFY(guarded.options().optimizer.learningRate < fast);
    }

    // When rewinding does not help (λ so small that the chains cannot move), the guard stops after
    // kGuardMaxRewinds rewinds to the same checkpoint and says so, instead of rewinding forever.
    void chainGuardGivesUpInsteadOfLooping() {
        ImageTrainer t(digits(500, 1, 8), tinyConv());
        for (Index i = 0; i < ImageTrainer::kCheckpointEvery + 100; ++i)
            t.step();
        ImageTrainerOptions s = t.options();
        s.chains.langevin.stepSize = 0.005f;
        s.optimizer.learningRate = 0.01f;
        t.setOptions(s);
        std::vector<std::string> messages;
        for (Index i = 0; i < 2000; ++i)
            if (const StepStats st = t.step(); st.guardEvent) messages.push_back(st.message);
        for (const auto& m : messages)
            qInfo("%s", m.c_str());
        QCOMPARE(int(messages.size()), ImageTrainer::kGuardMaxRewinds + 1);
        QVERIFY2(messages.back().find("the guard stops") != std::string::npos, messages.back().c_str());
        QCOMPARE(t.options().optimizer.learningRate, 0.01f / float(1 << ImageTrainer::kGuardMaxRewinds));
        QCOMPARE(t.guardEvents(), ImageTrainer::kGuardMaxRewinds + 1);
    }

    void langevinStaysInPixelRange() {
        ImageTrainer t(digits(50), smallMlp("cd"));
        Matf X(256, 10);
        Rng rng(4);
        fillUniform(X, rng);
        ImageTrainerOptions o = t.options();
        t.langevin(X, 5, rng);
        QVERIFY(X.minCoeff() >= 0.0f && X.maxCoeff() <= 1.0f);
    }

    void clampedLangevinKeepsKnownPixels() {
        ImageTrainer t(digits(200), smallMlp("cd"));
        for (int i = 0; i < 30; ++i)
            t.step();
        const auto data = digits(4, 9);
        Matf X = data->pixels, clamp = Matf::Ones(256, 4);
        clamp.bottomRows(100).setZero();
        Rng rng(6);
        Matf noise(100, 4);
        fillUniform(noise, rng);
        X.bottomRows(100) = noise;
        const Matf start = X;
        ImageLangevinOptions o;
        int calls = 0;
        imageLangevin(t.model(), X, o, 25, rng, &clamp, [&](int step, const Matf& frame, const Rowf& E) {
            QCOMPARE(step, calls++);
            // E is the energy of the frame observed, and the known pixels never move.
            QVERIFY((E - t.model().energy(frame)).cwiseAbs().maxCoeff() < 1e-4f);
            QVERIFY(frame.topRows(156) == data->pixels.topRows(156));
        });
        QCOMPARE(calls, 26);
        QVERIFY(X.topRows(156) == data->pixels.topRows(156));
        QVERIFY((X.bottomRows(100) - start.bottomRows(100)).cwiseAbs().maxCoeff() > 0.01f);
        QVERIFY(X.minCoeff() >= 0.0f && X.maxCoeff() <= 1.0f);
        // Without a clamp it is the trainer's own Langevin: same generator state, same bits.
        Matf A = start, B = start;
        Rng r1(8), r2(8);
        imageLangevin(t.model(), A, t.options().chains.langevin, 5, r1);
        t.langevin(B, 5, r2);
        QVERIFY(A == B);
        // A mask of the wrong shape or images of the wrong size are refused.
        Matf wrong = Matf::Ones(256, 3);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, imageLangevin(t.model(), A, o, 1, rng, &wrong));
        Matf small(64, 2);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, imageLangevin(t.model(), small, o, 1, rng));
    }

    void setParametersInstallsASavedModel() {
        auto data = digits(100);
        ImageTrainer a(data, smallMlp("cd")), b(data, smallMlp("cd"));
        for (int i = 0; i < 5; ++i)
            a.step();
        b.setParameters(a.model().parameters());
        QVERIFY(b.model().parameters() == a.model().parameters());
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, b.setParameters(Vecf::Zero(3)));
        Vecf bad = a.model().parameters();
        bad(0) = std::nanf("");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, b.setParameters(bad));
        QVERIFY(b.model().parameters() == a.model().parameters());
    }

    void badOptionsAreRejected() {
        auto data = digits(20);
        ImageTrainerOptions o = smallMlp("sm");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, ImageTrainer(data, o));
        o = smallMlp("cd");
        o.chains.freshFraction = 2;
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, ImageTrainer(data, o));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, ImageTrainer(nullptr, smallMlp("cd")));
    }
};

QTEST_APPLESS_MAIN(TestImages)
#include "tst_images.moc"
