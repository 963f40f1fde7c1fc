#pragma once
/// @file displaysettings.h
/// What the landscape view shows: which field, as which quantity, in which colours, with which layers.
#include "colormaps.h"
#include <ebm/io/displaylayers.h>
#include <ebm/render/mapping.h>

namespace ebm::ui {

enum class FieldSource { Model = 0, Target = 1, Difference = 2, FisherMap = 3 };
using render::Quantity; ///< what the colours show: energy, (unnormalised) density or log density
enum class EvalPath { Auto = 0, GridTexture = 1, ShaderMlp = 2 };

/// The layers (io::DisplayLayers, shared with the session file and the window's settings) and how the
/// field is shown.
struct DisplaySettings : io::DisplayLayers {
    FieldSource source = FieldSource::Model;
    Quantity quantity = Quantity::Energy;
    ColorMap colorMap = ColorMap::Viridis;
    EvalPath path = EvalPath::Auto;
    bool lockRange = false; ///< keep the colour range where it is (else robust, eased from frame to frame)
};

} // namespace ebm::ui
