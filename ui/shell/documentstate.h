#pragma once
/// @file documentstate.h
/// The 2D window's document: whether the scene has changes that are not saved (a user edit, or training
/// since the last save or open of a named session), the step it was last saved or opened at, the epoch
/// that tells snapshots of a replaced scene from current ones, and the window title that shows all this.
#include <QCoreApplication>
#include <QString>
#include <cstdint>

namespace ebm::ui {

class DocumentState {
    Q_DECLARE_TR_FUNCTIONS(DocumentState)
public:
    /// A user edit (settings, drawing, reset, undo) since the last save or open.
    void markEdited() { m_edited = true; }
    bool edited() const { return m_edited; }
    /// The scene was captured at this step for a save (which may still fail).
    void captured(std::int64_t step) { m_capturedStep = step; }
    /// The last captured scene is now in the user's file.
    void saved() { markClean(m_capturedStep); }
    /// The scene is the one saved or opened at this step, without edits.
    void markClean(std::int64_t step) {
        m_edited = false;
        m_savedStep = step;
    }
    std::int64_t savedStep() const { return m_savedStep; }

    /// The scene (or its model) is being replaced: snapshots published before now are stale.
    void newEpoch() { ++m_epoch; }
    std::int64_t epoch() const { return m_epoch; }
    bool isStale(std::int64_t snapshotEpoch) const { return snapshotEpoch < m_epoch; }

    /// Edits, or, for a scene in a file (path not empty), training since it was saved or opened; lastStep
    /// is the newest snapshot's step (negative when there is none yet). A step before the saved one is a
    /// frame the display thread made before the save's capture reached it, not a change (going back to
    /// step 0 is a reset, an edit).
    bool hasUnsavedChanges(const QString& path, std::int64_t lastStep) const {
        if (m_edited) return true;
        return !path.isEmpty() && lastStep >= 0 && lastStep > m_savedStep;
    }
    /// "EBM Lab — scene.ebmlab* — eight-gaussians · Contrastive divergence" (the file part only for a
    /// scene in a file, the star when it has unsaved changes).
    QString title(const QString& path, std::int64_t lastStep, const QString& target,
                  const QString& method) const;

private:
    bool m_edited = false;           ///< a user edit since the last save or open
    std::int64_t m_savedStep = 0;    ///< the step of the last save or open
    std::int64_t m_capturedStep = 0; ///< the step of the last capture for a save
    std::int64_t m_epoch = 0;        ///< sessions opened or models replaced
};

} // namespace ebm::ui
