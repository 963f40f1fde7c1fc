// CD's chain guard in the real image window under Xvfb: a user sets the Langevin step far too small,
// the chains lose the data, and the guard rewinds the run, says so in the status bar and shows the halved
// learning rate, which later changes of other controls keep. (Split from tst_imagewindow.)
#include "imagecontrols.h"
#include "imagewindow.h"
#include "imagewindowtesthelpers.h"
#include "uitesthelpers.h"
#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QStatusBar>
#include <QTest>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>

using namespace ebm;
using namespace ebm::ui;
using ebm::ui::test::onWorker;
using ebm::ui::test::start;

class TestImageChainGuard : public QObject {
    Q_OBJECT

    QString shotDir() const { return qEnvironmentVariable("EBM_SCREENSHOT_DIR"); }
    void shot(QWidget& w, const QString& name) {
        if (!shotDir().isEmpty()) QVERIFY(w.grab().save(shotDir() + QLatin1Char('/') + name));
    }

private slots:
    void initTestCase() { core::setThreadCount(2); }

    // CD's chain guard in the window: a user sets λ far too small, the chains lose the data, and the guard
    // rewinds the run, says so in the status bar and shows the halved learning rate in the optimiser's
    // box — which the next change of another control keeps. (A small conv net on 8 x 8 digits keeps it
    // fast.)
    void chainGuardShowsItsRewind() {
        ImageSettings s;
        s.size = 8;
        s.trainer.conv.layers = {{8, 1}, {16, 2}};
        s.trainer.batchSize = 32;
        s.trainer.chains.bufferSize = 500;
        s.trainer.chains.langevin.stepSize = 0.2f;
        ImageWindow w(start(s));
        w.show();
        auto* lambda = w.controls()->findChild<QDoubleSpinBox*>(QStringLiteral("langevinStep"));
        auto* guard = w.controls()->findChild<QAbstractButton*>(QStringLiteral("chainGuard"));
        QVERIFY(lambda && guard);
        QVERIFY(guard->isChecked() && guard->isEnabled());
        // The model box names the layers these settings hold, not the default's.
        QCOMPARE(w.controls()->findChild<QComboBox*>(QStringLiteral("imageModel"))->currentText(),
                 QStringLiteral("Conv net (8-16)"));
        QTRY_VERIFY_WITH_TIMEOUT(
            w.lastSnapshot() && w.lastSnapshot()->step >= core::ImageTrainer::kCheckpointEvery + 50, 120000);
        QVERIFY(!w.statusBar()->currentMessage().contains(QStringLiteral("Chain guard")));
        lambda->setValue(0.005);
        QTRY_VERIFY_WITH_TIMEOUT(w.statusBar()->currentMessage().contains(QStringLiteral("Chain guard")),
                                 120000);
        const QString said = w.statusBar()->currentMessage();
        QVERIFY2(
            said.contains(QStringLiteral("chains lost the data")) &&
                said.contains(QRegularExpression(QStringLiteral("rewound to step 500, learning rate "
                                                                "[0-9.e-]+ → [0-9.e-]+$|the guard stops"))),
            qPrintable(said));
        // Paused, the box shows the learning rate the worker trains with: halved by the guard.
        w.setPlaying(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot()->playing, 20000);
        auto* lr = w.controls()->findChild<QDoubleSpinBox*>(QStringLiteral("learningRate"));
        const float halved =
            onWorker<float>(w, [](ImageSession& x) { return x.settings().trainer.optimizer.learningRate; });
        QVERIFY2(halved <= 0.0005f, QByteArray::number(halved));
        QCOMPARE(float(lr->value()), halved);
        QCOMPARE(w.controls()->settings().trainer.optimizer.learningRate, halved);
        QCOMPARE(float(lambda->value()), 0.005f); // what the user typed stays
        // Another control changed afterwards sends the halved rate, not the one before.
        w.controls()->findChild<QDoubleSpinBox*>(QStringLiteral("chainFresh"))->setValue(0.25);
        QCOMPARE(
            onWorker<float>(w, [](ImageSession& x) { return x.settings().trainer.optimizer.learningRate; }),
            halved);
        shot(w, QStringLiteral("image-window-chain-guard.png"));
    }
};

EBM_GUI_TEST_MAIN(TestImageChainGuard)
#include "tst_imagechainguard.moc"
