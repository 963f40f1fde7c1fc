#pragma once
/// @file chaintrajectory.h
/// One Langevin trajectory of the image model (the demo generator and the repair panel).
#include <ebm/core/imagetrainer.h>

namespace ebm::ui {

/// One Langevin trajectory from a start image: frames.col(t) after t steps, energy(t) = E(frames.col(t)).
struct ChainTrajectory {
    core::Matf frames;
    core::Rowf energy;
    int width = 0, height = 0;
};

} // namespace ebm::ui
