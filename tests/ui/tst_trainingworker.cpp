// The training worker on its thread: snapshots arrive, commands are applied between chunks while it
// runs, pause/step/reset behave, and destruction stops and joins promptly. Also built with
// ThreadSanitizer by scripts/tsan-test.
#include "trainingworker.h"
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>
#include <ebm/core/density.h>
#include <ebm/core/objective.h>
#include <ebm/core/parallel.h>
#include <optional>

using namespace ebm;
using namespace ebm::ui;

class TestTrainingWorker : public QObject {
    Q_OBJECT

    static WorkerSettings small() {
        WorkerSettings s;
        s.trainer.model.hidden = {16, 16};
        s.trainer.batchSize = 64;
        s.trainer.chains.steps = 5;
        s.particleCount = 300;
        s.gridResolution = 32;
        s.arrowsAcross = 8;
        s.view = core::Box{-4, 4, -4, 4};
        return s;
    }
    // Waits for a snapshot satisfying pred (taking each as it comes, as the GUI does).
    template <class Pred> static SnapshotPtr waitFor(TrainingWorker& w, Pred pred, int timeoutMs = 20000) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (SnapshotPtr s = w.takeLatest(); s && pred(*s)) return s;
            QTest::qWait(5);
        }
        return nullptr;
    }

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void publishesSnapshots() {
        TrainingWorker w(small());
        // Queued to this thread, as the window connects (QSignalSpy would count on the worker thread).
        int notified = 0;
        connect(
            &w, &TrainingWorker::snapshotReady, &w, [&] { ++notified; }, Qt::QueuedConnection);
        w.start();
        QTRY_VERIFY_WITH_TIMEOUT(notified > 0, 10000);
        SnapshotPtr s = waitFor(w, [](const TrainingSnapshot& s) { return s.step >= 5; });
        QVERIFY(s);
        QCOMPARE(s->energy.nx, 32);
        QCOMPARE(s->energy.energy.rows(), 32);
        QCOMPARE(s->particles.cols(), 300);
        QCOMPARE(s->score.vec.cols(), 64);
        QVERIFY(s->model);
        QVERIFY(std::isfinite(s->logZ));
        QCOMPARE(s->targetName, std::string("eight-gaussians"));
        QVERIFY(s->negatives.cols() > 0); // CD shows its negatives
    }

    void switchesMethodWhileRunning() {
        TrainingWorker w(small());
        w.start();
        QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.step >= 2; }));
        // Every registered 2D method, last first (the session starts with the first).
        std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Plane);
        std::reverse(methods.begin(), methods.end());
        for (const std::string& m : methods) {
            WorkerSettings s = small();
            s.trainer.method = m;
            w.applySettings(s);
            SnapshotPtr snap =
                waitFor(w, [m](const TrainingSnapshot& s) { return s.method == m && s.stepsInChunk > 0; });
            QVERIFY2(snap, m.c_str());
            const core::ObjectiveInfo& info = core::objective(m).info();
            if (info.needs.noise) {
                QVERIFY(!snap->nceLogit.empty());
                QVERIFY(snap->noise.cols() > 0);
                QVERIFY(std::isfinite(snap->logZEstimate));
            }
            if (info.needs.negatives) QVERIFY(snap->negatives.cols() > 0);
            if (info.family == core::Family::ScoreMatching) {
                QVERIFY(!snap->fisher.empty());
                QCOMPARE(snap->targetScore.vec.cols(), snap->score.vec.cols());
            }
        }
    }

    void changesTargetAndView() {
        TrainingWorker w(small());
        w.start();
        WorkerSettings s = small();
        s.target = "checkerboard";
        w.applySettings(s);
        w.setView(core::Box{-1, 1, -1, 1});
        SnapshotPtr snap = waitFor(w, [](const TrainingSnapshot& s) {
            return s.targetName == "checkerboard" && s.score.box.x0 == -1.0;
        });
        QVERIFY(snap);
        QVERIFY(snap->energy.box.x0 < -1.0 && snap->energy.box.x0 > -2.0); // the view, grown by a margin
    }

    void pauseStepReset() {
        WorkerSettings s = small();
        s.training = false;
        TrainingWorker w(s);
        w.start();
        SnapshotPtr first = waitFor(w, [](const TrainingSnapshot&) { return true; });
        QVERIFY(first);
        QCOMPARE(first->step, 0);
        QTest::qWait(200);
        QCOMPARE(w.latest()->step, 0); // paused: no training
        w.step(3);
        QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.step == 3; }));
        s.training = true;
        w.applySettings(s);
        QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.step >= 10; }));
        w.reset();
        QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.step < 10; }));
    }

    void particlesSpawnAndReset() {
        WorkerSettings s = small();
        s.training = false;
        s.particlesRunning = false;
        TrainingWorker w(s);
        w.start();
        QVERIFY(waitFor(w, [](const TrainingSnapshot&) { return true; }));
        w.spawnParticles(1.5, -1.5, 300);
        SnapshotPtr snap = waitFor(w, [](const TrainingSnapshot& s) {
            return (s.particles.row(0).array() - 1.5f).abs().maxCoeff() < 1.0f;
        });
        QVERIFY(snap);
        s.particleCount = 500;
        w.applySettings(s);
        QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.particles.cols() == 500; }));
    }

    void badSettingsReportFailure() {
        TrainingWorker w(small());
        QStringList failures;
        connect(
            &w, &TrainingWorker::failed, &w, [&](const QString& m) { failures << m; }, Qt::QueuedConnection);
        w.start();
        QVERIFY(waitFor(w, [](const TrainingSnapshot&) { return true; }));
        WorkerSettings s = small();
        s.live.beta = -1; // invalid: rejected, reported, training goes on
        w.applySettings(s);
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 10000);
        QVERIFY(failures.first().contains(QLatin1String("β")) || failures.first().size() > 10);
        const auto step = w.latest()->step;
        QVERIFY(waitFor(w, [step](const TrainingSnapshot& s) { return s.step > step; }));
    }

    void captureAndRestoreBetweenChunks() {
        // Capture hands the worker's state to the GUI thread while training runs; restoring it into a
        // second worker continues from exactly there (a new epoch marks the snapshots after it).
        TrainingWorker a(small());
        a.start();
        QVERIFY(waitFor(a, [](const TrainingSnapshot& s) { return s.step > 5; }));
        std::optional<io::SessionFile> got;
        a.capture([&](io::SessionFile f) { got = std::move(f); });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QVERIFY(got->trainer.step > 5);
        got->training = false;
        got->particlesRunning = false;

        TrainingWorker b(small());
        b.start();
        QVERIFY(waitFor(b, [](const TrainingSnapshot&) { return true; }));
        b.restore(std::make_shared<const io::SessionFile>(*got),
                  std::shared_ptr<const core::TargetDensity>(core::makePreset("eight-gaussians")));
        SnapshotPtr snap = waitFor(b, [](const TrainingSnapshot& s) { return s.epoch == 1; });
        QVERIFY(snap);
        QCOMPARE(snap->step, got->trainer.step);
        QCOMPARE(snap->particles, got->particles);
        std::optional<io::SessionFile> again;
        b.capture([&](io::SessionFile f) { again = std::move(f); });
        QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), 10000);
        QCOMPARE(again->trainer.theta, got->trainer.theta);
        QCOMPARE(again->trainer.rngState, got->trainer.rngState);
    }

    void destructorJoinsPromptly() {
        QElapsedTimer t;
        {
            WorkerSettings s = small();
            s.trainer.model.hidden = {64, 64};
            TrainingWorker w(s);
            w.start();
            QVERIFY(waitFor(w, [](const TrainingSnapshot& s) { return s.step > 0; }));
            for (int i = 0; i < 50; ++i)
                w.setView(core::Box{-4.0 + i * 0.01, 4, -4, 4}); // commands in flight
            t.start();
        }
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestTrainingWorker)
#include "tst_trainingworker.moc"
