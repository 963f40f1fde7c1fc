#pragma once
/// @file colormaps.h
/// Qt front of the colour maps defined in ebm::render (render/colormap.h): the landscape shader samples
/// the 256-entry tables from a texture, the colour bar paints them with QPainter, and the CPU renderer
/// uses the same tables, so all three show the same colours.
#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>
#include <array>

namespace ebm::ui {

enum class ColorMap { Viridis = 0, Magma = 1, CoolWarm = 2 }; ///< same order as render::ColorMap
constexpr int kColorMapCount = 3;

QStringList colorMapNames();     ///< display names, in enum order
QString colorMapKey(ColorMap m); ///< "viridis" | "magma" | "coolwarm" (settings)
ColorMap colorMapFromKey(const QString& key, ColorMap fallback = ColorMap::Viridis);

/// The colour at t in [0, 1].
QColor colorAt(ColorMap m, double t);
/// A 256 x kColorMapCount RGBA8888 image, row r = ColorMap(r) (uploaded as the shader's lookup texture).
QImage colorMapTable();

} // namespace ebm::ui
