// Validation of the 2D trainer's options.
#include <ebm/core/trainer.h>

#include <cmath>

namespace ebm::core {

void ChainOptions::validate() const {
    sampler.validate();
    if (steps < 1 || steps > 10000) throw InvalidArgument("sampler steps K must be in 1..10000");
    if (bufferSize < 1 || bufferSize > 10'000'000) throw InvalidArgument("replay buffer size must be in 1..10^7");
    if (!(restartFraction >= 0 && restartFraction <= 1))
        throw InvalidArgument("chain restart fraction must be between 0 and 1");
    if (!(restartFromData >= 0 && restartFromData <= 1))
        throw InvalidArgument("chain restart-from-data fraction must be between 0 and 1");
}

void TrainerOptions::validate() const {
    TrainingOptions::validate(ModelKind::Plane);
    model.validate();
    if (model.inputDim != 2) throw InvalidArgument("the 2D trainer needs a model with input dimension 2");
    chains.validate();
    if (!box.valid()) throw InvalidArgument("the training box must have x0 < x1 and y0 < y1");
}

} // namespace ebm::core
