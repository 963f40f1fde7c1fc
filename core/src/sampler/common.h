#pragma once
// Helpers shared by the samplers (internal to core/src/sampler).
#include <ebm/core/sampler.h>

#include <cmath>

namespace ebm::core::detail {

/// Boundary checks of Sampler::run: particles match the model's dimension, steps >= 0.
void checkSamplerRun(const char* who, const EnergyModel<float>& model, const ParticleSet& p, int steps);

/// Makes p's cache hold E (and ∇E when needGrad) at p.x. The cache is trusted when cacheValid and its shapes
/// match; a sampler that does not maintain gradients leaves p.grad empty, so a stale gradient is never used.
void ensureCache(const EnergyModel<float>& model, ParticleSet& p, bool needGrad);

/// Buffers of the accept/reject step, allocated once per run: allocating per step makes glibc grow and trim
/// the heap every step (a brk pair each time), which cost more than the sampling itself.
struct AcceptWork {
    explicit AcceptWork(Index n) : u(n), logRatio(n), current(n), mask(n) {}
    Eigen::VectorXd u;
    Eigen::ArrayXd logRatio; ///< log acceptance ratio per particle, filled by the sampler
    Eigen::ArrayXd current;  ///< see setCurrentEnergy
    Eigen::Array<bool, Eigen::Dynamic, 1> mask;
};

/// w.current = the current energies in double, as used in acceptance ratios: a NaN/Inf current energy counts
/// as +Inf, so any proposal with a finite energy is accepted and the chain can leave a bad region.
void setCurrentEnergy(AcceptWork& w, const Rowf& e);

/// Per-particle acceptance into w.mask: accept column i iff proposal i is finite (energy and position) and
/// log u_i < w.logRatio_i, u_i uniform on [0, 1) drawn from rng (one per particle, in column order).
/// Returns the number accepted.
Index decideAcceptance(AcceptWork& w, const Rowf& proposalEnergy, const Matf& proposal, Rng& rng);

/// dst.col(i) = src.col(i) where mask(i) (d x n or 1 x n matrices).
template <typename M>
void selectColumns(M& dst, const M& src, const Eigen::Array<bool, Eigen::Dynamic, 1>& mask) {
    dst = mask.transpose().replicate(dst.rows(), 1).select(src, dst);
}

/// Ratio for SamplerStats, with no proposals reported as 1.
inline double acceptRate(Index accepted, Index proposals) {
    return proposals > 0 ? double(accepted) / double(proposals) : 1.0;
}

} // namespace ebm::core::detail
