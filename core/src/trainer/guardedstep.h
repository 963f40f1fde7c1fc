#pragma once
// The divergence watchdog both trainers share (internal to core/src/trainer).
#include <ebm/core/model.h>
#include <ebm/core/modeltrainer.h>
#include <ebm/core/optimizer.h>

namespace ebm::core {

/// Applies one optimiser step to θ and c (NCE's log Z; 0 otherwise) from the gradient (grad, gradC), and
/// rolls it back — θ, c and the optimiser's state — when the loss or gradient is not finite, θ becomes
/// non-finite, or |E| on the first 32 points of data
/// exceeds limit. Sets s.gradNorm, and s.diverged and s.message on a roll-back
/// (the message names step + 1 and the method).
void guardedStep(EnergyModel<float>& model, float& c, Optimizer& opt, float loss, const Vecf& grad,
                 float gradC, const Matf& data, float limit, std::int64_t step, const std::string& method,
                 StepStats& s);

} // namespace ebm::core
