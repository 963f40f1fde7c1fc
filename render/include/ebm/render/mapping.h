#pragma once
/// @file mapping.h
/// The numbers that turn energies into colours, shared by the GL view (ui/displaymapping.cpp, whose
/// shader landscape_main.glsl applies the same per-pixel formula) and the CPU renderer: the displayed
/// quantity, its range over the visible cells and the spacing of the iso-lines.
#include <vector>

namespace ebm::render {

/// What the landscape shows of an energy E (same order as the shader's u_quantity).
enum class Quantity { Energy = 0, UnnormalisedDensity = 1, Density = 2, LogDensity = 3 };

struct ColorRange {
    float lo = 0, hi = 1;     ///< displayed value at the two ends of the colour map
    float eMin = 0;           ///< smallest energy on the visible cells
    float beta = 1;           ///< β of the quantity
    float logZ = 0;           ///< log Z at β
    float contourStep = 0.1f; ///< spacing of the iso-lines
};

/// The q-quantile of v (reorders v); 0 for an empty v.
float quantile(std::vector<float>& v, double q);
/// A 1-2-5 step that splits range into about count pieces.
float niceStep(float range, int count);
/// The displayed value for energy e (the shader's displayed()).
float displayedValue(float e, Quantity q, const ColorRange& r);
/// The colour range of quantity q for the finite energies of the visible cells (reorders them).
ColorRange energyRange(std::vector<float>& energies, Quantity q, float beta, float logZ);

} // namespace ebm::render
