#include "densitycanvas.h"

#include "colormaps.h"
#include "drawingdocument.h"
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <cmath>

namespace ebm::ui {

namespace {
constexpr double kHitPixels = 9.0; // how close (pixels) a click must be to a centre or a handle
}

DensityCanvas::DensityCanvas(DrawingDocument* doc, QWidget* parent) : QWidget(parent), m_doc(doc) {
    setObjectName(QStringLiteral("densityCanvas"));
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::CrossCursor);
    QSizePolicy sp(QSizePolicy::Expanding, QSizePolicy::Preferred);
    sp.setHeightForWidth(true);
    setSizePolicy(sp);
    setToolTip(tr("Draw the target density: brush (B), eraser (E), Gaussian components (G). "
                  "Ctrl+Z undo, Ctrl+Shift+Z redo"));
    connect(m_doc, &DrawingDocument::changed, this, [this] {
        if (m_selected >= int(m_doc->drawing().gaussians().size())) selectGaussian(-1);
        rebuildImage();
        update();
    });
    rebuildImage();
}

void DensityCanvas::setTool(DrawTool t) {
    if (t == m_tool) return;
    m_tool = t;
    emit toolChanged(t);
    update();
}

void DensityCanvas::setNewGaussian(double sigma, double weight) {
    m_newSigma = sigma;
    m_newWeight = weight;
}

void DensityCanvas::selectGaussian(int i) {
    if (i >= int(m_doc->drawing().gaussians().size())) i = -1;
    if (i == m_selected) return;
    m_selected = i;
    emit selectionChanged(i);
    update();
}

void DensityCanvas::setSelectedWeight(double w) {
    if (m_selected < 0) return;
    core::DensityDrawing d = m_doc->drawing();
    core::GaussianBlob g = d.gaussians()[size_t(m_selected)];
    g.weight = w;
    d.setGaussian(m_selected, g);
    m_doc->apply(d, tr("Change Gaussian weight"));
}

QRectF DensityCanvas::plotRect() const {
    const double side = std::max(10.0, std::min(width(), height()) - 16.0);
    return QRectF((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF DensityCanvas::toData(QPointF p) const {
    const QRectF r = plotRect();
    const core::Box& b = m_doc->drawing().box();
    return {b.x0 + (p.x() - r.left()) / r.width() * b.width(),
            b.y1 - (p.y() - r.top()) / r.height() * b.height()};
}

QPointF DensityCanvas::toWidget(QPointF q) const {
    const QRectF r = plotRect();
    const core::Box& b = m_doc->drawing().box();
    return {r.left() + (q.x() - b.x0) / b.width() * r.width(),
            r.top() + (b.y1 - q.y()) / b.height() * r.height()};
}

QPointF DensityCanvas::handlePos(const core::GaussianBlob& g) const {
    return toWidget(QPointF(g.x + g.sigma, g.y));
}

int DensityCanvas::hitCentre(QPointF p) const {
    const auto& gs = m_doc->drawing().gaussians();
    for (int i = int(gs.size()) - 1; i >= 0; --i)
        if (QLineF(p, toWidget(QPointF(gs[size_t(i)].x, gs[size_t(i)].y))).length() <= kHitPixels) return i;
    return -1;
}

int DensityCanvas::hitHandle(QPointF p) const {
    const auto& gs = m_doc->drawing().gaussians();
    for (int i = int(gs.size()) - 1; i >= 0; --i)
        if (QLineF(p, handlePos(gs[size_t(i)])).length() <= kHitPixels) return i;
    return -1;
}

void DensityCanvas::rebuildImage() {
    const core::DensityDrawing& d = m_doc->drawing();
    const Eigen::MatrixXd v = d.values();
    const double mx = std::max(v.maxCoeff(), 1e-12);
    const int n = d.cells();
    m_image = QImage(n, n, QImage::Format_RGB32);
    for (int py = 0; py < n; ++py) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(py));
        for (int px = 0; px < n; ++px)
            line[px] = qColorAt(ColorMap::Magma, std::clamp(v(n - 1 - py, px) / mx, 0.0, 1.0)).rgb();
    }
}

void DensityCanvas::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().window());
    const QRectF r = plotRect();
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    p.drawImage(r, m_image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette().mid().color(), 1));
    p.drawRect(r);
    // Axes through the origin, faint, so positions relate to the landscape view.
    const QPointF o = toWidget(QPointF(0, 0));
    p.setPen(QPen(QColor(255, 255, 255, 40), 1, Qt::DashLine));
    if (r.contains(QPointF(o.x(), r.center().y())))
        p.drawLine(QPointF(o.x(), r.top()), QPointF(o.x(), r.bottom()));
    if (r.contains(QPointF(r.center().x(), o.y())))
        p.drawLine(QPointF(r.left(), o.y()), QPointF(r.right(), o.y()));

    const auto& gs = m_doc->drawing().gaussians();
    for (int i = 0; i < int(gs.size()); ++i) {
        const core::GaussianBlob& g = gs[size_t(i)];
        const QPointF c = toWidget(QPointF(g.x, g.y));
        const double rad = QLineF(c, handlePos(g)).length();
        const QColor col = i == m_selected ? QColor(90, 200, 255) : QColor(230, 230, 230);
        p.setPen(QPen(col, i == m_selected ? 2 : 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, rad, rad);
        p.setPen(QPen(col, 2));
        p.drawLine(c + QPointF(-5, 0), c + QPointF(5, 0));
        p.drawLine(c + QPointF(0, -5), c + QPointF(0, 5));
        p.setBrush(col);
        p.drawRect(QRectF(handlePos(g) - QPointF(3.5, 3.5), QSizeF(7, 7)));
    }
    if (m_tool != DrawTool::Gaussian && r.contains(m_hover)) {
        const double rad = m_brush.radius / m_doc->drawing().box().width() * r.width();
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(m_tool == DrawTool::Eraser ? QColor(120, 200, 255) : QColor(255, 255, 255, 200), 1));
        p.drawEllipse(m_hover, rad, rad);
        if (m_brush.hardness < 1) {
            p.setPen(QPen(QColor(255, 255, 255, 90), 1, Qt::DotLine));
            p.drawEllipse(m_hover, rad * m_brush.hardness, rad * m_brush.hardness);
        }
    }
    if (m_doc->drawing().isEmpty()) {
        p.setPen(palette().text().color());
        p.drawText(r, Qt::AlignCenter | Qt::TextWordWrap,
                   tr("Paint a density here\n(or add Gaussians, load an image,\ntype text or a formula)"));
    }
}

