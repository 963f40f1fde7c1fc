#pragma once
/// @file model.h
/// EnergyModel: energies and their derivatives for a batch (one sample per column).
#include <ebm/core/types.h>
#include <functional>
#include <memory>
#include <vector>

namespace ebm::core {

/// Energy and directional derivatives along K directions, per sample (each row is 1 x n).
template <typename S> struct EnergyJet {
    RowX<S> energy;              ///< E(x_i)
    std::vector<RowX<S>> first;  ///< first[k](i)  = u_kiᵀ ∇ₓE(x_i)
    std::vector<RowX<S>> second; ///< second[k](i) = u_kiᵀ ∇²ₓE(x_i) u_ki
};

/// Derivatives of a loss with respect to the entries of an EnergyJet (same shapes; an empty row = zero).
template <typename S> struct JetSeeds {
    RowX<S> energy;
    std::vector<RowX<S>> first;
    std::vector<RowX<S>> second;
};

/// A loss "head": given the jet of a chunk of columns [col0, col0 + n), writes dLoss/dJet into seeds
/// (sized by the callee) and returns the chunk's loss contribution. Called concurrently for disjoint
/// chunks: it must only read shared state.
template <typename S>
using LossHead = std::function<S(const EnergyJet<S>& jet, Index col0, JetSeeds<S>& seeds)>;

/// An energy E_θ : R^d -> R, evaluated on batches. Implementations: Mlp, QuadraticEnergy,
/// GaussianMixtureEnergy, SumEnergy.
template <typename S> class EnergyModel {
public:
    virtual ~EnergyModel() = default;

    virtual int dim() const = 0;
    /// Number of trainable parameters (0 for fixed analytic energies).
    virtual Index numParams() const = 0;
    /// Flat parameter vector θ (numParams() x 1).
    virtual VecX<S> parameters() const = 0;
    /// Sets θ; throws InvalidArgument if the size is wrong.
    virtual void setParameters(const VecX<S>& theta) = 0;

    /// E for a d x n batch; returns 1 x n.
    virtual RowX<S> energy(const MatX<S>& X) const = 0;
    /// E (1 x n) and ∇ₓE (d x n).
    virtual void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const = 0;
    /// E and, for each direction matrix U_k (d x n, one direction per sample), u_kᵀ∇E and u_kᵀ∇²E u_k.
    /// secondOrder >= 0 asks for u_kᵀ∇²E u_k only for the first secondOrder directions (the rest may be
    /// left out of out.second, and their second-order seeds are ignored): it saves a third of the work of
    /// losses that need only gradients along some directions. −1 = all.
    virtual void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
                     int secondOrder = -1) const = 0;
    /// Loss built from the jet: computes the jet, calls head on it, back-propagates into θ.
    /// Adds dLoss/dθ to grad (numParams() x 1, must be sized) and returns the loss (sum of head values).
    virtual S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head,
                       VecX<S>& grad, int secondOrder = -1) const = 0;

    /// Laplacian ΔₓE (1 x n), via the jet along the coordinate axes.
    RowX<S> laplacian(const MatX<S>& X) const;

    virtual std::unique_ptr<EnergyModel<S>> clone() const = 0;
};

/// Directions e_1..e_d repeated for n samples (d matrices of size d x n).
template <typename S> std::vector<MatX<S>> axisDirections(int d, Index n);

extern template class EnergyModel<float>;
extern template class EnergyModel<double>;

} // namespace ebm::core
