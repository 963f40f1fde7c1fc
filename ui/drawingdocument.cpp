#include "drawingdocument.h"

#include <QUndoCommand>

namespace ebm::ui {

class DrawingEditCommand : public QUndoCommand {
public:
    DrawingEditCommand(DrawingDocument* doc, DensityDrawing before, DensityDrawing after, const QString& text)
        : QUndoCommand(text), m_doc(doc), m_before(std::move(before)), m_after(std::move(after)) {}
    void undo() override { m_doc->set(m_before); }
    void redo() override { m_doc->set(m_after); }

private:
    DrawingDocument* m_doc;
    DensityDrawing m_before, m_after;
};

DrawingDocument::DrawingDocument(QObject* parent) : QObject(parent) {
    // Each step holds two 256² rasters (~0.5 MB): 100 steps of history stay around 50 MB.
    m_undo.setUndoLimit(100);
}

void DrawingDocument::set(const DensityDrawing& d) {
    m_drawing = d;
    emit changed();
}

void DrawingDocument::reset(const DensityDrawing& d) {
    m_before.reset();
    m_undo.clear();
    set(d);
}

void DrawingDocument::apply(const DensityDrawing& after, const QString& text) {
    if (m_before) endEdit(text);
    if (after == m_drawing) return;
    m_undo.push(new DrawingEditCommand(this, m_drawing, after, text));
}

void DrawingDocument::beginEdit() {
    if (!m_before) m_before = m_drawing;
}

DensityDrawing& DrawingDocument::liveEdit() {
    beginEdit();
    return m_drawing;
}

void DrawingDocument::liveChanged() {
    emit changed();
}

void DrawingDocument::endEdit(const QString& text) {
    if (!m_before) return;
    DensityDrawing before = std::move(*m_before);
    m_before.reset();
    if (before == m_drawing) return;
    m_undo.push(new DrawingEditCommand(this, std::move(before), m_drawing, text));
}

} // namespace ebm::ui
