// Validation of the 2D trainer's options.
#include <algorithm>
#include <ebm/core/trainer.h>

#include <cmath>

namespace ebm::core {

void ChainOptions::validate() const {
    sampler.validate();
    if (steps < 1 || steps > 10000) throw InvalidArgument("sampler steps K must be in 1..10000");
    if (bufferSize < 1 || bufferSize > 10'000'000)
        throw InvalidArgument("replay buffer size must be in 1..10^7");
    if (!(restartFraction >= 0 && restartFraction <= 1))
        throw InvalidArgument("chain restart fraction must be between 0 and 1");
    if (!(restartFromData >= 0 && restartFromData <= 1))
        throw InvalidArgument("chain restart-from-data fraction must be between 0 and 1");
}

SamplerOptions chainSampler(const ChainOptions& options, const FeatureWidths& widths) {
    SamplerOptions s = options.sampler;
    if (!options.adaptToTarget || s.kind != SamplerKind::Langevin) return s;
    if (widths.thin < 0.5 * widths.typical) {
        s.kind = SamplerKind::Mala;
        return s;
    }
    // ULA on a Gaussian of variance w² settles at variance w²/(1 − ε/2w²): 1.5 w² at ε = ⅔ w².
    s.stepSize = std::min(s.stepSize, float(2.0 / 3.0 * widths.thin * widths.thin));
    return s;
}

void TrainerOptions::validate() const {
    TrainingOptions::validate(ModelKind::Plane);
    model.validate();
    if (model.inputDim != 2) throw InvalidArgument("the 2D trainer needs a model with input dimension 2");
    chains.validate();
    if (!box.valid()) throw InvalidArgument("the training box must have x0 < x1 and y0 < y1");
    if (averageSteps < 0 || averageSteps > 1000000)
        throw InvalidArgument("the parameter average's length must be 0 (off) to 1000000 steps, not " +
                              std::to_string(averageSteps));
}

} // namespace ebm::core
