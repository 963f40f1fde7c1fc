#pragma once
/// @file modelhistory.h
/// The undo history of the changes that rebuild the 2D model: width, depth, activation, seed, and
/// Training ▸ Reset model; and of Training ▸ Use recommended settings (an entry that restores the trainer's
/// settings with the model). Each entry keeps the training state captured just before the change (the
/// worker's whole trainer state: parameters, optimiser, step count, replay buffer, particles, plus the
/// charts' history), so Undo brings the trained model back exactly; undoing first captures the state it
/// replaces, so Redo brings that back too. Captures go through the worker's ordinary session capture:
/// they are asynchronous, but ordered with the commands the window sends after them.
#include <QObject>
#include <QString>
#include <QUndoStack>
#include <ebm/core/density.h>
#include <ebm/core/trainer.h>
#include <ebm/io/session.h>
#include <functional>
#include <memory>

namespace ebm::ui {

/// What an undo entry restores: the session as the worker saves it (the view, display and drawing are
/// left out: they are not part of the model) and the density it was training on.
struct TrainingState {
    io::SessionFile session;
    std::shared_ptr<const core::TargetDensity> target;
    /// Restore the trainer's settings too (the method's, the chains', the optimiser's), not only the model:
    /// the entry changed them (Training ▸ Use recommended settings).
    bool withSettings = false;
};

/// True when going from a to b re-initialises the model (the trainer resets on these).
bool rebuildsModel(const core::TrainerOptions& a, const core::TrainerOptions& b);
/// "Width 128 → 256", "Depth 2 → 3", "Activation SiLU → tanh", "Seed 1 → 7" (joined with ", "), or empty
/// when nothing that rebuilds the model changed.
QString describeModelChange(const core::TrainerOptions& a, const core::TrainerOptions& b);

struct PendingState;

class ModelHistory : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(TrainingState)>;
    /// capture(done) calls done with the state as of the moment it is called (later, on the GUI thread);
    /// restore(state) replaces the model and its training state by state.
    ModelHistory(std::function<void(Done)> capture, std::function<void(const TrainingState&)> restore,
                 QObject* parent = nullptr);

    QUndoStack* undoStack() { return &m_stack; }
    /// Call just before making the change named text: captures the state it is about to replace and
    /// pushes an undoable entry. withSettings: undoing it brings the trainer's settings back as well.
    void recordChange(const QString& text, bool withSettings = false);
    /// Forgets every entry (another scene was opened).
    void clear() { m_stack.clear(); }

signals:
    /// An entry was undone (undone = true) or redone: the status bar says so.
    void stepped(const QString& text, bool undone);

private:
    friend class ModelChangeCommand;
    QUndoStack m_stack;
    std::function<void(Done)> m_capture;
    std::function<void(const TrainingState&)> m_restore;
    /// Asks for the current state; it arrives later (and is restored at once if that was asked meanwhile).
    std::shared_ptr<PendingState> capture(bool withSettings);
    void restore(const std::shared_ptr<PendingState>& state);
};

} // namespace ebm::ui
