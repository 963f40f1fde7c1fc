#pragma once
/// @file fieldsampler.h
/// Evaluates what the views draw on grids over the visible box: the model's energy and score, the
/// target's (negated) log-density and score, the score-matching error map and NCE's logit. Runs on the
/// worker thread; every model evaluation goes through the core's batched API.
#include "trainingsnapshot.h"
#include <ebm/core/density.h>

namespace ebm::ui {

/// The box grown by `fraction` of its size on each side (so a pan shows no edge before the next grid).
core::Box grownBox(const core::Box& b, double fraction);

/// The 2 x n arrow anchor points of an n x n grid over box (cell centres), column ix*ny + iy.
core::Matf arrowPoints(const core::Box& box, int nx, int ny);

/// The model's score −β∇E at the arrow points.
VectorGrid modelScore(const core::EnergyModel<float>& model, const core::Box& box, int n, float beta);

/// The target's score ∇ log p at the arrow points (central differences of logDensity, h = 1e-4·size).
VectorGrid targetScore(const core::TargetDensity& target, const core::Box& box, int n);

/// −log p_target at the cell centres of the grid (zero-density cells clamped to the largest finite value +
/// 10).
ScalarGrid targetEnergy(const core::TargetDensity& target, const core::Box& box, int nx, int ny);

/// ‖−∇E − ∇log p‖² per cell of the grid (the integrand of the Fisher divergence).
ScalarGrid fisherMap(const core::EnergyModel<float>& model, const core::TargetDensity& target,
                     const core::Box& box, int nx, int ny);

/// log p_θ − log q = −E − c − log q on the grid, from the energy grid and the noise log-density.
ScalarGrid nceLogit(const core::EnergyGrid& energy, const core::Trainer& trainer);

} // namespace ebm::ui
