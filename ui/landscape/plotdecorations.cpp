#include "plotdecorations.h"

#include <QFontMetrics>
#include <QLinearGradient>
#include <cmath>
#include <ebm/render/figure.h>

namespace ebm::ui {

QString tickLabel(double v, double spacing) {
    return QString::fromStdString(render::tickLabel(v, spacing)); // the exported figure's labels too
}

void drawAxes(QPainter& p, const QRect& plot, const ViewTransform& t, const Theme& th) {
    p.save();
    p.setPen(QPen(th.frame, 1));
    p.setBrush(Qt::NoBrush);
    // Through the centres of the plot's outermost pixels, so that it covers them on every side (the
    // antialiased QRect outline, adjusted by -1, left the landscape's last column outside it).
    p.drawRect(QRectF(plot).adjusted(0.5, 0.5, -0.5, -0.5));
    const core::Box b = t.box();
    const QFontMetrics fm(p.font());
    p.setPen(th.text);
    const std::vector<double> xt = render::niceTicks(b.x0, b.x1, std::max(2, plot.width() / 90));
    const double xs = xt.size() > 1 ? xt[1] - xt[0] : 1;
    for (double x : xt) {
        const double px = plot.left() + t.toPixel(QPointF(x, 0)).x();
        p.setPen(th.frame);
        p.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() + 5));
        p.setPen(th.text);
        const QString s = tickLabel(x, xs);
        p.drawText(QPointF(px - fm.horizontalAdvance(s) / 2.0, plot.bottom() + 7 + fm.ascent()), s);
    }
    const std::vector<double> yt = render::niceTicks(b.y0, b.y1, std::max(2, plot.height() / 70));
    const double ys = yt.size() > 1 ? yt[1] - yt[0] : 1;
    for (double y : yt) {
        const double py = plot.top() + t.toPixel(QPointF(0, y)).y();
        p.setPen(th.frame);
        p.drawLine(QPointF(plot.left() - 5, py), QPointF(plot.left(), py));
        p.setPen(th.text);
        const QString s = tickLabel(y, ys);
        p.drawText(QPointF(plot.left() - 8 - fm.horizontalAdvance(s), py + fm.ascent() / 2.0 - 1), s);
    }
    p.setPen(th.faint);
    p.drawText(QPointF(plot.right() - fm.horizontalAdvance(QStringLiteral("x₁")) - 2,
                       plot.bottom() + 7 + 2 * fm.height()),
               QStringLiteral("x₁"));
    p.save();
    p.translate(plot.left() - 44, plot.top() + 14);
    p.drawText(QPointF(0, 0), QStringLiteral("x₂"));
    p.restore();
    p.restore();
}

void drawColorBar(QPainter& p, const QRect& bar, const DisplayParams& d, const Theme& th) {
    p.save();
    QLinearGradient g(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 32; ++i)
        g.setColorAt(i / 32.0, qColorAt(d.colorMap, i / 32.0));
    p.fillRect(bar, g);
    p.setPen(th.frame);
    p.drawRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5)); // on the bar's outermost pixels, like the plot's

    const QFontMetrics fm(p.font());
    const std::vector<double> ticks = render::niceTicks(d.lo, d.hi, std::max(2, bar.height() / 45));
    const double sp = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
    for (double v : ticks) {
        const double y = bar.bottom() - (v - d.lo) / (d.hi - d.lo) * bar.height();
        p.setPen(th.frame);
        p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        p.setPen(th.text);
        p.drawText(QPointF(bar.right() + 7, y + fm.ascent() / 2.0 - 1), tickLabel(v, sp));
    }
    // The quantity's name, rotated along the bar.
    p.setPen(th.text);
    p.translate(bar.right() + 52, bar.center().y());
    p.rotate(90);
    const QString label = fm.elidedText(d.label, Qt::ElideRight, bar.height());
    p.drawText(QPointF(-fm.horizontalAdvance(label) / 2.0, 0), label);
    p.restore();
}

void drawLegendGlyph(QPainter& p, const QRectF& r, render::LegendGlyph g, const QColor& c) {
    p.save();
    const QPointF m = r.center();
    const double half = r.width() * 0.42, head = r.height() * 0.3,
                 radius = std::min(r.width(), r.height()) * 0.26;
    switch (g) {
    case render::LegendGlyph::Dot:
        p.setPen(Qt::NoPen);
        p.setBrush(c);
        p.drawEllipse(m, radius, radius);
        break;
    case render::LegendGlyph::Arrow: {
        QPen pen(c, std::max(1.5, r.height() / 8.0));
        pen.setCapStyle(Qt::RoundCap);
        p.setPen(pen);
        const QPointF tip(m.x() + half, m.y());
        p.drawLine(QPointF(m.x() - half, m.y()), tip);
        p.drawLine(tip, tip + QPointF(-head, -head));
        p.drawLine(tip, tip + QPointF(-head, head));
        break;
    }
    case render::LegendGlyph::Line:
        p.setPen(QPen(c, std::max(2.0, r.height() / 5.0)));
        p.drawLine(QPointF(m.x() - half, m.y()), QPointF(m.x() + half, m.y()));
        break;
    }
    p.restore();
}

QRect drawLegend(QPainter& p, const QRect& plot, const std::vector<render::LegendRow>& rows,
                 const Theme& th) {
    if (rows.empty()) return {};
    p.save();
    const QFontMetrics fm(p.font());
    int w = 0;
    for (const auto& r : rows)
        w = std::max(w, fm.horizontalAdvance(QString::fromStdString(r.text)));
    // Glyphs wider than tall, so an arrow reads as an arrow and a line as a line.
    const int rowH = fm.height() + 2, glyphH = std::max(10, fm.height() - 2), glyphW = glyphH * 8 / 5;
    const QRect box(plot.left() + 8, plot.top() + 8, w + glyphW + 18, rowH * int(rows.size()) + 8);
    QColor bg = th.background;
    bg.setAlpha(200);
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(box, 4, 4);
    for (size_t i = 0; i < rows.size(); ++i) {
        const int y = box.top() + 4 + int(i) * rowH;
        const render::LegendRow& r = rows[i];
        drawLegendGlyph(p, QRectF(box.left() + 5, y + (rowH - glyphH) / 2.0, glyphW, glyphH), r.glyph,
                        QColor(r.color.r, r.color.g, r.color.b));
        p.setPen(th.text);
        p.drawText(QPointF(box.left() + glyphW + 11, y + fm.ascent() + 1), QString::fromStdString(r.text));
    }
    p.restore();
    return box;
}

} // namespace ebm::ui
