#pragma once
/// @file displaymapping.h
/// The numbers that turn a snapshot's energies into colours: the colour range of the displayed
/// quantity over the visible cells, the contour spacing and the labels of the colour bar. The shader
/// applies the same formulas per pixel (landscape_main.glsl).
#include "displaysettings.h"
#include "trainingsnapshot.h"
#include <QString>
#include <ebm/render/mapping.h>

namespace ebm::ui {

struct DisplayParams {
    float lo = 0, hi = 1;     ///< displayed value at the ends of the colour map
    float eMin = 0;           ///< smallest source energy on the visible grid
    float beta = 1;           ///< β of the quantity (1 for the target and the difference)
    float logZ = 0;           ///< log Z of the source at β
    float logZ1 = 0;          ///< model's log Z at β = 1
    float contourStep = 0.1f; ///< spacing of the iso-lines
    ColorMap colorMap = ColorMap::Viridis;
    QString label; ///< what the colour bar shows, e.g. "energy E(x)"
};

/// The colour map the view draws for `s`: the chosen one, except the difference view, which is always
/// drawn with the diverging cool–warm map (its zero is the middle). The Colours box shows this map.
ColorMap shownColorMap(const DisplaySettings& s);

/// Computes the mapping for what `s` asks to show of `snap` inside the visible box `view`.
DisplayParams displayParams(const TrainingSnapshot& snap, const DisplaySettings& s, const core::Box& view);

/// What a colour range is a range of: the field and the quantity (a new key restarts the easing).
std::int64_t rangeKey(const DisplaySettings& s);

/// The mapping the view draws: `fit` (from displayParams) with its lo, hi, E_min and iso-line spacing
/// eased from the previous frames by `smoother` (held while the range is locked).
DisplayParams easedParams(const DisplayParams& fit, render::RangeSmoother& smoother, std::int64_t key,
                          bool jump);

/// The displayed value for an energy e (the formula of landscape_main.glsl's displayed()).
float displayedValue(float e, Quantity q, const DisplayParams& p);

} // namespace ebm::ui
