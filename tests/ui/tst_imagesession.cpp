// Image sessions (.ebmlab-images): an ImageSession saved after some steps and restored into a fresh
// session continues bit for bit — the same parameters, optimiser, replay buffer, live chains and
// generators after further steps — for every registered image method; a file that does not fit its data
// is refused and changes nothing. (The window's menu actions are in tst_imagewindow.)
#include "imagesession.h"
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <ebm/core/objective.h>
#include <ebm/io/imagedata.h>
#include <ebm/io/imagesessionfile.h>

using namespace ebm;
using namespace ebm::ui;

namespace {
ImageSettings small() {
    ImageSettings s;
    s.size = 8;
    s.trainer.model = core::ImageModelKind::Mlp;
    s.trainer.mlp.hidden = {32, 32};
    s.trainer.batchSize = 16;
    s.trainer.chains.langevin.steps = 3;
    s.trainer.chains.bufferSize = 200;
    for (auto& [method, sampler] : s.samplers)
        sampler.steps = 3;
    return s;
}
io::ImageData dataFor(const ImageSettings& s) {
    return io::loadImageData(s.data, s.size, 0, s.trainer.seed);
}
bool sameBits(const core::Matf& a, const core::Matf& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}
bool sameBits(const core::Vecf& a, const core::Vecf& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}
} // namespace

class TestImageSession : public QObject {
    Q_OBJECT
private slots:
    void continuesBitForBit_data() {
        QTest::addColumn<QString>("method");
        for (const std::string& m : core::objectiveNames(core::ModelKind::Image))
            QTest::newRow(m.c_str()) << QString::fromStdString(m);
    }
    void continuesBitForBit() {
        QFETCH(QString, method);
        ImageSettings s = small().withMethod(method.toStdString());
        // A non-default hyperparameter of the method, to see it come back.
        const core::Schema schema = core::objective(s.trainer.method).schema(core::ModelKind::Image);
        for (const core::ParamSpec& p : schema)
            if (p.type == core::ParamType::Real && p.def * 1.5 <= p.max) {
                s.trainer.params.set(s.trainer.method, p.key, p.def * 1.5);
                break;
            }
        ImageSession a(s, dataFor(s));
        for (int i = 0; i < 7; ++i)
            a.advance();
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("scene.ebmlab-images")).toStdString();
        io::saveImageSession(a.sessionFile(), path);
        const io::ImageSessionFile f = io::loadImageSession(path);

        // A fresh session with other settings (another method and seed) takes the saved scene.
        ImageSettings other = small();
        other.trainer.seed = 99;
        ImageSession b(other, dataFor(other));
        b.advance();
        b.restore(f, io::loadImageData(f.data, f.size, 0, f.trainer.options.seed));
        QCOMPARE(b.settings().trainer.method, s.trainer.method);
        QVERIFY(b.settings().trainer.params == a.settings().trainer.params);
        QCOMPARE(b.trainer().stepCount(), a.trainer().stepCount());

        for (int i = 0; i < 5; ++i) {
            a.advance();
            b.advance();
        }
        const core::ImageTrainerState sa = a.trainer().state(), sb = b.trainer().state();
        QCOMPARE(sb.step, sa.step);
        QVERIFY(sameBits(sb.theta, sa.theta));
        QVERIFY(sameBits(sb.optimizer.m, sa.optimizer.m));
        QVERIFY(sameBits(sb.optimizer.v, sa.optimizer.v));
        QVERIFY(sameBits(sb.buffer, sa.buffer));
        QCOMPARE(sb.rngState, sa.rngState);
        QCOMPARE(sb.logZEstimate, sa.logZEstimate);
        const io::ImageSessionFile fa = a.sessionFile(), fb = b.sessionFile();
        QVERIFY(sameBits(fb.chains, fa.chains));
        QCOMPARE(fb.liveRngState, fa.liveRngState);
        // The snapshots the window draws agree too (chains, energies).
        const ImageSnapshotPtr pa = a.snapshot(), pb = b.snapshot();
        QVERIFY(sameBits(pb->chains, pa->chains));
        QVERIFY(sameBits(core::Matf(pb->energyNoise), core::Matf(pa->energyNoise)));
        // And the steps moved something: the comparison is not between two idle sessions.
        QVERIFY(!sameBits(sa.theta, f.trainer.theta));
    }

    // The chain guard's switch is part of the session; a file written before the guard existed has no key
    // and opens with the guard on (it changes nothing until a run loses its chains).
    void theChainGuardSwitchIsSaved() {
        ImageSettings s = small();
        s.trainer.method = "cd";
        s.trainer.chains.guard = false;
        ImageSession a(s, dataFor(s));
        a.advance();
        const std::string text = io::toJson(a.sessionFile());
        QCOMPARE(io::parseImageSessionJson(text).trainer.options.chains.guard, false);
        const std::string key = ",\"guard\":false";
        const auto at = text.find(key);
        QVERIFY2(at != std::string::npos, text.substr(0, 400).c_str());
        const std::string older = text.substr(0, at) + text.substr(at + key.size());
        QCOMPARE(io::parseImageSessionJson(older).trainer.options.chains.guard, true);
    }

    void unfittingFileChangesNothing() {
        const ImageSettings s = small();
        ImageSession a(s, dataFor(s));
        for (int i = 0; i < 3; ++i)
            a.advance();
        io::ImageSessionFile f = a.sessionFile();
        ImageSession b(s, dataFor(s));
        b.advance();
        const core::ImageTrainerState before = b.trainer().state();
        const io::ImageSessionFile beforeFile = b.sessionFile();
        // Live chains of the wrong size; then a model for 8 x 8 images on 12 x 12 data.
        io::ImageSessionFile bad = f;
        bad.chains = core::Matf::Zero(f.chains.rows(), 3);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, b.restore(bad, dataFor(s)));
        ImageSettings bigger = s;
        bigger.size = 12;
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, b.restore(f, dataFor(bigger)));
        QCOMPARE(b.settings().size, 8);
        QCOMPARE(b.trainer().stepCount(), before.step);
        QVERIFY(sameBits(b.trainer().state().theta, before.theta));
        QCOMPARE(b.trainer().state().rngState, before.rngState);
        QVERIFY(sameBits(b.sessionFile().chains, beforeFile.chains));
        QCOMPARE(b.sessionFile().liveRngState, beforeFile.liveRngState);
        QCOMPARE(b.data().train->width, 8);
    }
};

QTEST_GUILESS_MAIN(TestImageSession)
#include "tst_imagesession.moc"
