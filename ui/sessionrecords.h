#pragma once
/// @file sessionrecords.h
/// Conversions between the window's types and the session file's Qt-free records.
#include "densitydrawing.h"
#include "displaysettings.h"
#include <ebm/io/session.h>
#include <memory>

namespace ebm::ui {

io::DrawingRecord toRecord(const DensityDrawing& d);
io::DisplayRecord toRecord(const DisplaySettings& d);
DisplaySettings displayFromRecord(const io::DisplayRecord& r);

} // namespace ebm::ui
