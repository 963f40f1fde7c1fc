#pragma once
/// @file sessionrecords.h
/// Conversions between the window's types and the session file's Qt-free records.
#include "displaysettings.h"
#include <ebm/core/drawing.h>
#include <ebm/io/session.h>
#include <memory>

namespace ebm::ui {

io::DrawingRecord toRecord(const core::DensityDrawing& d);
io::DisplayRecord toRecord(const DisplaySettings& d);
DisplaySettings displayFromRecord(const io::DisplayRecord& r);

} // namespace ebm::ui
