#pragma once
/// @file legend.h
/// The legend of the landscape view's layers, shared by the window (ui/landscape/plotdecorations.cpp paints it with
/// QPainter) and the CPU renderer (exports, `ebmlab-cli render`): which rows a frame shows, each with its
/// own glyph (a dot for point sets, an arrow for score fields, a line for the NCE boundary), the layer's
/// colour and a label that needs no markup; and the glyphs drawn into an Image (figure.h lays the rows
/// out under exported frames). Also the colour bar's label of each field and quantity.
#include <ebm/core/trainer.h>
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <ebm/render/mapping.h>
#include <ebm/render/text.h>
#include <string>
#include <vector>

namespace ebm::render {

struct Scene;

/// NCE's decision boundary (landscape_main.glsl and drawLandscape draw it in this colour).
inline constexpr Rgb kBoundaryColor{1.0, 0.35, 0.3};

enum class LegendGlyph { Dot, Arrow, Line };

struct LegendRow {
    LegendGlyph glyph = LegendGlyph::Dot;
    Rgb8 color;
    std::string text; ///< UTF-8, plain text (no "_θ" markup)
};

/// Which layers a frame shows.
struct LegendContent {
    bool particles = false;
    bool data = false;
    bool negatives = false;
    bool noise = false;
    bool noiseBoundary = false;
    bool modelScore = false;
    bool targetScore = false;
};

/// One row per shown layer, in drawing order from the back: boundary, target score, model score, data,
/// method samples, particles.
std::vector<LegendRow> legendRows(const LegendContent& c);
/// What a captured scene shows (its non-empty layers).
LegendContent legendContent(const Scene& s);

/// Draws a glyph centred in the size x size square at (x, y).
void drawLegendGlyph(Image& img, int x, int y, int size, LegendGlyph g, Rgb8 color);

/// The field a colour bar describes (the window's "Show" choices).
enum class FieldKind { Model, Target, Difference, ScoreError };
/// The colour bar's label for a field and quantity, e.g. "model energy E(x)" (plain Unicode: the CPU
/// renderer draws it with FreeType, which knows no subscripts).
std::string fieldLabel(FieldKind f, Quantity q);

} // namespace ebm::render
