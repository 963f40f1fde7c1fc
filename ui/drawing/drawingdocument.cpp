#include "drawingdocument.h"

#include <QUndoCommand>

namespace ebm::ui {

class DrawingEditCommand : public QUndoCommand {
public:
    DrawingEditCommand(DrawingDocument* doc, core::DensityDrawing before, core::DensityDrawing after,
                       const QString& text, QString sourceBefore, QString sourceAfter)
        : QUndoCommand(text), m_doc(doc), m_before(std::move(before)), m_after(std::move(after)),
          m_sourceBefore(std::move(sourceBefore)), m_sourceAfter(std::move(sourceAfter)) {}
    void undo() override { m_doc->set(m_before, m_sourceBefore); }
    void redo() override { m_doc->set(m_after, m_sourceAfter); }

private:
    DrawingDocument* m_doc;
    core::DensityDrawing m_before, m_after;
    QString m_sourceBefore, m_sourceAfter;
};

DrawingDocument::DrawingDocument(QObject* parent) : QObject(parent) {
    // Each step holds two 256² rasters (~0.5 MB): 100 steps of history stay around 50 MB.
    m_undo.setUndoLimit(100);
}

void DrawingDocument::set(const core::DensityDrawing& d, const QString& source) {
    m_drawing = d;
    m_source = source;
    emit changed();
}

void DrawingDocument::reset(const core::DensityDrawing& d) {
    m_before.reset();
    m_undo.clear();
    set(d, QString());
}

void DrawingDocument::apply(const core::DensityDrawing& after, const QString& text,
                            std::optional<QString> source) {
    if (m_before) endEdit(text);
    if (after == m_drawing) return;
    m_undo.push(new DrawingEditCommand(this, m_drawing, after, text, m_source, source.value_or(m_source)));
}

void DrawingDocument::beginEdit() {
    if (!m_before) m_before = m_drawing;
}

core::DensityDrawing& DrawingDocument::liveEdit() {
    beginEdit();
    return m_drawing;
}

void DrawingDocument::liveChanged() {
    emit changed();
}

void DrawingDocument::endEdit(const QString& text) {
    if (!m_before) return;
    core::DensityDrawing before = std::move(*m_before);
    m_before.reset();
    if (before == m_drawing) return;
    m_undo.push(new DrawingEditCommand(this, std::move(before), m_drawing, text, m_source, m_source));
}

} // namespace ebm::ui