void DensityCanvas::mousePressEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton) return;
    setFocus();
    const QPointF q = toData(e->position());
    if (m_tool == DrawTool::Gaussian) {
        if (const int h = hitHandle(e->position()); h >= 0) {
            selectGaussian(h);
            m_drag = Drag::ResizeGaussian;
            m_dragText = tr("Resize Gaussian");
        } else if (const int c = hitCentre(e->position()); c >= 0) {
            selectGaussian(c);
            const core::GaussianBlob& g = m_doc->drawing().gaussians()[size_t(c)];
            m_grab = q - QPointF(g.x, g.y);
            m_drag = Drag::MoveGaussian;
            m_dragText = tr("Move Gaussian");
        } else {
            if (!plotRect().contains(e->position())) return;
            const int i =
                m_doc->liveEdit().addGaussian(core::GaussianBlob{q.x(), q.y(), m_newSigma, m_newWeight});
            m_doc->liveChanged();
            selectGaussian(i);
            m_grab = QPointF(0, 0);
            m_drag = Drag::MoveGaussian; // dragging right after adding moves the new component
            m_dragText = tr("Add Gaussian");
        }
        m_doc->beginEdit();
        return;
    }
    core::BrushOptions b = m_brush;
    b.erase = m_tool == DrawTool::Eraser;
    m_doc->liveEdit().dab(q.x(), q.y(), b);
    m_doc->liveChanged();
    m_last = q;
    m_drag = Drag::Paint;
    m_dragText = b.erase ? tr("Erase") : tr("Brush stroke");
}

void DensityCanvas::mouseMoveEvent(QMouseEvent* e) {
    m_hover = e->position();
    const QPointF q = toData(e->position());
    switch (m_drag) {
    case Drag::None:
        break;
    case Drag::Paint: {
        core::BrushOptions b = m_brush;
        b.erase = m_tool == DrawTool::Eraser;
        m_doc->liveEdit().stroke(m_last.x(), m_last.y(), q.x(), q.y(), b);
        m_doc->liveChanged();
        m_last = q;
        break;
    }
    case Drag::MoveGaussian:
    case Drag::ResizeGaussian: {
        core::DensityDrawing& d = m_doc->liveEdit();
        if (m_selected < 0) break;
        core::GaussianBlob g = d.gaussians()[size_t(m_selected)];
        if (m_drag == Drag::MoveGaussian) {
            g.x = q.x() - m_grab.x();
            g.y = q.y() - m_grab.y();
        } else {
            g.sigma = std::hypot(q.x() - g.x, q.y() - g.y);
        }
        d.setGaussian(m_selected, g);
        m_doc->liveChanged();
        break;
    }
    }
    update();
}

void DensityCanvas::mouseReleaseEvent(QMouseEvent* e) {
    if (e->button() != Qt::LeftButton || m_drag == Drag::None) return;
    m_drag = Drag::None;
    m_doc->endEdit(m_dragText);
}

void DensityCanvas::wheelEvent(QWheelEvent* e) {
    const int i = hitCentre(e->position()) >= 0 ? hitCentre(e->position()) : m_selected;
    if (i < 0 || m_drag != Drag::None) {
        e->ignore();
        return;
    }
    selectGaussian(i);
    core::DensityDrawing d = m_doc->drawing();
    core::GaussianBlob g = d.gaussians()[size_t(i)];
    g.sigma *= std::pow(1.1, e->angleDelta().y() / 120.0);
    d.setGaussian(i, g);
    m_doc->apply(d, tr("Resize Gaussian"));
    e->accept();
}

void DensityCanvas::keyPressEvent(QKeyEvent* e) {
    switch (e->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        if (m_selected >= 0) {
            core::DensityDrawing d = m_doc->drawing();
            d.removeGaussian(m_selected);
            selectGaussian(-1);
            m_doc->apply(d, tr("Remove Gaussian"));
            return;
        }
        break;
    case Qt::Key_B:
        setTool(DrawTool::Brush);
        return;
    case Qt::Key_E:
        setTool(DrawTool::Eraser);
        return;
    case Qt::Key_G:
        setTool(DrawTool::Gaussian);
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(e);
}

void DensityCanvas::leaveEvent(QEvent*) {
    m_hover = QPointF(-1e9, -1e9);
    update();
}

} // namespace ebm::ui
