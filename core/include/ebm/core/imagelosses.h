#pragma once
/// @file imagelosses.h
/// Score-matching losses for high-dimensional inputs (images, d = pixels). The versions in losses.h
/// take ‖∇ₓE‖² from d directional derivatives along the axes — fine in 2D, d + 1 network passes for an
/// image. These use one extra pass instead: the parameter gradient of f(∇ₓE) is the parameter gradient of
/// uᵀ∇ₓE with the direction u = ∂f/∂(∇ₓE) held fixed, so a first pass computes ∇ₓE (and u), and a second
/// back-propagates through the forward tangent along u. Same losses and gradients as losses.h
/// (tested against them).
#include <ebm/core/model.h>

namespace ebm::core {

/// Denoising score matching, mean[ ½ ‖σ ∇ₓE(x̃) − n‖² ] with x̃ = Xnoisy, n = noise (d x n each).
template <typename S>
S denoisingScoreMatchingLossHd(const EnergyModel<S>& m, const MatX<S>& Xnoisy, const MatX<S>& noise, S sigma,
                               VecX<S>& grad);

/// Variance-reduced sliced score matching, mean[ ½‖∇ₓE‖² − vᵀ∇²ₓE v ], one projection per sample (V: d x n).
template <typename S>
S slicedScoreMatchingLossHd(const EnergyModel<S>& m, const MatX<S>& X, const MatX<S>& V, VecX<S>& grad);

} // namespace ebm::core
