#pragma once
/// @file landscape.h
/// The landscape layer on the CPU: the energy field mapped to a colour map, with iso-contours, drawn
/// exactly like landscape_main.glsl (bilinear field lookup like the GL grid texture, linear lookup in
/// the 256-entry colour table, one-pixel iso-lines from the per-pixel gradient like dFdx / dFdy, thinned
/// where they crowd).
#include <ebm/core/types.h>
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <ebm/render/mapping.h>

namespace ebm::render {

/// A scalar field at the centres of an nx x ny grid over box: values(iy, ix) (like core::EnergyGrid).
struct ScalarField {
    core::Box box;
    int nx = 0, ny = 0;
    core::Matf values; ///< ny x nx
    bool empty() const { return nx == 0 || ny == 0; }
    /// Bilinear interpolation between cell centres, clamped at the edge (GL_LINEAR + CLAMP_TO_EDGE).
    float sample(double x, double y) const;
};

struct LandscapeStyle {
    ColorMap colorMap = ColorMap::Viridis;
    Quantity quantity = Quantity::Energy;
    ColorRange range;
    bool contours = true;
};

/// How much white the iso-lines mix into a pixel at full coverage.
inline constexpr double kContourWhite = 0.45;

/// Coverage (0..1) of a pixel by the iso-lines, for f = value / step (lines at the integers in
/// (bottom, top] = (range.lo, range.hi] / step) and perPixel = |∇f| in pixels⁻¹. Lines are one pixel wide;
/// where they would lie closer than 6 px they fade out, leaving every 5th and then every 25th level, so the
/// lines never paint area. landscape_main.glsl's contourCoverage() is the same function.
float contourCoverage(float f, float perPixel, float bottom, float top);

/// The data coordinates of pixel centres: image row 0 is the top (y1) of the view box.
double pixelToDataX(const core::Box& view, int width, double px);
double pixelToDataY(const core::Box& view, int height, double py);

/// Fills the whole image with the landscape of `energy` over the view box. If `boundary` is given and not
/// empty, its zero level is drawn as a red line (NCE's decision boundary log p_θ = log q, like the shader).
void drawLandscape(Image& img, const core::Box& view, const ScalarField& energy, const LandscapeStyle& s,
                   const ScalarField* boundary = nullptr);

} // namespace ebm::render
