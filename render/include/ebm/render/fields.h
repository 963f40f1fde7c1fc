#pragma once
/// @file fields.h
/// The fields the landscape view draws, evaluated on grids over a box: the model's energy and score, the
/// target's energy (−log p) and score, the score-matching error map and NCE's logit. Computed here once for
/// both the window's snapshots (ui/training) and the exported frames (captureScene). Every grid is
/// column-major over cells: cell (ix, iy) is column ix·ny + iy of a point matrix and values(iy, ix) of a
/// field.
#include <ebm/core/density.h>
#include <ebm/core/modeltrainer.h>
#include <ebm/render/landscape.h>

namespace ebm::render {

/// The 2 x (nx·ny) cell centres of an nx x ny grid over box.
core::Matf gridCentres(const core::Box& box, int nx, int ny);
/// The model's energy at the cell centres (evaluated in blocks, so a frame-sized grid needs no frame-sized
/// hidden activations).
ScalarField modelEnergy(const core::EnergyModel<float>& model, const core::Box& box, int nx, int ny);
/// The model's score −β∇ₓE at the points (2 x n).
core::Matf modelScore(const core::EnergyModel<float>& model, const core::Matf& pts, float beta);
/// ∇ log p of a target at the points (2 x n) by central differences with step h; 0 where it is not finite
/// (outside the support).
core::Matf targetScore(const core::TargetDensity& t, const core::Matf& pts, double h);
/// The finite-difference step targetScore uses for a view box (10⁻⁴ of its larger side).
double scoreStep(const core::Box& box);
/// −log p_target at the cell centres; zero-density cells get the largest finite value + 10.
ScalarField targetEnergy(const core::TargetDensity& target, const core::Box& box, int nx, int ny);
/// ‖−∇E − ∇log p‖² per cell (the integrand of the Fisher divergence).
ScalarField fisherMap(const core::EnergyModel<float>& model, const core::TargetDensity& target,
                      const core::Box& box, int nx, int ny);
/// log p_θ − log q = −E − c − log q on the cells of energy (c: the learned log Z, q: the noise density of
/// the trainer's noise-contrastive settings); its zero level is the decision boundary.
ScalarField nceLogit(const core::ModelTrainer& trainer, const ScalarField& energy);

} // namespace ebm::render
