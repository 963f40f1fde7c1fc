// The image worker on its thread, without widgets: snapshots arrive while it trains, commands (method,
// pause, steps, new data) apply between steps, demo jobs run on the worker and answer on the GUI thread,
// bad data changes nothing, and destruction joins while it trains or computes. Also built with
// ThreadSanitizer by scripts/tsan-test.
#include "imageworker.h"
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTest>
#include <QThread>
#include <ebm/core/parallel.h>

using namespace ebm;
using namespace ebm::ui;

class TestImageWorker : public QObject {
    Q_OBJECT

    static ImageSettings small() {
        ImageSettings s;
        s.trainer.model = core::ImageModelKind::Mlp;
        s.trainer.mlp.hidden = {32, 32};
        s.trainer.batchSize = 16;
        s.trainer.chains.langevin.steps = 3;
        s.trainer.chains.bufferSize = 200;
        return s;
    }
    template <class Pred> static ImageSnapshotPtr waitFor(ImageWorker& w, Pred pred, int timeoutMs = 30000) {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (ImageSnapshotPtr s = w.takeLatest(); s && pred(*s)) return s;
            QTest::qWait(5);
        }
        return nullptr;
    }

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void trainsAndPublishes() {
        ImageWorker w(small());
        int notified = 0;
        connect(
            &w, &ImageWorker::snapshotReady, &w, [&] { ++notified; }, Qt::QueuedConnection);
        w.start();
        const ImageSnapshotPtr s = waitFor(w, [](const ImageSnapshot& s) { return s.step >= 5; });
        QVERIFY(s);
        QVERIFY(notified > 0);
        QCOMPARE(s->width, 16);
        QCOMPARE(s->chains.rows(), 256);
        QCOMPARE(s->chains.cols(), 16); // CD's negatives: one batch
        QCOMPARE(s->buffer.cols(), ImageSettings::kGridImages);
        QCOMPARE(s->data->cols(), ImageSettings::kGridImages);
        QCOMPARE(s->energyData.size(), ImageSettings::kProbeImages);
        QCOMPARE(s->energyNoise.size(), ImageSettings::kProbeImages);
        QVERIFY(s->energyData.allFinite() && s->energyNoise.allFinite());
    }

    void appliesCommandsBetweenSteps() {
        ImageWorker w(small());
        w.start();
        const ImageSnapshotPtr a = waitFor(w, [](const ImageSnapshot& s) { return s.step >= 3; });
        QVERIFY(a);
        w.applySettings(small().withMethod(std::string("nce")));
        QVERIFY(waitFor(
            w, [&](const ImageSnapshot& s) { return s.method == std::string("nce") && s.step > a->step; }));
        ImageSettings paused = small().withMethod(std::string("nce"));
        paused.training = false;
        w.applySettings(paused);
        const ImageSnapshotPtr p = waitFor(w, [](const ImageSnapshot& s) { return !s.playing; });
        QVERIFY(p);
        w.step(3);
        // The GUI takes nothing while the steps run (a busy window): the first step's snapshot waits for
        // it, and the last step must still be shown once it looks, not only the first.
        QTest::qWait(500);
        QVERIFY2(waitFor(w, [&](const ImageSnapshot& s) { return s.step == p->step + 3; }),
                 qPrintable(QStringLiteral("paused at %1, now %2, diverged %3: %4")
                                .arg(p->step)
                                .arg(w.latest()->step)
                                .arg(w.latest()->diverged)
                                .arg(QString::fromStdString(w.latest()->message))));
        QTest::qWait(300);
        const ImageSnapshotPtr q = w.latest();
        QCOMPARE(q->step, p->step + 3); // paused: no more steps
    }

    void computeRunsOnTheWorkerAndAnswersOnTheGui() {
        ImageWorker w(small());
        w.start();
        QVERIFY(waitFor(w, [](const ImageSnapshot& s) { return s.step >= 1; }));
        QThread* jobThread = nullptr;
        QThread* answerThread = nullptr;
        ChainTrajectory t;
        w.compute([&](ImageSession& s) -> std::function<void()> {
            jobThread = QThread::currentThread();
            ChainTrajectory r = s.trajectory(s.heldOutImage(0), 10);
            return [&, r] {
                answerThread = QThread::currentThread();
                t = r;
            };
        });
        QTRY_VERIFY_WITH_TIMEOUT(answerThread != nullptr, 30000);
        QVERIFY(jobThread != QThread::currentThread());
        QCOMPARE(answerThread, QThread::currentThread());
        QCOMPARE(t.frames.cols(), 11);
        QVERIFY(t.energy.allFinite());
    }

    void badDataChangesNothing() {
        ImageWorker w(small());
        QStringList failures;
        connect(
            &w, &ImageWorker::failed, &w, [&](const QString& m) { failures << m; }, Qt::QueuedConnection);
        w.start();
        QVERIFY(waitFor(w, [](const ImageSnapshot& s) { return s.step >= 2; }));
        ImageSettings bad = small();
        bad.data = "/nonexistent/folder/of/pngs";
        w.applySettings(bad);
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 30000);
        QVERIFY2(failures.first().contains(QStringLiteral("nonexistent")), qPrintable(failures.first()));
        const std::int64_t step = w.latest()->step;
        QVERIFY(
            waitFor(w, [&](const ImageSnapshot& s) { return s.step > step + 2 && s.dataName == "digits"; }));
        // A failing job is reported the same way and the worker goes on.
        failures.clear();
        w.compute(
            [](ImageSession&) -> std::function<void()> { throw core::InvalidArgument("a job failed"); });
        QTRY_VERIFY_WITH_TIMEOUT(!failures.isEmpty(), 30000);
        QCOMPARE(failures.first(), QStringLiteral("a job failed"));
        const std::int64_t after = w.latest()->step;
        QVERIFY(waitFor(w, [&](const ImageSnapshot& s) { return s.step > after; }));
    }

    void destroysWhileTrainingOrComputing() {
        for (int i = 0; i < 3; ++i) {
            ImageWorker w(small());
            w.start();
            if (i == 1) QTest::qWait(200);
            if (i == 2)
                w.compute([](ImageSession& s) -> std::function<void()> {
                    (void)s.trajectory(s.heldOutImage(1), 50);
                    return {};
                });
        } // each destructor cancels and joins
        QVERIFY(true);
    }
};

QTEST_GUILESS_MAIN(TestImageWorker)
#include "tst_imageworker.moc"
