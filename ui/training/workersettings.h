#pragma once
/// @file workersettings.h
/// Everything the GUI can set on the training worker. The GUI sends a whole WorkerSettings whenever a
/// control changes; the worker compares it with what it has and applies only the difference between
/// training chunks (a new method keeps the model, a new architecture or seed re-initialises it).
#include <ebm/core/sampler.h>
#include <ebm/core/trainer.h>
#include <memory>
#include <string>

namespace ebm::ui {

/// The target name that stands for the user's drawing.
inline constexpr const char* kDrawingTarget = "drawing";

struct WorkerSettings {
    core::TrainerOptions trainer = defaultTrainerOptions();
    std::string target = "eight-gaussians"; ///< a core preset name, or kDrawingTarget
    /// The drawn density, used when target == kDrawingTarget. Immutable: a new drawing is a new pointer,
    /// which the worker hands to the trainer without resetting the model.
    std::shared_ptr<const core::TargetDensity> drawing;
    core::SamplerOptions live; ///< the live particles' sampler (independent of the method)
    int particleCount = 2000;  ///< live particles (1..100000)
    int liveStepsPerChunk = 2; ///< live sampler steps per published snapshot
    /// Training speed in steps per second; 0 = as fast as the machine allows (the default: the worker
    /// trains between snapshots and spends at most about a fifth of its time building them).
    int stepsPerSecond = 0;
    bool training = true;         ///< play / pause of the trainer
    bool particlesRunning = true; ///< the live particles move even while training is paused
    core::Box view;               ///< visible data box; the grids follow it
    int gridResolution = 128;     ///< cells per side of the energy grid (texture path)
    int arrowsAcross = 28;        ///< arrows per side of the score field

    static core::TrainerOptions defaultTrainerOptions() {
        // The core's defaults. A narrower network (64) trains twice as fast but never separates the eight
        // modes of the default scene with CD: KL stays at 0.66 over 3000 steps, versus 0.08 at width 128.
        return core::TrainerOptions{};
    }
};

} // namespace ebm::ui
