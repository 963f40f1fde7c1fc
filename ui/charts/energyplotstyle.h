#pragma once
/// @file energyplotstyle.h
/// The colours the image mode's energy plots share (the histogram and the chain's energy curve).
#include <QColor>

namespace ebm::ui {

/// Held-out data orange, the chains' samples light blue, uniform noise grey.
inline const QColor kEnergySeriesColor[3] = {QColor(255, 170, 60), QColor(120, 200, 255),
                                             QColor(190, 190, 190)};
inline const QColor kEnergyPlotBackground(30, 31, 36);
inline const QColor kEnergyPlotAxis(150, 150, 158);

} // namespace ebm::ui
