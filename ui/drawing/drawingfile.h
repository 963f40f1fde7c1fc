#pragma once
/// @file drawingfile.h
/// A drawing on its own, outside a session: NAME.json (box, Gaussian components, and the name of the
/// paint image) beside NAME.png (the paint as a 16-bit greyscale image, top row = y1, white = 1).
/// Format in docs/drawing.md.
#include <QString>
#include <ebm/core/drawing.h>

namespace ebm::ui {

/// Writes path (…/NAME.json) and …/NAME.png, each atomically; throws DrawingError on failure.
void saveDrawing(const core::DensityDrawing& d, const QString& jsonPath);
/// Reads a drawing written by saveDrawing: everything is read and checked before anything is returned.
/// Throws DrawingError naming the file and the problem.
core::DensityDrawing loadDrawing(const QString& jsonPath);

} // namespace ebm::ui
