#pragma once
/// @file mlp.h
/// A multilayer-perceptron energy E_θ(x) = wᵀ h_L + b, h_l = φ(W_l h_{l−1} + b_l), with batched
/// (one GEMM per layer) energies, input gradients, forward tangents (directional first and second
/// derivatives) and parameter gradients of any loss built from them. Formulas: docs/math.md.
#include <ebm/core/model.h>
#include <ebm/core/parallel.h>
#include <string>
#include <vector>

namespace ebm::core {

enum class Activation { SiLU, Softplus, Tanh };
std::string activationName(Activation a);         ///< "silu" | "softplus" | "tanh"
Activation parseActivation(const std::string& s); ///< throws InvalidArgument

struct MlpOptions {
    int inputDim = 2;                  ///< d
    std::vector<int> hidden{128, 128}; ///< widths of the hidden layers (1..16 layers, each 1..4096)
    Activation activation = Activation::SiLU;
    void validate() const; ///< throws InvalidArgument
};

/// θ layout (flat, contiguous): for l = 1..L: W_l (h_l x h_{l−1}, column-major), b_l (h_l); then w (h_L), b.
template <typename S> class Mlp : public EnergyModel<S> {
public:
    /// Parameters initialised (Kaiming-uniform weights, zero biases) from rng.
    Mlp(const MlpOptions& o, Rng& rng);
    /// Parameters set to zero.
    explicit Mlp(const MlpOptions& o);

    const MlpOptions& options() const { return m_o; }
    int dim() const override { return m_o.inputDim; }
    Index numParams() const override { return m_theta.size(); }
    VecX<S> parameters() const override { return m_theta; }
    void setParameters(const VecX<S>& theta) override;
    const VecX<S>& params() const { return m_theta; }

    RowX<S> energy(const MatX<S>& X) const override;
    void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const override;
    void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
             int secondOrder = -1) const override;
    S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
               int secondOrder = -1) const override;
    std::unique_ptr<EnergyModel<S>> clone() const override;

    /// Views of the parameters of hidden layer l (0-based, l < numHidden()).
    int numHidden() const { return int(m_o.hidden.size()); }
    Eigen::Map<const MatX<S>> weight(int l) const;
    Eigen::Map<const VecX<S>> bias(int l) const;
    Eigen::Map<const VecX<S>> headWeight() const;
    S headBias() const { return m_theta(m_theta.size() - 1); }

    /// The same network in another scalar type.
    template <typename T> Mlp<T> cast() const {
        Mlp<T> m(m_o);
        m.setParameters(m_theta.template cast<T>());
        return m;
    }

    /// Floating-point operations of one energy+gradient evaluation (forward + reverse) per sample.
    double flopsEnergyGrad() const;

private:
    struct Layout {
        Index w, b;
    };
    MlpOptions m_o;
    VecX<S> m_theta;
    std::vector<Layout> m_layout; // offsets of W_l, b_l
    Index m_head = 0;             // offset of w

    void buildLayout();
    void jetChunk(const MatX<S>& X, const std::vector<MatX<S>>& dirs, int K2, ColumnRange r,
                  EnergyJet<S>& out) const;
    S lossGradChunk(const MatX<S>& X, const std::vector<MatX<S>>& dirs, int K2, ColumnRange r,
                    const LossHead<S>& head, VecX<S>& grad) const;
};

extern template class Mlp<float>;
extern template class Mlp<double>;

} // namespace ebm::core
