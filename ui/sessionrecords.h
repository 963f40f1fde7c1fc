#pragma once
/// @file sessionrecords.h
/// Conversions between the window's types and the session file's Qt-free records.
#include "densitydrawing.h"
#include "displaysettings.h"
#include <ebm/io/session.h>
#include <memory>

namespace ebm::ui {

io::DrawingRecord toRecord(const DensityDrawing& d);
/// Throws core::InvalidArgument if the record does not make a drawing.
DensityDrawing drawingFromRecord(const io::DrawingRecord& r);
io::DisplayRecord toRecord(const DisplaySettings& d);
DisplaySettings displayFromRecord(const io::DisplayRecord& r);
/// The density a session trains on: its preset, or its drawing. Throws core::InvalidArgument.
std::shared_ptr<const core::TargetDensity> targetOf(const io::SessionFile& s);

} // namespace ebm::ui
