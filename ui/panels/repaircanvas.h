#pragma once
/// @file repaircanvas.h
/// The repair demo's image, large, that the mouse edits (erasing a disc frees those pixels).
#include <QWidget>
#include <ebm/core/types.h>

namespace ebm::ui {

/// One image, large, that the mouse edits: dragging erases a disc (those pixels become free, start from
/// uniform noise, and are outlined — known pixels are drawn exactly in their grey).
class RepairCanvas : public QWidget {
    Q_OBJECT
public:
    explicit RepairCanvas(QWidget* parent = nullptr);
    void setImage(const core::Vecf& pixels, const core::Vecf& known, int w, int h);
    /// The widget position of image pixel (x, y)'s centre (tests drag there).
    QPoint pixelCentre(int x, int y) const;
    float brushRadius = 1.6f; ///< in image pixels

signals:
    void erased(float x, float y, float radius); ///< image-pixel coordinates of the brush centre

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;

private:
    core::Vecf m_pixels, m_known;
    int m_w = 0, m_h = 0;
    QRect imageRect() const;
    void eraseAt(QPointF p);
};

} // namespace ebm::ui
