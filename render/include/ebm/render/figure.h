#pragma once
/// @file figure.h
/// The figure around the landscape plot, drawn without Qt: axes with tick labels, the colour bar with
/// values, the legend and the caption, laid out AROUND the plot so that none of them covers it. It is
/// the one composition for every frame the program writes: the scripted export and `ebmlab-cli render`
/// (the plot drawn by renderScene) and the window's live recording (the plot grabbed from the GL view).
#include <ebm/core/types.h>
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <ebm/render/legend.h>
#include <ebm/render/renderer.h>
#include <ebm/render/scene.h>
#include <ebm/render/text.h>

#include <memory>
#include <string>
#include <vector>

namespace ebm::render {

/// A pixel rectangle (x right, y down; w x h pixels from (x, y)).
struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    int right() const { return x + w; }  ///< one past the last column
    int bottom() const { return y + h; } ///< one past the last row
    bool empty() const { return w <= 0 || h <= 0; }
    bool contains(int px, int py) const { return px >= x && py >= y && px < right() && py < bottom(); }
    bool intersects(const Rect& o) const {
        return !empty() && !o.empty() && x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }
};

/// Colours of the figure's frame, text and background (the window's theme).
struct FigureTheme {
    Rgb background{30 / 255.0, 31 / 255.0, 36 / 255.0};
    Rgb text{216 / 255.0, 218 / 255.0, 223 / 255.0};
    Rgb faint{120 / 255.0, 124 / 255.0, 135 / 255.0};
    Rgb axis{150 / 255.0, 154 / 255.0, 164 / 255.0}; ///< the axis lines and ticks
};

/// What the figure shows besides the plot.
struct FigureSpec {
    core::Box view;          ///< the plot's data box: the axes' ranges
    bool decorations = true; ///< axes, colour bar and legend (false: the plot fills the frame)
    bool colorBar = true;    ///< a colour bar (when the landscape is drawn)
    ColorMap colorMap = ColorMap::Viridis;
    float lo = 0, hi = 1;             ///< the displayed values at the colour bar's ends
    std::string barLabel;             ///< what the colour bar shows, written along it
    std::vector<LegendRow> legend;    ///< one row per layer drawn (legend.h: the window's rows)
    std::vector<std::string> caption; ///< written in a strip above the plot, never over it
};

/// The fonts of a figure: tick labels and legend, and the (larger) caption. Both sizes follow the frame.
class FigureFonts {
public:
    /// Throws core::RuntimeError if no font can be loaded (see text.h).
    FigureFonts(int width, int height, const std::string& fontPath = defaultFontPath());
    const TextRenderer& label() const { return *m_label; }
    const TextRenderer& caption() const { return *m_caption; }
    int labelPixels() const { return m_labelPx; }

private:
    int m_labelPx;
    std::unique_ptr<TextRenderer> m_label, m_caption;
};

/// Where everything goes in a frame.
struct FigureLayout {
    int width = 0, height = 0;
    bool decorated = false; ///< false: too small for the figure, the plot fills the frame
    Rect plot;              ///< the plot (landscape, arrows, points)
    core::Box view;         ///< the data box the plot shows (equal scales on both axes)
    Rect colorBar;          ///< empty when there is none
    Rect caption;           ///< the caption strip (above the plot), empty when there is no caption
    Rect legend;            ///< the legend strip (below the axes), empty when there is no legend
};

/// Lays out a width x height frame. With fitView the plot takes all the room the decorations leave and
/// the view box grows on one axis to keep equal scales (exports); without it, the plot keeps the view's
/// aspect ratio and is centred in that room (a live recording, whose plot comes from the window). The
/// colour bar's labels get a fixed width, so frames of one animation share one layout. A frame too
/// small for the figure (or decorations off) gives decorated = false and the whole frame as the plot.
FigureLayout figureLayout(int width, int height, const FigureSpec& spec, const FigureFonts* fonts,
                          bool fitView);

/// The frame: the plot image (any size; scaled to the layout's plot rectangle if it differs) inside
/// the figure. Without decorations the caption is written over the plot's top-left corner (frames too
/// small for a strip) — the only case where anything covers the plot.
Image composeFigure(const Image& plot, const FigureSpec& spec, const FigureLayout& layout,
                    const FigureFonts* fonts, const FigureTheme& theme = {});

/// The legend rows (legend.h, the same as the window's) of the layers a scene of `method` draws: live
/// particles, data batch, what the method sees (MCMC negatives, noise samples and decision boundary), score
/// arrows and the target's score (score matching).
std::vector<LegendRow> legendFor(const std::string& method, const Layers& layers);

/// Tick positions with a 1-2-5 spacing covering [lo, hi], about `target` of them (none if lo ≥ hi).
std::vector<double> niceTicks(double lo, double hi, int target);
/// A tick label for v with the spacing of its axis ("−2", "0.5", "1e+04"), with a true minus sign.
std::string tickLabel(double v, double spacing);

/// The whole frame of a scene captured at the layout's plot size and view: the plot drawn by
/// renderScene, composed into the figure.
Image renderFigure(const Scene& scene, const RenderStyle& style, const FigureSpec& spec,
                   const FigureLayout& layout, const FigureFonts* fonts);

/// The figure of a scene captured with SceneOptions o (its colour range, caption and layers).
FigureSpec sceneFigure(const Scene& scene, const SceneOptions& o, const std::string& method);

} // namespace ebm::render
