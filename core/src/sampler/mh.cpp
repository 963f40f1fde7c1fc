#include "common.h"

namespace ebm::core {

RandomWalkMetropolis::RandomWalkMetropolis(SamplerOptions o) : m_o(o) {
    m_o.validate();
}

SamplerStats RandomWalkMetropolis::run(const EnergyModel<float>& model, ParticleSet& p, int steps,
                                       Rng& rng) const {
    detail::checkSamplerRun("RandomWalkMetropolis::run", model, p, steps);
    const Index d = p.x.rows(), n = p.x.cols();
    SamplerStats stats;
    if (n == 0) return stats;
    detail::ensureCache(model, p, false);
    if (steps == 0) return stats;
    // MH needs no gradients, and moved particles would make a cached gradient stale: drop it, so that a
    // gradient sampler run next recomputes it (see ensureCache).
    p.grad.resize(0, 0);
    const double beta = m_o.beta;
    Matf xi(d, n), xp(d, n);
    Rowf ep(n);
    detail::AcceptWork w(n);
    Index accepted = 0;
    for (int s = 0; s < steps; ++s) {
        fillNormal(xi, rng);
        xp = p.x + m_o.mhSigma * xi;
        ep = model.energy(xp);
        detail::setCurrentEnergy(w, p.energy);
        w.logRatio = -beta * (ep.transpose().cast<double>().array() - w.current);
        accepted += detail::decideAcceptance(w, ep, xp, rng);
        detail::selectColumns(p.x, xp, w.mask);
        detail::selectColumns(p.energy, ep, w.mask);
    }
    stats.proposals = Index(steps) * n;
    stats.acceptRate = detail::acceptRate(accepted, stats.proposals);
    return stats;
}

} // namespace ebm::core
