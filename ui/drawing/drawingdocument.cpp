#include "drawingdocument.h"

#include <QByteArray>
#include <QUndoCommand>
#include <cstring>

namespace ebm::ui {

namespace {
// A drawing as the undo history keeps it: the paint compressed losslessly (zlib), the rest as it is. A
// 256² raster is 256 kB of floats but mostly empty or smooth: one soft stroke compresses to about 3 kB, so
// the 100 steps of history hold a few megabytes at most where two full rasters a step held up to 50 MB.
class CompactDrawing {
public:
    explicit CompactDrawing(const core::DensityDrawing& d)
        : m_box(d.box()), m_cells(d.cells()), m_gaussians(d.gaussians()),
          m_paint(qCompress(reinterpret_cast<const uchar*>(d.paint().data()),
                            qsizetype(d.paint().size() * sizeof(float)), 1)) {}
    core::DensityDrawing expand() const {
        core::DensityDrawing d(m_box, m_cells);
        const QByteArray raw = qUncompress(m_paint);
        core::DensityDrawing::Raster r(m_cells, m_cells);
        std::memcpy(r.data(), raw.constData(), std::size_t(r.size()) * sizeof(float));
        d.setPaint(r);
        for (const core::GaussianBlob& g : m_gaussians)
            d.addGaussian(g);
        return d;
    }

private:
    core::Box m_box;
    int m_cells;
    std::vector<core::GaussianBlob> m_gaussians;
    QByteArray m_paint;
};
} // namespace

class DrawingEditCommand : public QUndoCommand {
public:
    DrawingEditCommand(DrawingDocument* doc, const core::DensityDrawing& before,
                       const core::DensityDrawing& after, const QString& text, QString sourceBefore,
                       QString sourceAfter)
        : QUndoCommand(text), m_doc(doc), m_before(before), m_after(after),
          m_sourceBefore(std::move(sourceBefore)), m_sourceAfter(std::move(sourceAfter)) {}
    void undo() override { m_doc->set(m_before.expand(), m_sourceBefore); }
    void redo() override { m_doc->set(m_after.expand(), m_sourceAfter); }

private:
    DrawingDocument* m_doc;
    CompactDrawing m_before, m_after;
    QString m_sourceBefore, m_sourceAfter;
};

DrawingDocument::DrawingDocument(QObject* parent) : QObject(parent) {
    // 100 steps of history: each holds two compressed drawings (CompactDrawing), a few kB to tens of kB.
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
    m_undo.push(new DrawingEditCommand(this, before, m_drawing, text, m_source, m_source));
}

} // namespace ebm::ui
