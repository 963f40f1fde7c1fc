#pragma once
/// @file optimizer.h
/// First-order optimisers over a flat parameter vector, with gradient-norm clipping.
#include <ebm/core/types.h>
#include <memory>
#include <string>

namespace ebm::core {

enum class OptimizerKind { Adam, Sgd };
std::string optimizerKindName(OptimizerKind k);       ///< "adam" | "sgd"
OptimizerKind parseOptimizerKind(const std::string&); ///< throws InvalidArgument

struct OptimizerOptions {
    OptimizerKind kind = OptimizerKind::Adam;
    float learningRate = 3e-3f; ///< step size (initial, before the trainer's schedule)
    float beta1 = 0.9f;         ///< Adam first-moment decay; SGD momentum
    float beta2 = 0.999f;       ///< Adam second-moment decay
    float epsilon = 1e-8f;      ///< Adam denominator guard
    float weightDecay = 0.0f;   ///< L2 coefficient added to the gradient
    float clipNorm = 0.0f;      ///< clip the gradient to this L2 norm (0 = off)
    void validate() const;      ///< throws InvalidArgument
};

/// Complete optimiser state (for snapshots and sessions).
struct OptimizerState {
    Vecf m, v;          ///< Adam moments / SGD velocity (in m)
    std::int64_t t = 0; ///< steps taken
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    /// θ ← update(θ, g). Clips g first if clipNorm > 0. Returns the gradient norm before clipping.
    virtual float step(Vecf& theta, const Vecf& grad) = 0;
    virtual const OptimizerState& state() const = 0;
    virtual void setState(const OptimizerState& s) = 0; ///< throws InvalidArgument on size mismatch
    virtual void reset() = 0;
    virtual OptimizerOptions options() const = 0;
    virtual void setOptions(const OptimizerOptions& o) = 0; ///< keeps the state
    virtual std::unique_ptr<Optimizer> clone() const = 0;
};

std::unique_ptr<Optimizer> makeOptimizer(const OptimizerOptions& o, Index numParams);
/// Applies new options between steps: a new kind starts a fresh optimiser (its state does not carry over),
/// the same kind keeps its moments and takes the new hyperparameters.
void reconfigureOptimizer(std::unique_ptr<Optimizer>& opt, OptimizerKind previousKind,
                          const OptimizerOptions& o, Index numParams);

} // namespace ebm::core
