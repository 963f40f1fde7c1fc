#pragma once
/// @file chainanimation.h
/// A Langevin chain as an animation for slides: each frame shows the image at that step (scaled up with
/// square pixels) beside the energy curve with a marker, written through the exporter (GIF, MP4, WebM or
/// a folder of PNG frames). Painting uses QImage only, so it runs on any thread.
#include "chaintrajectory.h"
#include <QImage>
#include <QString>
#include <ebm/exporter/encoder.h>

namespace ebm::ui {

inline constexpr int kChainFrameWidth = 640, kChainFrameHeight = 280;

/// Frame `frame` of the trajectory (kChainFrameWidth x kChainFrameHeight, RGB).
QImage chainFrame(const ChainTrajectory& t, int frame, const QString& title);

/// A QImage as the exporter's RGB frame.
render::Image toRenderImage(const QImage& image);

/// Writes every frame of t to path (format from the name, exporter::formatFromPath). progress(done, total)
/// is called per frame. Throws core::InvalidArgument / RuntimeError / exporter::Cancelled; nothing is left
/// at path unless it succeeds.
void writeChainAnimation(const ChainTrajectory& t, const QString& title, const std::string& path, double fps,
                         const exporter::EncodeControl& control);

} // namespace ebm::ui
