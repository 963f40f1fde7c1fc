#pragma once
/// @file renderer.h
/// Draws a Scene into an RGB frame, layer by layer in the GL view's order: landscape (with contours),
/// the target's score arrows (score matching), the model's score arrows, the point sets, and the caption
/// over the corner when text is given (exported frames put the caption and the legend around the plot
/// instead: figure.h).
#include <ebm/render/scene.h>
#include <ebm/render/text.h>

namespace ebm::render {

struct RenderStyle {
    ColorMap colorMap = ColorMap::Viridis;
    Quantity quantity = Quantity::Energy;
    bool contours = true;
    Rgb background{30 / 255.0, 31 / 255.0, 36 / 255.0}; ///< where the landscape is off
};

/// Renders the scene at width x height. text may be null (no caption).
Image renderScene(const Scene& s, const RenderStyle& style, int width, int height, const TextRenderer* text);

/// The caption's font size for a frame height (about 1/26 of it, at least 11 px).
int captionPixelSize(int height);

} // namespace ebm::render
