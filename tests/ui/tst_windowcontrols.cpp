// The window as a lecturer drives it: the mouse wheel over the Controls panel scrolls it instead of
// changing (and so re-initialising) the model; a change that rebuilds the model is undone by Ctrl+Z with
// its training; the Draw pane's canvas keeps its size when training starts; F1 and the panels' "?" open
// the guide at the right section.
#include "controlpanel.h"
#include "densitycanvas.h"
#include "drawpanel.h"
#include "guidewindow.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "modelhistory.h"
#include "trainingworker.h"
#include "uitesthelpers.h"
#include "wheelguard.h"
#include "windowtesthelpers.h"
#include <QAbstractTextDocumentLayout>
#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QStatusBar>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolButton>
#include <QUndoGroup>
#include <QUndoStack>
#include <QWheelEvent>

using namespace ebm;
using namespace ebm::ui;

namespace {
using test::quickStart;
using test::waitForSnapshot;

// One notch of the wheel (down: negative angle) over the middle of w, as the window system sends it.
void wheel(QWidget* w, int notches) {
    const QPointF pos(w->width() / 2.0, w->height() / 2.0);
    QWheelEvent e(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, 120 * notches), Qt::NoButton, Qt::NoModifier,
                  Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

QScrollBar* panelScrollBar(MainWindow& w) {
    for (QWidget* p = w.controls(); p; p = p->parentWidget())
        if (auto* area = qobject_cast<QScrollArea*>(p)) return area->verticalScrollBar();
    return nullptr;
}

int widthOf(const TrainingSnapshot& s) {
    return s.model->options().hidden.front();
}

// Where the section's anchor sits in the browser's viewport (pixels from its top), or -1e9 if absent.
double anchorY(QTextBrowser* b, const QString& anchor) {
    for (QTextBlock block = b->document()->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it)
            if (it.fragment().charFormat().anchorNames().contains(anchor))
                return b->document()->documentLayout()->blockBoundingRect(block).top() -
                       b->verticalScrollBar()->value();
    return -1e9;
}

io::SessionFile capture(MainWindow& w) {
    std::optional<io::SessionFile> out;
    w.captureSession([&](io::SessionFile f) { out = std::move(f); });
    QElapsedTimer t;
    t.start();
    while (!out && t.elapsed() < 20000)
        QTest::qWait(10);
    return out.value_or(io::SessionFile{});
}

bool same(const core::Vecf& a, const core::Vecf& b) {
    return a.size() == b.size() && std::equal(a.data(), a.data() + a.size(), b.data());
}
// The parameters the view shows: the averaged ones (TrainerOptions::averageSteps) once a step was averaged.
const core::Vecf& shownParameters(const io::SessionFile& f) {
    return f.trainer.options.averageSteps > 0 && f.trainer.averaged > 0 ? f.trainer.average : f.trainer.theta;
}
bool same(const core::Matf& a, const core::Matf& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::equal(a.data(), a.data() + a.size(), b.data());
}
} // namespace

class TestWindowControls : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void wheelScrollsThePanelUnlessAControlHasFocus() {
        MainWindow w(quickStart());
        w.resize(1200, 600); // the Controls panel is taller than its dock: it scrolls
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step > 5; }, 30000));
        auto* width = w.controls()->findChild<QComboBox*>(QStringLiteral("widthCombo"));
        auto* depth = w.controls()->findChild<QSpinBox*>(QStringLiteral("depthSpin"));
        auto* lr = w.controls()->findChild<QDoubleSpinBox*>(QStringLiteral("learningRateSpin"));
        QScrollBar* bar = panelScrollBar(w);
        QVERIFY(width && depth && lr && bar);
        QVERIFY2(bar->maximum() > 0, "the panel must be taller than its dock for this test");
        w.view()->setFocus();
        QVERIFY(!width->hasFocus());

        // No wheel turn can give these controls focus either (a real wheel event would otherwise focus a
        // combo box first and then change it).
        for (QWidget* c : w.findChildren<QWidget*>())
            if (isWheelGuarded(c)) QVERIFY2(c->focusPolicy() != Qt::WheelFocus, qPrintable(c->objectName()));

        const std::int64_t stepBefore = w.lastSnapshot()->step;
        const double lrBefore = lr->value();
        bar->setValue(0);
        wheel(width, -1);
        QCOMPARE(width->currentText(), QStringLiteral("128"));
        QVERIFY2(bar->value() > 0, "the wheel over an unfocused control scrolls the panel");
        const int scrolled = bar->value();
        wheel(depth, -1);
        wheel(lr, -1);
        QCOMPARE(depth->value(), 2);
        QCOMPARE(lr->value(), lrBefore);
        QVERIFY(bar->value() > scrolled);
        QCOMPARE(w.settings().trainer.model.hidden, (std::vector<int>{128, 128}));
        QCOMPARE(w.modelHistory()->undoStack()->count(), 0);
        // Training carried on: no reset to step 0.
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return s.step > stepBefore + 3; }, 30000));

        // Focused, the wheel edits the control as usual: 128 → 256 re-initialises, and says so.
        width->setFocus();
        QVERIFY(width->hasFocus());
        wheel(width, -1);
        QCOMPARE(width->currentText(), QStringLiteral("256"));
        QCOMPARE(w.settings().trainer.model.hidden.front(), 256);
        QCOMPARE(w.modelHistory()->undoStack()->count(), 1);
        const QString msg = w.statusBar()->currentMessage();
        QVERIFY2(msg.contains(QStringLiteral("Width 128 → 256")) &&
                     msg.contains(QLatin1String("re-initialised")) && msg.contains(QLatin1String("Ctrl+Z")),
                 qPrintable(msg));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return widthOf(s) == 256; }, 30000));

        // Ctrl+Z in a focused spin box of the panel is the window's Undo, not the field's text undo.
        depth->setFocus();
        QVERIFY(depth->hasFocus());
        QTest::keyClick(depth, Qt::Key_Z, Qt::ControlModifier);
        QCOMPARE(width->currentText(), QStringLiteral("128"));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return widthOf(s) == 128; }, 30000));
    }

    void wheelGuardCoversTheDrawPane() {
        MainWindow w(quickStart());
        w.show();
        w.showDrawPane(true);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const auto sliders = w.drawPanel()->findChildren<QSlider*>();
        QVERIFY(!sliders.isEmpty());
        for (QSlider* s : sliders) {
            const int before = s->value();
            wheel(s, 2);
            wheel(s, -2);
            wheel(s, -2);
            QCOMPARE(s->value(), before);
        }
    }

    void modelChangeIsUndoneWithItsTraining() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step >= 20; }, 60000));
        w.setPlaying(false);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return !s.playing; }, 20000));
        const io::SessionFile before = capture(w);
        QVERIFY(before.trainer.step >= 20);
        QCOMPARE(before.trainer.options.model.hidden.front(), 128);

        auto* width = w.controls()->findChild<QComboBox*>(QStringLiteral("widthCombo"));
        width->setCurrentIndex(width->findText(QStringLiteral("64"))); // as the user picks it
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return widthOf(s) == 64; }, 20000));
        QCOMPARE(w.lastSnapshot()->step, 0);
        QVERIFY(w.statusBar()->currentMessage().contains(QStringLiteral("Width 128 → 64")));

        // Ctrl+Z with the focus outside the Draw pane: the model history is the active one.
        w.view()->setFocus();
        QCOMPARE(w.undoGroup()->activeStack(), w.modelHistory()->undoStack());
        auto* undo = w.findChild<QAction*>(QStringLiteral("editUndo"));
        QVERIFY(undo && undo->isEnabled());
        QVERIFY2(undo->text().contains(QStringLiteral("Width 128 → 64")), qPrintable(undo->text()));
        QTest::keyClick(w.view(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return widthOf(s) == 128; }, 20000));
        QCOMPARE(width->currentText(), QStringLiteral("128"));
        QCOMPARE(w.settings().trainer.model.hidden.front(), 128);
        QVERIFY2(w.statusBar()->currentMessage().contains(QLatin1String("Undone")),
                 qPrintable(w.statusBar()->currentMessage()));
        const TrainingSnapshot& s = *w.lastSnapshot();
        QCOMPARE(s.step, before.trainer.step);
        QVERIFY(same(s.model->params(), shownParameters(before)));
        // The whole trainer state, bit for bit: parameters, optimiser moments, replay buffer, generator.
        const io::SessionFile after = capture(w);
        QCOMPARE(after.trainer.step, before.trainer.step);
        QVERIFY(same(after.trainer.theta, before.trainer.theta));
        QVERIFY(same(after.trainer.average, before.trainer.average));
        QVERIFY(same(after.trainer.optimizer.m, before.trainer.optimizer.m));
        QVERIFY(same(after.trainer.optimizer.v, before.trainer.optimizer.v));
        QCOMPARE(after.trainer.optimizer.t, before.trainer.optimizer.t);
        QVERIFY(same(after.trainer.buffer, before.trainer.buffer));
        QCOMPARE(after.trainer.rngState, before.trainer.rngState);
        QCOMPARE(after.history.size(), before.history.size());

        // Redo brings the width-64 model back.
        w.findChild<QAction*>(QStringLiteral("editRedo"))->trigger();
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return widthOf(s) == 64; }, 20000));
        QCOMPARE(width->currentText(), QStringLiteral("64"));

        // Reset model (R) is undoable the same way.
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot&) { return true; }, 20000));
        w.stepOnce();
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step >= 1; }, 20000));
        const io::SessionFile stepped = capture(w);
        w.resetTraining();
        QVERIFY(w.statusBar()->currentMessage().contains(QLatin1String("Reset model")));
        undo->trigger();
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return s.step == stepped.trainer.step && widthOf(s) == 64; },
            20000));
        QVERIFY(same(w.lastSnapshot()->model->params(), shownParameters(stepped)));
    }

    // The landscape shows the averaged parameters θ̄ (the trainer's shownModel), not the last step's θ; the
    // "Show average of" box turns that off, and the view then shows θ at once, paused or not.
    void landscapeShowsTheAveragedParameters() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* average = w.controls()->findChild<QSpinBox*>(QStringLiteral("averageSpin"));
        QVERIFY(average);
        QCOMPARE(average->value(), core::TrainerOptions{}.averageSteps);
        QVERIFY(average->toolTip().contains(QStringLiteral("averaged")));
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.step >= 50; }, 60000));
        w.setPlaying(false);
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return !s.playing; }, 20000));
        const io::SessionFile paused = capture(w);
        QVERIFY(paused.trainer.averaged > 0);
        QVERIFY(!same(paused.trainer.average, paused.trainer.theta));
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return same(s.model->params(), paused.trainer.average); },
            20000));

        average->setValue(0); // as the user types it
        QCOMPARE(w.settings().trainer.averageSteps, 0);
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return same(s.model->params(), paused.trainer.theta); },
            20000));
        QCOMPARE(capture(w).trainer.options.averageSteps, 0);
    }

    void drawUndoFollowsTheFocus() {
        MainWindow w(quickStart());
        w.show();
        w.showDrawPane(true);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.drawPanel()->useText(QStringLiteral("A")));
        w.drawPanel()->canvas()->setFocus();
        QCOMPARE(w.undoGroup()->activeStack(), w.drawPanel()->document()->undoStack());
        auto* undo = w.findChild<QAction*>(QStringLiteral("editUndo"));
        QVERIFY2(undo->text().contains(QLatin1String("Text")), qPrintable(undo->text()));
        QTest::keyClick(w.drawPanel()->canvas(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(w.drawPanel()->document()->drawing().isEmpty());
        w.view()->setFocus();
        QCOMPARE(w.undoGroup()->activeStack(), w.modelHistory()->undoStack());
    }

    void canvasKeepsItsSizeWhenTrainingStarts() {
        MainWindow w(quickStart());
        w.show();
        w.showDrawPane(true);
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        DensityCanvas* c = w.drawPanel()->canvas();
        QTRY_VERIFY(c->isVisible());
        QTest::qWait(50);
        const QSize before = c->size();
        QVERIFY2(c->plotRect().width() >= 260, qPrintable(QString::number(c->plotRect().width())));
        QVERIFY(std::abs(before.width() - before.height()) <= 2); // square
        QVERIFY(w.drawPanel()->useText(QStringLiteral("Hi")));
        w.drawPanel()->train();
        QVERIFY(waitForSnapshot(
            w, [](const TrainingSnapshot& s) { return s.targetName == kDrawingTarget && s.step > 3; },
            30000));
        QTest::qWait(100);
        QCOMPARE(c->size(), before);
        // More text under the canvas (an error) changes nothing either.
        QVERIFY(!test::applyFormula(w.drawPanel(),
                                    QStringLiteral("x +* y + some long words to wrap the message")));
        QTest::qWait(50);
        QCOMPARE(c->size(), before);
    }

    void f1OpensTheGuide() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.view()->setFocus();
        QTest::keyClick(w.view(), Qt::Key_F1);
        auto* g = w.findChild<GuideWindow*>();
        QVERIFY(g);
        QVERIFY(QTest::qWaitForWindowExposed(g));
        const QString text = g->browser()->toPlainText();
        QVERIFY(text.contains(QLatin1String("Glossary")));
        for (const char* term : {"Energy", "Score", "Partition function", "Negatives", "Replay buffer",
                                 "NCE noise", "KL", "Acceptance rate", "β (inverse temperature)"})
            QVERIFY2(text.contains(QString::fromUtf8(term)), term);
        for (const QString& a : GuideWindow::sections())
            QVERIFY2(anchorY(g->browser(), a) > -1e8, qPrintable(a));
        // The colours it names are the ones the view draws (from the same definitions).
        QVERIFY(text.contains(QStringLiteral("■ white")));
        QVERIFY(text.contains(QStringLiteral("■ orange")));
        QVERIFY(text.contains(QStringLiteral("■ magenta")));
        QVERIFY(text.contains(QStringLiteral("■ light blue")));
        QVERIFY(!text.contains(QLatin1String("{{")));
    }

    void questionButtonsOpenTheirSection() {
        MainWindow w(quickStart());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QStringList anchors{QStringLiteral("view"), QStringLiteral("target"), QStringLiteral("method"),
                                  QStringLiteral("model"), QStringLiteral("particles")};
        for (const QString& a : anchors) {
            auto* b = w.findChild<QToolButton*>(QStringLiteral("guide-%1").arg(a));
            QVERIFY2(b && b->isVisible(), qPrintable(a));
            QTest::mouseClick(b, Qt::LeftButton);
            auto* g = w.findChild<GuideWindow*>();
            QVERIFY(g && QTest::qWaitForWindowExposed(g));
            QTest::qWait(30);
            QTextBrowser* br = g->browser();
            const double y = anchorY(br, a);
            const bool atEnd = br->verticalScrollBar()->value() == br->verticalScrollBar()->maximum();
            // The section's heading at the top of the page (or, near the end, at least on screen).
            QVERIFY2((y >= -1 && y < 30) || (atEnd && y >= 0 && y < br->viewport()->height()),
                     qPrintable(QStringLiteral("%1 at %2").arg(a).arg(y)));
        }
        QCOMPARE(w.findChildren<GuideWindow*>().size(), 1); // one guide, reused
    }

    void colourNamesAreReadable() {
        QCOMPARE(colourName(245, 245, 255), QStringLiteral("white"));
        QCOMPARE(colourName(255, 140, 26), QStringLiteral("orange"));
        QCOMPARE(colourName(242, 64, 153), QStringLiteral("magenta"));
        QCOMPARE(colourName(140, 215, 255), QStringLiteral("light blue"));
        QCOMPARE(colourName(255, 90, 77), QStringLiteral("red"));
        QCOMPARE(colourName(60, 200, 80), QStringLiteral("green"));
    }
};

EBM_GUI_TEST_MAIN(TestWindowControls)
#include "tst_windowcontrols.moc"
