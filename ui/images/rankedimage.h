#pragma once
/// @file rankedimage.h
/// Images ranked by energy in the anomaly demo.
#include <QString>
#include <ebm/core/imagetrainer.h>

namespace ebm::ui {

/// An image ranked by energy in the anomaly demo.
struct RankedImage {
    enum Kind { HeldOut, Noise, Corrupted, OutOfDistribution, Edited };
    Kind kind;
    float energy;
    core::Vecf pixels;
};
QString rankedKindName(RankedImage::Kind k);

} // namespace ebm::ui
