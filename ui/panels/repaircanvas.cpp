#include "repaircanvas.h"

#include <QMouseEvent>
#include <QPainter>
#include <cmath>

namespace ebm::ui {

using core::Vecf;

RepairCanvas::RepairCanvas(QWidget* parent) : QWidget(parent) {
    setMinimumSize(160, 160);
    setMaximumHeight(240);
    setCursor(Qt::CrossCursor);
    setToolTip(
        tr("Drag to erase pixels: they become unknown (outlined in orange) and Langevin fills them in"));
}

void RepairCanvas::setImage(const Vecf& pixels, const Vecf& known, int w, int h) {
    m_pixels = pixels;
    m_known = known;
    m_w = w;
    m_h = h;
    update();
}

QRect RepairCanvas::imageRect() const {
    const int side = std::max(1, std::min(width(), height()) - 4);
    return QRect((width() - side) / 2, (height() - side) / 2, side, side);
}

QPoint RepairCanvas::pixelCentre(int x, int y) const {
    const QRect r = imageRect();
    return QPoint(int(r.x() + (x + 0.5) * r.width() / std::max(1, m_w)),
                  int(r.y() + (y + 0.5) * r.height() / std::max(1, m_h)));
}

void RepairCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(30, 31, 36));
    if (m_w == 0) return;
    const QRect r = imageRect();
    const double cw = double(r.width()) / m_w, ch = double(r.height()) / m_h;
    const auto cell = [&](int x, int y) { return QRectF(r.x() + x * cw, r.y() + y * ch, cw, ch); };
    const auto isFree = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < m_w && y < m_h && m_known(y * m_w + x) < 0.5f;
    };
    // Every pixel in its own grey: the image stays readable, known pixels exactly as they are.
    bool anyKnown = false;
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            const int g = int(std::clamp(m_pixels(y * m_w + x), 0.0f, 1.0f) * 255.0f + 0.5f);
            p.fillRect(cell(x, y).adjusted(0, 0, 0.5, 0.5), QColor(g, g, g));
            anyKnown = anyKnown || !isFree(x, y);
        }
    // The free pixels: a faint wash where only some are free (inpainting; with noise every pixel is free
    // and the wash would only dim the image), and the outline of their region, drawn inside it.
    const QColor mark(255, 170, 60);
    if (anyKnown)
        for (int y = 0; y < m_h; ++y)
            for (int x = 0; x < m_w; ++x)
                if (isFree(x, y)) p.fillRect(cell(x, y), QColor(mark.red(), mark.green(), mark.blue(), 40));
    p.setPen(QPen(mark, 1.5));
    const double in = 0.75; // half the pen: the line stays on the free side of the edge
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            if (!isFree(x, y)) continue;
            const QRectF c = cell(x, y);
            if (!isFree(x - 1, y))
                p.drawLine(QPointF(c.left() + in, c.top()), QPointF(c.left() + in, c.bottom()));
            if (!isFree(x + 1, y))
                p.drawLine(QPointF(c.right() - in, c.top()), QPointF(c.right() - in, c.bottom()));
            if (!isFree(x, y - 1))
                p.drawLine(QPointF(c.left(), c.top() + in), QPointF(c.right(), c.top() + in));
            if (!isFree(x, y + 1))
                p.drawLine(QPointF(c.left(), c.bottom() - in), QPointF(c.right(), c.bottom() - in));
        }
}

void RepairCanvas::eraseAt(QPointF pos) {
    const QRect r = imageRect();
    if (m_w == 0 || !r.contains(pos.toPoint())) return;
    emit erased(float((pos.x() - r.x()) / r.width() * m_w - 0.5),
                float((pos.y() - r.y()) / r.height() * m_h - 0.5), brushRadius);
}

void RepairCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton) eraseAt(e->position());
}

void RepairCanvas::mouseMoveEvent(QMouseEvent* e) {
    if (e->buttons() & Qt::LeftButton) eraseAt(e->position());
}

} // namespace ebm::ui
