#pragma once
/// @file scriptedrun.h
/// A scripted run for export: "train N steps, one frame every K steps", the frames drawn by the CPU
/// renderer (render/renderer.h) inside the figure (render/figure.h: axes, colour bar, legend, caption
/// strip) with live particles sampled from the model like the window's, and fed to an Encoder. Used by
/// `ebmlab-cli render` and the window's export dialog (on a worker thread: it only touches the trainer it
/// is given and reports progress through a callback).
#include <ebm/core/sampler.h>
#include <ebm/core/trainer.h>
#include <ebm/exporter/encoder.h>
#include <ebm/io/session.h>
#include <ebm/render/figure.h>
#include <ebm/render/renderer.h>

#include <functional>
#include <limits>
#include <memory>

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

/// Where a run on a saved scene starts.
enum class Start {
    Continue,   ///< the scene's model, optimiser and step as they are
    FromScratch ///< a fresh model with the scene's settings and seed, at step 0
};

/// The trainer a run trains for a scene: its target and options, restored to its state (Continue) or
/// freshly initialised from its seed (FromScratch, what `ebmlab-cli render --target` trains). Throws
/// core::InvalidArgument if the scene cannot be trained (e.g. an empty drawing).
core::Trainer sessionTrainer(const io::SessionFile& scene, Start start);

/// Draws the frames of a run: the scene captured from the trainer at the figure's plot size and view,
/// drawn by renderScene and composed into the figure, with one layout for every frame.
class FrameDrawer {
public:
    /// o: the frame size, view and layers. lastStep: the largest step a caption will show (its strip is
    /// sized for it). Throws core::RuntimeError if the caption or axes need a font and none loads.
    FrameDrawer(const render::SceneOptions& o, const std::string& method, std::int64_t lastStep);
    ~FrameDrawer();
    /// The frame for the trainer now, its live particles' recent positions (newest first) and KL.
    render::Image draw(const core::Trainer& trainer, const std::vector<core::Matf>& particleHistory,
                       double kl) const;
    const render::FigureLayout& layout() const { return m_layout; }

private:
    render::SceneOptions m_plot; ///< the options at the plot's size and (equal-scale) view
    render::RenderStyle m_style;
    std::string m_method; ///< a registered objective's name
    std::unique_ptr<render::FigureFonts> m_fonts;
    render::FigureLayout m_layout;
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
