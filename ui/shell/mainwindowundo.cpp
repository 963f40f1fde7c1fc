// MainWindow's Edit menu: one Undo / Redo for two histories, the drawing's and the model's (changes that
// rebuild the model: width, depth, activation, seed, Reset model; and Use recommended settings, whose undo
// brings the previous trainer settings back too). A QUndoGroup holds both stacks and the
// focus picks the active one: inside the Draw pane, Ctrl+Z undoes drawing actions; anywhere else, model
// changes. The menu's texts name the step ("Undo Width 128 → 256", "Undo Brush stroke"). In the Controls
// panel Ctrl+Z is always the window's Undo: a spin box or the seed field would otherwise take it for its
// own text undo, right after the user typed the change that Ctrl+Z should undo.
#include "controlpanel.h"
#include "drawpanel.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "modelhistory.h"
#include "trainingworker.h"
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QKeyEvent>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QUndoGroup>

namespace ebm::ui {

namespace {
class ControlsUndoKeys : public QObject {
public:
    explicit ControlsUndoKeys(QWidget* controls) : QObject(controls), m_controls(controls) {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() != QEvent::ShortcutOverride || !o->isWidgetType() ||
            !m_controls->isAncestorOf(static_cast<QWidget*>(o)))
            return false;
        auto* k = static_cast<QKeyEvent*>(e);
        if (!k->matches(QKeySequence::Undo) && !k->matches(QKeySequence::Redo) &&
            k->keyCombination() != QKeyCombination(Qt::CTRL | Qt::SHIFT, Qt::Key_Z))
            return false;
        e->ignore(); // not the field's: the shortcut (Edit ▸ Undo / Redo) gets the key
        return true;
    }

private:
    QWidget* m_controls;
};
} // namespace

void MainWindow::buildEditMenu() {
    m_modelHistory = new ModelHistory([this](ModelHistory::Done done) { captureTraining(std::move(done)); },
                                      [this](const TrainingState& s) { restoreTraining(s); }, this);
    connect(m_modelHistory, &ModelHistory::stepped, this, [this](const QString& text, bool undone) {
        statusBar()->showMessage(undone ? tr("Undone: %1 — the previous model is back, with its training "
                                             "(Ctrl+Shift+Z redoes)")
                                              .arg(text)
                                        : tr("Redone: %1").arg(text),
                                 8000);
    });
    m_undoGroup = new QUndoGroup(this);
    m_undoGroup->addStack(m_modelHistory->undoStack());
    m_undoGroup->addStack(m_draw->document()->undoStack());
    m_undoGroup->setActiveStack(m_modelHistory->undoStack());
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        if (!now || (now->window() != this && now->window() != m_drawDock)) return; // another window
        m_undoGroup->setActiveStack(m_drawDock->isAncestorOf(now) ? m_draw->document()->undoStack()
                                                                  : m_modelHistory->undoStack());
    });

    new ControlsUndoKeys(m_controls);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = m_undoGroup->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    undo->setToolTip(tr("Undo the last model change, or in the Draw pane the last drawing action (Ctrl+Z)"));
    QAction* redo = m_undoGroup->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    redo->setToolTip(tr("Redo what was just undone (Ctrl+Shift+Z)"));
    edit->addAction(undo);
    edit->addAction(redo);
    undo->setObjectName(QStringLiteral("editUndo"));
    redo->setObjectName(QStringLiteral("editRedo"));
}

void MainWindow::recordModelChange(const QString& what) {
    m_modelHistory->recordChange(what);
    statusBar()->showMessage(tr("%1: the model was re-initialised (Ctrl+Z undoes)").arg(what), 10000);
}

void MainWindow::captureTraining(ModelHistory::Done done) {
    // The charts now, the worker's state when it gets to it (before any command sent after this call).
    std::vector<io::HistoryPoint> history = m_charts->history();
    std::shared_ptr<const core::TargetDensity> target;
    if (m_settings.target == kDrawingTarget)
        target = m_settings.drawing;
    else
        target = std::shared_ptr<const core::TargetDensity>(core::makePreset(m_settings.target));
    m_worker->capture([done = std::move(done), history = std::move(history), target](io::SessionFile f) {
        f.history = history;
        done(TrainingState{std::move(f), target});
    });
}

void MainWindow::restoreTraining(const TrainingState& state) {
    // The model, its optimiser, step count, buffer and particles come back; the rest of what is on screen
    // (method and its settings, target, speed, play/pause, live sampler, view) stays as it is now, unless
    // the entry changed the trainer's settings too (Use recommended settings): then they come back as well.
    WorkerSettings s = m_settings;
    if (state.withSettings) s.trainer = state.session.trainer.options;
    s.trainer.model = state.session.trainer.options.model;
    s.trainer.seed = state.session.trainer.options.seed;
    m_worker->restore(std::make_shared<const io::SessionFile>(state.session), state.target);
    m_document.newEpoch(); // drop snapshots of the model being replaced
    m_last.reset();
    m_settings = s;
    m_settings.view = m_view->viewBox();
    m_worker->applySettings(workerSettings());
    m_controls->setSettings(m_settings);
    m_charts->setHistory(state.session.history);
    m_document.markEdited();
    updateStatus();
}

} // namespace ebm::ui
