#pragma once
/// @file plotdecorations.h
/// What QPainter draws around and over the GL plot: axes with tick labels, the colour bar with values,
/// and the legend of the point sets.
#include "displaymapping.h"
#include "viewtransform.h"
#include <QColor>
#include <QPainter>
#include <QRect>
#include <QString>
#include <ebm/render/legend.h>
#include <vector>

namespace ebm::ui {

struct Theme {
    QColor background{30, 31, 36};
    QColor text{216, 218, 223};
    QColor faint{120, 124, 135};
    QColor frame{90, 94, 104};
};

/// A compact label for a tick value given the spacing.
QString tickLabel(double v, double spacing);

/// Axes: a frame around `plot`, ticks and labels along the bottom (x1) and left (x2) edges.
void drawAxes(QPainter& p, const QRect& plot, const ViewTransform& t, const Theme& th);
/// A vertical colour bar in `bar` with ticks and the label of the quantity.
void drawColorBar(QPainter& p, const QRect& bar, const DisplayParams& d, const Theme& th);
/// The legend, top-left inside the plot: one row per layer with its glyph (dot, arrow, line) and colour.
/// Returns the legend's rectangle (empty for no rows).
QRect drawLegend(QPainter& p, const QRect& plot, const std::vector<render::LegendRow>& rows, const Theme& th);
/// A legend glyph centred in r.
void drawLegendGlyph(QPainter& p, const QRectF& r, render::LegendGlyph g, const QColor& c);

} // namespace ebm::ui
