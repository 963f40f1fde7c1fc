#pragma once
/// @file displaysettings.h
/// What the landscape view shows: which field, as which quantity, in which colours, with which layers.
#include "colormaps.h"

namespace ebm::ui {

enum class FieldSource { Model = 0, Target = 1, Difference = 2, FisherMap = 3 };
enum class Quantity { Energy = 0, UnnormalisedDensity = 1, Density = 2, LogDensity = 3 };
enum class EvalPath { Auto = 0, GridTexture = 1, ShaderMlp = 2 };

struct DisplaySettings {
    FieldSource source = FieldSource::Model;
    Quantity quantity = Quantity::Energy;
    ColorMap colorMap = ColorMap::Viridis;
    EvalPath path = EvalPath::Auto;
    bool lockRange = false;  ///< keep the colour range where it is (else robust, eased from frame to frame)
    bool landscape = true;   ///< the coloured field
    bool contours = true;    ///< iso-lines of the displayed quantity
    bool vectorField = true; ///< score arrows −β∇E
    bool particles = true;   ///< live sampler particles (with trails)
    bool trails = true;
    bool data = true;       ///< the last training batch
    bool methodView = true; ///< what the method sees: CD negatives, SM target score, NCE noise + boundary
};

} // namespace ebm::ui
