#pragma once
/// @file drawingsources.h
/// Ways to fill a drawing other than the brush: an image file (dark = high density), a word rendered
/// with a font, and a typed formula for the log-density (muparser). Each returns a raster of the
/// drawing's size with values in [0, 1], or throws DrawingError with a message for the user; none of
/// them touches an existing drawing, so a failure loses nothing.
#include <QString>
#include <ebm/core/drawing.h>
#include <stdexcept>

class QImage;

namespace ebm::ui {

class DrawingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Images larger than this (pixels a side) are refused before they are decoded.
constexpr int kMaxImageSide = 8192;

/// Darkness (or brightness, with invert) of an image, fitted into cells x cells keeping its aspect
/// ratio and centred; transparent pixels count as white (no density).
core::DensityDrawing::Raster rasterFromImage(const QImage& image, int cells, bool invert);
/// Reads and converts an image file (PNG, JPEG, …). Throws DrawingError if it cannot be read or
/// decoded, is empty or huge, or has no dark pixel (no density).
core::DensityDrawing::Raster rasterFromImageFile(const QString& path, int cells, bool invert);
/// The text rendered in a bold sans-serif font, as large as fits 85% of the width. Throws
/// DrawingError for empty text.
core::DensityDrawing::Raster rasterFromText(const QString& text, int cells);

/// The longest formula accepted (characters): checking one as the user types stays instant.
constexpr int kMaxFormulaLength = 2000;

/// Result of checking a formula as the user types.
struct FormulaCheck {
    bool ok = false;
    QString message;   ///< what is wrong, for display under the field
    int position = -1; ///< character position of the problem, -1 if unknown
};
/// Parses a log-density expression in x and y (muparser syntax: + - * / ^, sqrt, exp, log, sin, …,
/// pi, _e) without evaluating it on the grid. Longer than kMaxFormulaLength: refused.
FormulaCheck checkFormula(const QString& expr);
/// exp(f(x, y) − max f) at the cell centres of the box. Throws DrawingError on a syntax error, if the
/// formula is NaN or +∞ somewhere, or −∞ everywhere (no density), or if evaluating it on the grid takes
/// longer than budgetMs (0: no limit; the Draw pane gives it a few seconds on a worker thread).
core::DensityDrawing::Raster rasterFromFormula(const QString& expr, const core::Box& box, int cells,
                                               int budgetMs = 0);

} // namespace ebm::ui
