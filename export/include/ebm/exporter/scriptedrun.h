#pragma once
/// @file scriptedrun.h
/// A scripted run for export: "train N steps, one frame every K steps", the frames drawn by the CPU
/// renderer (render/renderer.h) with live particles sampled from the model like the window's, and fed to
/// an Encoder. Used by `ebmlab-cli render`; a GUI export dialog can run it on a worker thread (it only
/// touches the trainer it is given and reports progress through a callback).
#include <ebm/core/sampler.h>
#include <ebm/core/trainer.h>
#include <ebm/exporter/encoder.h>
#include <ebm/render/renderer.h>

#include <functional>
#include <limits>

namespace ebm::exporter {

struct ScriptedRun {
    std::int64_t steps = 3000; ///< training steps
    int every = 20;            ///< a frame every K steps (and one before the first step)
    render::SceneOptions scene;
    core::SamplerOptions live;        ///< the live particles' sampler (the window's default: ULA, ε = 0.01)
    int particleCount = 2000;         ///< live particles
    int liveStepsPerTrainingStep = 1; ///< sampler steps of the live particles per training step
    int klGrid = 96;                  ///< quadrature cells per side for the caption's KL (0: no KL)
};

/// Frames a run produces: one at the start and one after every K steps (and after the last step).
int scriptedFrameCount(std::int64_t steps, int every);

struct RunProgress {
    int frame = 0, frames = 0;                            ///< frames done, frames in all
    std::int64_t step = 0;                                ///< training steps taken
    double kl = std::numeric_limits<double>::quiet_NaN(); ///< the frame's KL(target‖model) (NaN: none)
};

/// Trains `trainer` and writes the frames to `encoder` (then finish()). Throws Cancelled when the control's
/// flag is set (checked between training steps), core::RuntimeError on encoder failures.
void renderScriptedRun(core::Trainer& trainer, const ScriptedRun& run, Encoder& encoder,
                       const EncodeControl& control, const std::function<void(const RunProgress&)>& progress);

} // namespace ebm::exporter
