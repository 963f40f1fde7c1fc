#pragma once
/// @file trainingsnapshot.h
/// What the training worker publishes after each chunk: an immutable picture of the trainer, the live
/// particles and the fields the views draw. Shared as std::shared_ptr<const TrainingSnapshot>.
#include <QMetaType>
#include <cstdint>
#include <ebm/core/metrics.h>
#include <ebm/core/mlp.h>
#include <ebm/core/trainer.h>
#include <ebm/render/landscape.h>
#include <memory>

namespace ebm::ui {

/// Vectors at grid points: pos and vec are 2 x n; magnitudes are data units per data unit of score.
struct VectorGrid {
    core::Box box;
    int nx = 0, ny = 0;
    core::Matf pos; ///< 2 x n
    core::Matf vec; ///< 2 x n, the score −β∇ₓE (or the target's ∇ₓ log p)
};

struct TrainingSnapshot {
    std::int64_t step = 0;   ///< training steps taken
    std::int64_t serial = 0; ///< increases with every snapshot
    /// Increases when the fields (energy, target grid, Fisher map, NCE logit, arrows) were re-evaluated:
    /// the view uploads them only then. Snapshots between carry the same fields with newer particles.
    std::int64_t fieldSerial = 0;
    std::int64_t epoch = 0; ///< how many sessions were opened before it (older ones are stale)
    std::string method = core::TrainingOptions{}.method; ///< the registered objective trained
    const core::ObjectiveInfo& methodInfo() const { return core::objective(method).info(); }
    std::string targetName;
    bool playing = false;

    std::shared_ptr<const core::Mlp<float>> model; ///< the parameters at this step (shader path)
    core::EnergyGrid energy;          ///< model energy over the view box (texture path, colour range)
    render::ScalarField targetEnergy; ///< −log p_target (renormalised on the view box), same grid
    render::ScalarField nceLogit;     ///< NCE: log p_θ − log q on the view grid (decision boundary = 0)
    render::ScalarField fisher;       ///< SM: ‖s_θ − s_p‖² per cell (empty unless score matching)
    VectorGrid score;                 ///< model score −β∇E on an arrow grid over the view box
    VectorGrid targetScore;           ///< target's score ∇ log p on the same arrow grid

    double logZ = 0;     ///< exact log Z(β=1) by quadrature on the trainer's box
    double logZBeta = 0; ///< log Z at the live sampler's β
    float beta = 1.0f;   ///< live sampler's inverse temperature

    core::Matf particles; ///< live sampler particles (2 x n)
    core::Matf data;      ///< the last data batch (2 x m)
    core::Matf negatives; ///< a method with MCMC negatives: the last negatives (2 x k), else empty
    core::Matf noise;     ///< a method with noise samples: the last noise batch, else empty
    core::SamplerOptions chainSampler; ///< a method with MCMC negatives: what its chains run
    core::FeatureWidths targetWidths;  ///< … and the target's widths they were fitted to

    // Figures for the charts (NaN when not computed at this snapshot).
    double loss = 0; ///< mean loss over the chunk's steps
    double kl = std::numeric_limits<double>::quiet_NaN();
    double logZEstimate = std::numeric_limits<double>::quiet_NaN(); ///< NCE's c
    double acceptRate = 1.0;                                        ///< CD sampler acceptance over the chunk
    double liveAcceptRate = 1.0;                                    ///< live particles' acceptance
    double stepsPerSecond = 0;
    int stepsInChunk = 0; ///< training steps since the previous snapshot that carried figures (0: none new)
    bool diverged = false;
    std::string message; ///< divergence message, if any
};

using SnapshotPtr = std::shared_ptr<const TrainingSnapshot>;

} // namespace ebm::ui

Q_DECLARE_METATYPE(ebm::ui::SnapshotPtr)
