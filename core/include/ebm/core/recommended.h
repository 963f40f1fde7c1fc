#pragma once
/// @file recommended.h
/// Recommended settings: per preset target and training method, the settings that the convergence study
/// (scripts/convergence --recommended, docs/convergence.md) found to learn that target well. The window's
/// "Use recommended settings" and `ebmlab-cli train --recommended` apply them. A target or method without
/// an entry of its own (a drawing, say) gets the defaults.
#include <ebm/core/trainer.h>

#include <string>
#include <vector>

namespace ebm::core {

struct Recommendation {
    TrainerOptions options;           ///< the given options with the recommended values applied
    std::vector<std::string> changes; ///< what differs from the given options, e.g. "step size 0.02 → 0.001"
    std::string reason;               ///< one sentence: why these settings suit the target (empty: defaults)
    bool own = false;                 ///< the target and method have an entry of their own
};

/// The settings recommended for training current.method on the preset `target` (a preset name; any other
/// name gets the defaults). Keeps current's method, seed, box and the other methods' hyperparameters;
/// sets everything else the entry does not name to its default: the method's hyperparameters, the chains
/// (sampler included), the model, the optimiser, the learning rate and its schedule, the batch.
Recommendation recommendedSettings(const std::string& target, const TrainerOptions& current);

/// Every (target, method) pair with an entry of its own, as "target/method" (for tests and docs).
std::vector<std::string> recommendationKeys();

} // namespace ebm::core
