#pragma once
/// @file drawingdocument.h
/// The drawing being edited and its undo history. Every action (a stroke, a Gaussian added, moved or
/// resized, blur, clear, an image, text, formula or preset) is one QUndoCommand holding the drawing
/// before and after, so undo and redo restore it exactly. The document also knows what the drawing was
/// made from (its source: "log p = …", "Text …", a preset, an image), and undo and redo restore that
/// with the drawing, so a caption showing it always describes the drawing on screen.
#include <QObject>
#include <QString>
#include <QUndoStack>
#include <ebm/core/drawing.h>
#include <optional>

namespace ebm::ui {

class DrawingDocument : public QObject {
    Q_OBJECT
public:
    explicit DrawingDocument(QObject* parent = nullptr);

    const core::DensityDrawing& drawing() const { return m_drawing; }
    /// What the drawing was made from (empty: drawn by hand, cleared, or opened with a session). Strokes,
    /// Gaussians and blur on top keep it: the drawing still builds on that source.
    QString source() const { return m_source; }
    QUndoStack* undoStack() { return &m_undo; }

    /// Replaces the drawing and forgets the undo history (a session was opened); the source is cleared.
    void reset(const core::DensityDrawing& d);
    /// Replaces the drawing as one undoable action named text (nothing happens if it is unchanged).
    /// source, if given, becomes the drawing's source (an empty one clears it); otherwise it is kept.
    void apply(const core::DensityDrawing& after, const QString& text, std::optional<QString> source = {});

    /// A continuous edit (a stroke, a drag): begin, change the drawing as often as needed through
    /// liveEdit() (each change is shown at once), then end, which records one undoable action.
    void beginEdit();
    core::DensityDrawing& liveEdit();
    void liveChanged(); ///< emits changed() after liveEdit() modifications
    void endEdit(const QString& text);
    bool editing() const { return m_before.has_value(); }

signals:
    /// The drawing changed (an action, an undo or redo, or a live edit).
    void changed();

private:
    friend class DrawingEditCommand;
    core::DensityDrawing m_drawing;
    QString m_source;
    std::optional<core::DensityDrawing> m_before;
    QUndoStack m_undo;
    void set(const core::DensityDrawing& d, const QString& source);
};

} // namespace ebm::ui
