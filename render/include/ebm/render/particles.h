#pragma once
/// @file particles.h
/// The point layers on the CPU, drawn like the GL view's splat.comp + splat_composite.frag: each point adds
/// a weight to per-pixel counters of its set (a 3 x 3 footprint with a soft edge; older trail positions a
/// single pixel and less weight), and each set covers a pixel with alpha 1 − exp(−gain · count); the live
/// particles get a dark one-pixel rim (kParticleRimThreshold).
#include <ebm/core/types.h>
#include <ebm/render/colormap.h>
#include <ebm/render/image.h>
#include <vector>

namespace ebm::render {

/// The point sets, in drawing order (later on top).
enum class PointSet { Data = 0, MethodSamples = 1, Particles = 2 };
constexpr int kPointSetCount = 3;
/// Trail length of the live particles (positions kept, the newest included).
constexpr int kTrailSlots = 8;
/// The live particles' dark rim: a pixel of the ring around a particle's newest 3 x 3 footprint whose
/// particle count is below the threshold (the footprint's edge weight, half a particle's 256) is darkened
/// by the alpha under the particles, so that white points show on the light end of a colour map
/// (viridis' yellow).
constexpr unsigned kParticleRimThreshold = 128;
constexpr float kParticleRimAlpha = 0.6f;

/// The colour of a set: data orange, MCMC negatives magenta or noise samples light blue, live particles
/// white.
Rgb8 pointColor(PointSet s, bool nce);

struct PointLayers {
    core::Matf data;                   ///< 2 x n, the last training batch (empty: not drawn)
    core::Matf methodSamples;          ///< 2 x n, the method's negatives or noise (empty: not drawn)
    std::vector<core::Matf> particles; ///< live particles, newest first, at most kTrailSlots positions
    bool nce = false;                  ///< method samples are noise, not negatives (colour)
};

/// Splats and composites the layers over the image.
void drawPoints(Image& img, const core::Box& view, const PointLayers& layers);

} // namespace ebm::render
