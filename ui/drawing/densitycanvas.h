#pragma once
/// @file densitycanvas.h
/// The drawing pane: shows the drawn density (magma, scaled to its maximum) over the drawing's box and
/// edits it with the mouse. Brush and eraser paint along the drag; the Gaussian tool adds a component
/// where you click, moves it when you drag its centre, changes its width when you drag the handle on
/// its 1σ ring or turn the wheel over it; Delete removes the selected component.
#include <QImage>
#include <QWidget>
#include <algorithm>
#include <ebm/core/drawing.h>

namespace ebm::ui {

class DrawingDocument;

enum class DrawTool { Brush = 0, Eraser = 1, Gaussian = 2 };

class DensityCanvas : public QWidget {
    Q_OBJECT
public:
    explicit DensityCanvas(DrawingDocument* doc, QWidget* parent = nullptr);

    DrawTool tool() const { return m_tool; }
    void setTool(DrawTool t);
    core::BrushOptions brush() const { return m_brush; }
    void setBrush(const core::BrushOptions& b) {
        m_brush = b;
        update();
    }
    /// Width and weight given to new Gaussians.
    void setNewGaussian(double sigma, double weight);
    int selectedGaussian() const { return m_selected; }
    void selectGaussian(int i);
    /// Sets the selected component's weight (one undoable action).
    void setSelectedWeight(double w);

    /// Data point under a widget position, and back (the box is drawn as a centred square).
    QPointF toData(QPointF widgetPos) const;
    QPointF toWidget(QPointF dataPos) const;
    QRectF plotRect() const;

    /// Square: the height follows the width, never what the rest of the pane needs (no jumps).
    QSize sizeHint() const override { return {360, 360}; }
    QSize minimumSizeHint() const override { return {280, 280}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int w) const override { return std::max(w, 280); }

signals:
    void toolChanged(ebm::ui::DrawTool t);
    void selectionChanged(int index);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void leaveEvent(QEvent*) override;

private:
    enum class Drag { None, Paint, MoveGaussian, ResizeGaussian };
    DrawingDocument* m_doc;
    DrawTool m_tool = DrawTool::Brush;
    core::BrushOptions m_brush;
    double m_newSigma = 0.4, m_newWeight = 1.0;
    int m_selected = -1;
    Drag m_drag = Drag::None;
    QPointF m_last;              ///< last data point of a stroke
    QPointF m_grab;              ///< offset of the mouse from a dragged centre (data units)
    QPointF m_hover{-1e9, -1e9}; ///< widget position of the mouse (brush outline)
    QImage m_image;              ///< the density in colour, one pixel per cell
    QString m_dragText;

    void rebuildImage();
    int hitCentre(QPointF widgetPos) const;
    int hitHandle(QPointF widgetPos) const;
    QPointF handlePos(const core::GaussianBlob& g) const;
};

} // namespace ebm::ui
