#pragma once
/// @file pairobjective.h
/// Contrastive losses on energies alone (LeCun et al.'s "energy-based learning" losses): each data point x⁺
/// is paired with the negative x⁻ of its chain, and the loss is the mean of l(E(x⁺), E(x⁻)) over the pairs.
/// An objective of this kind defines l and its two partial derivatives; this base class draws the negatives
/// (the same MCMC chains as contrastive divergence), back-propagates, and shares the learning-rate keys.
#include <ebm/core/objective.h>

#include <functional>

namespace ebm::core {

/// l(E⁺, E⁻) for one pair and its partial derivatives ∂l/∂E⁺, ∂l/∂E⁻.
struct PairTerm {
    double value = 0, dPos = 0, dNeg = 0;
};
using PairFunction = std::function<PairTerm(double ePos, double eNeg)>;

/// mean_i l(E(pos_i), E(neg_i)); ADDS its θ-gradient into grad. pos, neg: d x n (the same n).
template <typename S>
S pairLoss(const EnergyModel<S>& m, const MatX<S>& pos, const MatX<S>& neg, const PairFunction& l, VecX<S>& grad);

class PairObjective : public Objective {
public:
    /// The loss of one pair under the hyperparameters p.
    virtual PairTerm term(double ePos, double eNeg, const ParamSet& p) const = 0;
    float lossGrad(StepContext& ctx, Vecf& grad, float& gradC) const override;
};

/// The margin m > 0 of a margin loss (energy units).
ParamSpec marginParam(double def);
/// The learning-rate keys of the contrastive objectives on the plane (lr_scale 3, decaying), as CD's.
Schema contrastiveRateParams(ModelKind kind);

} // namespace ebm::core
