#include "common.h"

namespace ebm::core {

Langevin::Langevin(SamplerOptions o) : m_o(o) {
    m_o.validate();
}

SamplerStats Langevin::run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const {
    detail::checkSamplerRun("Langevin::run", model, p, steps);
    const Index d = p.x.rows(), n = p.x.cols();
    SamplerStats stats;
    if (n == 0) return stats;
    detail::ensureCache(model, p, true);
    // x' = x − εβ∇E(x) + √(2ε) ξ  (docs/math.md); the cache then holds E, ∇E at x', ready for the next step.
    const float drift = m_o.stepSize * m_o.beta;
    const float noise = std::sqrt(2.0f * m_o.stepSize);
    Matf xi(d, n);
    for (int s = 0; s < steps; ++s) {
        fillNormal(xi, rng);
        p.x += noise * xi - drift * p.grad;
        if (s + 1 < steps || p.cacheAfterRun) model.energyAndGrad(p.x, p.energy, p.grad);
    }
    p.cacheValid = p.cacheAfterRun || steps == 0;
    stats.proposals = Index(steps) * n;
    stats.acceptRate = 1.0;
    return stats;
}

} // namespace ebm::core
