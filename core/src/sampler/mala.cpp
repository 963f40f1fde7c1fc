#include "common.h"

namespace ebm::core {

Mala::Mala(SamplerOptions o) : m_o(o) {
    m_o.validate();
}

SamplerStats Mala::run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const {
    detail::checkSamplerRun("Mala::run", model, p, steps);
    const Index d = p.x.rows(), n = p.x.cols();
    SamplerStats stats;
    if (n == 0) return stats;
    detail::ensureCache(model, p, true);
    const double eps = m_o.stepSize, beta = m_o.beta;
    const float drift = m_o.stepSize * m_o.beta;
    const float noise = std::sqrt(2.0f * m_o.stepSize);
    Matf xi(d, n), xp(d, n), gp(d, n);
    Rowf ep(n);
    detail::AcceptWork w(n);
    Index accepted = 0;
    for (int s = 0; s < steps; ++s) {
        fillNormal(xi, rng);
        xp = p.x + noise * xi - drift * p.grad;
        model.energyAndGrad(xp, ep, gp);
        // log α = −βE(x') + βE(x) − ‖x − x' + εβ∇E(x')‖²/(4ε) + ‖x' − x + εβ∇E(x)‖²/(4ε), in double and with
        // the rounded x' actually proposed (the forward term is ‖√(2ε)ξ‖²/(4ε) up to that rounding).
        const auto x = p.x.cast<double>();
        const auto y = xp.cast<double>();
        detail::setCurrentEnergy(w, p.energy);
        w.logRatio = -beta * (ep.transpose().cast<double>().array() - w.current) +
                     ((y - x + (eps * beta) * p.grad.cast<double>()).colwise().squaredNorm() -
                      (x - y + (eps * beta) * gp.cast<double>()).colwise().squaredNorm())
                             .transpose()
                             .array() /
                         (4.0 * eps);
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
