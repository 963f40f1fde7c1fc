#pragma once
// A terminal drawing of the learned density next to the target (for `demo`).
#include <ebm/core/density.h>
#include <ebm/core/model.h>

#include <string>

namespace ebm::cli {

/// Two character maps (model exp(−E), target p), each scaled to its own maximum, side by side.
std::string textPlot(const core::EnergyModel<float>& model, const core::TargetDensity& target,
                     const core::Box& box, int rows = 22, int cols = 44);

} // namespace ebm::cli
