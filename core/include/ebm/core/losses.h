#pragma once
/// @file losses.h
/// Training losses and their parameter gradients (docs/math.md, "Training objectives"). Each function
/// returns the loss and ADDS dLoss/dθ into grad (sized numParams()). Templated on the scalar so the
/// gradients can be checked against finite differences in double precision.
#include <ebm/core/model.h>

namespace ebm::core {

/// Contrastive divergence surrogate: mean E(x⁺) − mean E(x⁻) + α (mean E(x⁺)² + mean E(x⁻)²),
/// negatives treated as constants. pos: d x n⁺, neg: d x n⁻.
template <typename S>
S cdLoss(const EnergyModel<S>& m, const MatX<S>& pos, const MatX<S>& neg, S alpha, VecX<S>& grad);

/// Exact (Hyvärinen) score matching: mean[ ½‖∇ₓE‖² − ΔₓE ].
template <typename S> S exactScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& X, VecX<S>& grad);

/// Sliced score matching with one projection per sample, V (d x n):
/// mean[ ½ (vᵀ∇E)² − vᵀ∇²E v ], or with varianceReduced mean[ ½‖∇E‖² − vᵀ∇²E v ].
template <typename S>
S slicedScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& X, const MatX<S>& V, bool varianceReduced,
                          VecX<S>& grad);

/// Denoising score matching on x̃ = x + σ n: mean[ ½ ‖σ ∇ₓE(x̃) − n‖² ]. Xnoisy = x̃, noise = n (d x n).
template <typename S>
S denoisingScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& Xnoisy, const MatX<S>& noise, S sigma,
                             VecX<S>& grad);

/// NCE with log p_m = −E − c: logits h = −E − c − log q − log ν; loss = mean_data softplus(−h) +
/// ν · mean_noise softplus(h). logqData/logqNoise: the noise log-density at the points (1 x n).
/// Adds dLoss/dθ to grad and returns dLoss/dc in gradC.
template <typename S>
S nceLoss(const EnergyModel<S>& m, const MatX<S>& data, const RowX<S>& logqData, const MatX<S>& noise,
          const RowX<S>& logqNoise, S nu, S c, VecX<S>& grad, S& gradC);

} // namespace ebm::core
