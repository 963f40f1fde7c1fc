#pragma once
/// @file arrows.h
/// The score-field arrows: their geometry (shared with the GL view's VectorFieldLayer, which uploads the
/// same segments) and a CPU rasteriser that draws them like GL_LINES with arrows.frag's shading.
#include <ebm/core/types.h>
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <vector>

namespace ebm::render {

/// The model's score −β∇E: white. The target's score ∇log p: turquoise, a colour no other layer uses (the
/// data batch is orange, CD's negatives magenta, NCE's noise light blue, its boundary red).
inline constexpr Rgb kModelArrowColor{0.97, 0.97, 0.97};
inline constexpr Rgb kTargetArrowColor{0.25, 0.88, 0.78};

/// The q-quantile of the finite arrow lengths ‖vec_j‖ (the length drawn as a full cell), at least 1e-12.
float arrowReference(const core::Matf& vec, double q = 0.9);

/// Appends the segments of the arrows (pos, vec: 2 x n, anchored on an nx x ny grid over box) as vertex
/// triples (x, y, relative magnitude), two vertices per segment, three segments per arrow (shaft, two
/// barbs). Lengths grow with sqrt(|v| / reference), up to 0.9 of a cell.
void appendArrows(const core::Box& box, int nx, int ny, const core::Matf& pos, const core::Matf& vec,
                  float reference, std::vector<float>& out);

/// Draws the segments (from appendArrows) one pixel wide: colour · a with a = 0.35 + 0.65 sqrt(mag),
/// blended premultiplied (arrows.frag).
void drawArrows(Image& img, const core::Box& view, const std::vector<float>& segments, const Rgb& color);

} // namespace ebm::render
