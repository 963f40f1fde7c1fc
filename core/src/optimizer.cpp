#include <ebm/core/optimizer.h>

#include <cmath>

namespace ebm::core {

std::string optimizerKindName(OptimizerKind k) {
    switch (k) {
    case OptimizerKind::Adam:
        return "adam";
    case OptimizerKind::Sgd:
        return "sgd";
    }
    throw InvalidArgument("optimizerKindName: unknown optimiser kind " + std::to_string(int(k)));
}

OptimizerKind parseOptimizerKind(const std::string& s) {
    for (OptimizerKind k : {OptimizerKind::Adam, OptimizerKind::Sgd})
        if (s == optimizerKindName(k)) return k;
    throw InvalidArgument("unknown optimiser '" + s + "'; valid optimisers: adam, sgd");
}

namespace {
[[noreturn]] void badOption(const char* field, const char* rule, float v) {
    throw InvalidArgument(std::string("optimiser option ") + field + " must be " + rule + ", got " +
                          std::to_string(v));
}
} // namespace

void OptimizerOptions::validate() const {
    if (kind != OptimizerKind::Adam && kind != OptimizerKind::Sgd)
        throw InvalidArgument("optimiser option kind is not a valid optimiser: " + std::to_string(int(kind)));
    if (!(std::isfinite(learningRate) && learningRate > 0.0f))
        badOption("learningRate", "a positive finite number", learningRate);
    if (!(beta1 >= 0.0f && beta1 < 1.0f)) badOption("beta1", "in [0, 1)", beta1);
    if (!(beta2 >= 0.0f && beta2 < 1.0f)) badOption("beta2", "in [0, 1)", beta2);
    if (!(std::isfinite(epsilon) && epsilon > 0.0f))
        badOption("epsilon", "a positive finite number", epsilon);
    if (!(std::isfinite(weightDecay) && weightDecay >= 0.0f))
        badOption("weightDecay", "a non-negative finite number", weightDecay);
    if (!(std::isfinite(clipNorm) && clipNorm >= 0.0f))
        badOption("clipNorm", "a non-negative finite number (0 = no clipping)", clipNorm);
}

namespace {

/// Adam and SGD with momentum share the state layout (m, v, t) and the gradient preprocessing, so one class
/// serves both: switching kind through setOptions restarts from a zero state instead of failing.
///   g ← clip(∇) + λθ  (clip first, then weight decay, like clip_grad_norm_ before torch.optim.Adam/SGD)
///   Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
///   SGD:  m ← β₁m + g, θ ← θ − lr·m  (momentum β₁, no dampening; v stays zero)
class FirstOrderOptimizer final : public Optimizer {
public:
    FirstOrderOptimizer(const OptimizerOptions& o, Index n) : m_o(o), m_n(n) {
        m_o.validate();
        reset();
    }

    float step(Vecf& theta, const Vecf& grad) override {
        if (theta.size() != m_n || grad.size() != m_n)
            throw InvalidArgument("optimiser step: expected θ and gradient of size " + std::to_string(m_n) +
                                  ", got " + std::to_string(theta.size()) + " and " +
                                  std::to_string(grad.size()));
        const float norm = grad.norm();
        Vecf g = grad;
        if (m_o.clipNorm > 0.0f && norm > m_o.clipNorm) g *= m_o.clipNorm / norm;
        if (m_o.weightDecay > 0.0f) g += m_o.weightDecay * theta;
        ++m_s.t;
        const float b1 = m_o.beta1;
        if (m_o.kind == OptimizerKind::Adam) {
            const float b2 = m_o.beta2;
            m_s.m = b1 * m_s.m + (1.0f - b1) * g;
            m_s.v = b2 * m_s.v.array() + (1.0f - b2) * g.array().square();
            // Bias corrections in double: 1 − β^t loses all its digits in float for β close to 1 and small t.
            const double t = double(m_s.t);
            const float c1 = float(1.0 / (1.0 - std::pow(double(b1), t)));
            const float c2 = float(1.0 / (1.0 - std::pow(double(b2), t)));
            theta.array() -=
                m_o.learningRate * (c1 * m_s.m.array()) / ((c2 * m_s.v.array()).sqrt() + m_o.epsilon);
        } else {
            m_s.m = b1 * m_s.m + g;
            theta -= m_o.learningRate * m_s.m;
        }
        return norm;
    }

    const OptimizerState& state() const override { return m_s; }

    void setState(const OptimizerState& s) override {
        if (s.m.size() != m_n || s.v.size() != m_n)
            throw InvalidArgument("optimiser state does not match the model: expected moments of size " +
                                  std::to_string(m_n) + ", got " + std::to_string(s.m.size()) + " and " +
                                  std::to_string(s.v.size()));
        if (s.t < 0)
            throw InvalidArgument("optimiser state: step count must be >= 0, got " + std::to_string(s.t));
        m_s = s;
    }

    void reset() override {
        m_s.m = Vecf::Zero(m_n);
        m_s.v = Vecf::Zero(m_n);
        m_s.t = 0;
    }

    OptimizerOptions options() const override { return m_o; }
    std::unique_ptr<Optimizer> clone() const override { return std::make_unique<FirstOrderOptimizer>(*this); }

    void setOptions(const OptimizerOptions& o) override {
        o.validate();
        const bool kindChanged = o.kind != m_o.kind;
        m_o = o;
        if (kindChanged) reset(); // Adam's moments mean nothing as an SGD velocity, and vice versa
    }

private:
    OptimizerOptions m_o;
    Index m_n;
    OptimizerState m_s;
};

} // namespace

std::unique_ptr<Optimizer> makeOptimizer(const OptimizerOptions& o, Index numParams) {
    if (numParams < 0)
        throw InvalidArgument("makeOptimizer: numParams must be >= 0, got " + std::to_string(numParams));
    return std::make_unique<FirstOrderOptimizer>(o, numParams);
}

void reconfigureOptimizer(std::unique_ptr<Optimizer>& opt, OptimizerKind previousKind,
                          const OptimizerOptions& o, Index numParams) {
    if (!opt || o.kind != previousKind)
        opt = makeOptimizer(o, numParams);
    else
        opt->setOptions(o);
}

} // namespace ebm::core
