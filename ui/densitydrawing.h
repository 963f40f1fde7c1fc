#pragma once
/// @file densitydrawing.h
/// The drawn density is core's (Qt-free, so ebmlab-cli can render a session's drawing too); the window
/// uses it under these names.
#include <ebm/core/drawing.h>

namespace ebm::ui {
using core::BrushOptions;
using core::DensityDrawing;
using core::GaussianBlob;
using core::normalisedRaster;
} // namespace ebm::ui
