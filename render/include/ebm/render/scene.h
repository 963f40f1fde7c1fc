#pragma once
/// @file scene.h
/// What one frame of the landscape view shows, Qt-free: the energy field over the view, its colour range,
/// the score arrows, the point sets and the caption — captured from a trainer (captureScene) the way the
/// GUI's training worker captures a snapshot (ui/training/trainingengine.cpp).
#include <ebm/core/sampler.h>
#include <ebm/core/trainer.h>
#include <ebm/render/fields.h>
#include <ebm/render/landscape.h>
#include <ebm/render/particles.h>
#include <string>
#include <vector>

namespace ebm::render {

/// Which layers a frame draws.
struct Layers {
    bool landscape = true;
    bool contours = true;
    bool arrows = true;
    bool particles = true;
    bool trails = true;
    bool data = true;
    bool method =
        true; ///< what the method sees: its negatives, its noise, score matching's target score arrows
    bool caption = true;
    bool axes = true; ///< the figure around the plot: axes with tick labels, colour bar, legend
};
/// The layer names parseLayers accepts, in order.
std::vector<std::string> layerNames();
/// A comma-separated list of layer names (or "all" / "none"). Throws core::InvalidArgument naming a bad one.
Layers parseLayers(const std::string& csv);

struct SceneOptions {
    core::Box view;                ///< the visible data box
    int width = 640, height = 640; ///< frame size
    /// Pixels per side of the cells the energy is evaluated on (1: every pixel; 2: a quarter of the MLP
    /// evaluations, bilinear in between like the GL view's grid texture, no visible difference).
    int fieldStep = 2;
    Quantity quantity = Quantity::Energy;
    ColorMap colorMap = ColorMap::Viridis;
    float beta = 1;        ///< the live sampler's β (arrows −β∇E, density quantities)
    int arrowsAcross = 28; ///< arrows per side of the score field (the GUI's default)
    Layers layers;
};

struct Scene {
    core::Box view;
    ScalarField energy;   ///< the model's energy (per pixel centre, or any grid)
    ColorRange range;     ///< colour range of the displayed quantity
    ScalarField nceLogit; ///< NCE: log p_θ − log q at the pixels (its zero level is drawn), else empty
    int arrowsAcross = 0;
    core::Matf arrowPos, arrowVec; ///< 2 x n: anchors, −β∇E
    core::Matf targetArrowVec;     ///< 2 x n: the target's ∇ log p (score matching), else empty
    PointLayers points;
    std::vector<std::string> caption; ///< lines of the caption (method, step, KL)
};

/// The caption for a frame (method: a registered objective's name): "<method label>", "step N", "KL(target ‖
/// model) = x nats" (NaN KL: left out).
std::vector<std::string> captionLines(const std::string& method, std::int64_t step, double kl);

/// Captures what the view shows of the trainer now, with the live particles' recent positions (newest
/// first) and the KL for the caption.
Scene captureScene(const core::Trainer& trainer, const std::vector<core::Matf>& particleHistory, double kl,
                   const SceneOptions& o);

} // namespace ebm::render
