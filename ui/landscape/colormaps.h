#pragma once
/// @file colormaps.h
/// Qt front of the colour maps defined in ebm::render (render/colormap.h): the landscape shader samples
/// the 256-entry tables from a texture, the colour bar paints them with QPainter, and the CPU renderer
/// uses the same tables, so all three show the same colours. The enum is render's: the window, the CPU
/// renderer and the files name a map by one type.
#include <QColor>
#include <QImage>
#include <QString>
#include <QStringList>
#include <array>
#include <ebm/render/colormap.h>

namespace ebm::ui {

using render::ColorMap;
using render::kColorMapCount;

QStringList colorMapNames();      ///< display names, in enum order
QString qColorMapKey(ColorMap m); ///< "viridis" | "magma" | "coolwarm" (settings)
ColorMap colorMapFromKey(const QString& key, ColorMap fallback = ColorMap::Viridis);

/// The colour at t in [0, 1].
QColor qColorAt(ColorMap m, double t);
/// A 256 x kColorMapCount RGBA8888 image, row r = ColorMap(r) (uploaded as the shader's lookup texture).
QImage colorMapTable();

} // namespace ebm::ui
