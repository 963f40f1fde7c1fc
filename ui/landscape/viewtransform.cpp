#include "viewtransform.h"

#include <algorithm>

namespace ebm::ui {

void ViewTransform::fit(const core::Box& box, QSize size) {
    m_size = size.isValid() && !size.isEmpty() ? size : QSize(1, 1);
    m_center = QPointF((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2);
    m_upp = std::max(box.width() / m_size.width(), box.height() / m_size.height());
}

void ViewTransform::resize(QSize size) {
    if (size.isEmpty()) return;
    // Keep the smaller visible extent: a resize shows more, never less, of the data.
    const double extent = std::min(m_size.width(), m_size.height()) * m_upp;
    m_size = size;
    m_upp = extent / std::min(size.width(), size.height());
}

void ViewTransform::panPixels(QPointF delta) {
    m_center -= QPointF(delta.x() * m_upp, -delta.y() * m_upp);
}

void ViewTransform::zoomAt(QPointF pixel, double factor) {
    if (factor <= 0) return;
    const QPointF before = toData(pixel);
    m_upp = std::clamp(m_upp / factor, 1e-6, 1e3);
    const QPointF after = toData(pixel);
    m_center += before - after;
}

core::Box ViewTransform::box() const {
    const double hw = m_size.width() * m_upp / 2, hh = m_size.height() * m_upp / 2;
    return core::Box{m_center.x() - hw, m_center.x() + hw, m_center.y() - hh, m_center.y() + hh};
}

QPointF ViewTransform::toPixel(QPointF d) const {
    return QPointF((d.x() - m_center.x()) / m_upp + m_size.width() / 2.0,
                   m_size.height() / 2.0 - (d.y() - m_center.y()) / m_upp);
}

QPointF ViewTransform::toData(QPointF p) const {
    return QPointF(m_center.x() + (p.x() - m_size.width() / 2.0) * m_upp,
                   m_center.y() - (p.y() - m_size.height() / 2.0) * m_upp);
}

} // namespace ebm::ui
