#pragma once
/// @file viewtransform.h
/// Maps data coordinates to the pixels of the plot area and back, with equal scales on both axes.
/// Pan and zoom keep the data point under the cursor fixed.
#include <QPointF>
#include <QRectF>
#include <QSize>
#include <ebm/core/types.h>

namespace ebm::ui {

class ViewTransform {
public:
    /// Shows `box` (grown on one axis to keep the aspect ratio) in a plot of `size` pixels.
    void fit(const core::Box& box, QSize size);
    void resize(QSize size);
    /// Moves the view by a pixel delta (drag).
    void panPixels(QPointF delta);
    /// Zooms by factor (>1 zooms in) keeping the data point under `pixel` fixed.
    void zoomAt(QPointF pixel, double factor);

    QSize size() const { return m_size; }
    double unitsPerPixel() const { return m_upp; }
    QPointF center() const { return m_center; }
    /// The visible data box.
    core::Box box() const;
    /// Data -> pixel (origin top-left, y down) and back.
    QPointF toPixel(QPointF data) const;
    QPointF toData(QPointF pixel) const;

private:
    QPointF m_center{0, 0};
    double m_upp = 8.0 / 512; // data units per pixel
    QSize m_size{512, 512};
};

} // namespace ebm::ui
