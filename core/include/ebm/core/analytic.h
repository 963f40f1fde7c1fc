#pragma once
/// @file analytic.h
/// Analytic energies (no trainable parameters) and SumEnergy for composing energies (product of experts).
#include <ebm/core/model.h>

namespace ebm::core {

/// E(x) = ½ (x − μ)ᵀ A (x − μ), A symmetric positive definite (d x d).
template <typename S> class QuadraticEnergy : public EnergyModel<S> {
public:
    QuadraticEnergy(const MatX<S>& A, const VecX<S>& mu); ///< throws InvalidArgument on shape/asymmetry
    int dim() const override;
    Index numParams() const override { return 0; }
    VecX<S> parameters() const override { return {}; }
    void setParameters(const VecX<S>& theta) override;
    RowX<S> energy(const MatX<S>& X) const override;
    void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const override;
    void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
             int secondOrder = -1) const override;
    S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
               int secondOrder = -1) const override;
    std::unique_ptr<EnergyModel<S>> clone() const override;
    const MatX<S>& matrix() const { return m_A; }
    const VecX<S>& mean() const { return m_mu; }

private:
    MatX<S> m_A;
    VecX<S> m_mu;
};

/// E(x) = −log Σ_k w_k N(x; μ_k, σ_k² I)  (isotropic components; weights normalised internally).
template <typename S> class GaussianMixtureEnergy : public EnergyModel<S> {
public:
    /// means: d x K, sigmas: K, weights: K (positive). Throws InvalidArgument on bad input.
    GaussianMixtureEnergy(const MatX<S>& means, const VecX<S>& sigmas, const VecX<S>& weights);
    int dim() const override;
    Index numParams() const override { return 0; }
    VecX<S> parameters() const override { return {}; }
    void setParameters(const VecX<S>& theta) override;
    RowX<S> energy(const MatX<S>& X) const override;
    void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const override;
    void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
             int secondOrder = -1) const override;
    S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
               int secondOrder = -1) const override;
    std::unique_ptr<EnergyModel<S>> clone() const override;

private:
    MatX<S> m_means;
    VecX<S> m_sigmas, m_logWeights;
};

/// E = Σ_i E_i. Parameters are the concatenation of the parts' parameters, in order.
template <typename S> class SumEnergy : public EnergyModel<S> {
public:
    explicit SumEnergy(std::vector<std::shared_ptr<EnergyModel<S>>> parts); ///< same dim, non-empty
    int dim() const override;
    Index numParams() const override;
    VecX<S> parameters() const override;
    void setParameters(const VecX<S>& theta) override;
    RowX<S> energy(const MatX<S>& X) const override;
    void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const override;
    void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
             int secondOrder = -1) const override;
    S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
               int secondOrder = -1) const override;
    std::unique_ptr<EnergyModel<S>> clone() const override;
    const std::vector<std::shared_ptr<EnergyModel<S>>>& parts() const { return m_parts; }

private:
    std::vector<std::shared_ptr<EnergyModel<S>>> m_parts;
};

extern template class QuadraticEnergy<float>;
extern template class QuadraticEnergy<double>;
extern template class GaussianMixtureEnergy<float>;
extern template class GaussianMixtureEnergy<double>;
extern template class SumEnergy<float>;
extern template class SumEnergy<double>;

} // namespace ebm::core
