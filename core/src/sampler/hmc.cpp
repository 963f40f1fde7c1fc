#include "common.h"

namespace ebm::core {

Hmc::Hmc(SamplerOptions o) : m_o(o) {
    m_o.validate();
}

SamplerStats Hmc::run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const {
    detail::checkSamplerRun("Hmc::run", model, p, steps);
    const Index d = p.x.rows(), n = p.x.cols();
    SamplerStats stats;
    if (n == 0) return stats;
    detail::ensureCache(model, p, true);
    const double beta = m_o.beta;
    const float eps = m_o.stepSize;
    const float b = m_o.beta;
    const int L = m_o.leapfrogSteps;
    Matf mom(d, n), xp(d, n), gp(d, n);
    Rowf ep(n);
    detail::AcceptWork w(n);
    Index accepted = 0;
    for (int s = 0; s < steps; ++s) {
        fillNormal(mom, rng);
        // H(x, p) = βE(x) + ½‖p‖², in double; logRatio holds H_old until the trajectory ends.
        detail::setCurrentEnergy(w, p.energy);
        w.logRatio = beta * w.current + 0.5 * mom.cast<double>().colwise().squaredNorm().transpose().array();
        // Leapfrog on βE: half-step p, then L times (full-step x, gradient, full-step p), the last p-step a
        // half.
        mom -= (0.5f * eps * b) * p.grad;
        xp = p.x;
        for (int l = 0; l < L; ++l) {
            xp += eps * mom;
            model.energyAndGrad(xp, ep, gp);
            mom -= ((l + 1 < L ? 1.0f : 0.5f) * eps * b) * gp;
        }
        // log α = H_old − H_new. A non-finite momentum makes it NaN or −Inf: rejected.
        w.logRatio -= beta * ep.transpose().cast<double>().array() +
                      0.5 * mom.cast<double>().colwise().squaredNorm().transpose().array();
        accepted += detail::decideAcceptance(w, ep, xp, rng);
        detail::selectColumns(p.x, xp, w.mask);
        detail::selectColumns(p.energy, ep, w.mask);
        detail::selectColumns(p.grad, gp, w.mask);
    }
    p.cacheValid = true;
    stats.proposals = Index(steps) * n;
    stats.acceptRate = detail::acceptRate(accepted, stats.proposals);
    return stats;
}

} // namespace ebm::core
