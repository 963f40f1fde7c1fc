#include "common.h"

#include <limits>
#include <string>

namespace ebm::core {

std::string samplerKindName(SamplerKind k) {
    switch (k) {
    case SamplerKind::RandomWalkMH:
        return "mh";
    case SamplerKind::Langevin:
        return "ula";
    case SamplerKind::Mala:
        return "mala";
    case SamplerKind::Hmc:
        return "hmc";
    }
    throw InvalidArgument("samplerKindName: unknown sampler kind " + std::to_string(int(k)));
}

SamplerKind parseSamplerKind(const std::string& name) {
    for (SamplerKind k :
         {SamplerKind::RandomWalkMH, SamplerKind::Langevin, SamplerKind::Mala, SamplerKind::Hmc})
        if (name == samplerKindName(k)) return k;
    throw InvalidArgument("unknown sampler '" + name + "'; valid samplers: mh, ula, mala, hmc");
}

namespace {
void requirePositive(const char* field, float v, const char* unit) {
    if (!(std::isfinite(v) && v > 0.0f))
        throw InvalidArgument(std::string("sampler option ") + field + " must be a positive finite number (" +
                              unit + "), got " + std::to_string(v));
}
} // namespace

void SamplerOptions::validate() const {
    switch (kind) {
    case SamplerKind::RandomWalkMH:
    case SamplerKind::Langevin:
    case SamplerKind::Mala:
    case SamplerKind::Hmc:
        break;
    default:
        throw InvalidArgument("sampler option kind is not a valid sampler: " + std::to_string(int(kind)));
    }
    requirePositive("beta", beta, "inverse temperature");
    requirePositive("stepSize", stepSize, "step size ε");
    requirePositive("mhSigma", mhSigma, "random-walk proposal std in data units");
    if (leapfrogSteps < 1 || leapfrogSteps > 1000)
        throw InvalidArgument("sampler option leapfrogSteps must be in 1..1000, got " +
                              std::to_string(leapfrogSteps));
}

std::unique_ptr<Sampler> makeSampler(const SamplerOptions& options) {
    options.validate();
    switch (options.kind) {
    case SamplerKind::RandomWalkMH:
        return std::make_unique<RandomWalkMetropolis>(options);
    case SamplerKind::Langevin:
        return std::make_unique<Langevin>(options);
    case SamplerKind::Mala:
        return std::make_unique<Mala>(options);
    case SamplerKind::Hmc:
        return std::make_unique<Hmc>(options);
    }
    throw InvalidArgument("makeSampler: unknown sampler kind");
}

namespace detail {

void checkSamplerRun(const char* who, const EnergyModel<float>& model, const ParticleSet& p, int steps) {
    if (steps < 0)
        throw InvalidArgument(std::string(who) + ": steps must be >= 0, got " + std::to_string(steps));
    if (p.x.rows() != model.dim())
        throw InvalidArgument(std::string(who) + ": particles are " + std::to_string(p.x.rows()) +
                              "-dimensional but the model is " + std::to_string(model.dim()) +
                              "-dimensional");
}

void ensureCache(const EnergyModel<float>& model, ParticleSet& p, bool needGrad) {
    const Index d = p.x.rows(), n = p.x.cols();
    bool ok = p.cacheValid && p.energy.size() == n;
    if (needGrad) ok = ok && p.grad.rows() == d && p.grad.cols() == n;
    if (ok) return;
    if (needGrad)
        model.energyAndGrad(p.x, p.energy, p.grad);
    else {
        p.energy = model.energy(p.x);
        p.grad.resize(0, 0);
    }
    p.cacheValid = true;
}

void setCurrentEnergy(AcceptWork& w, const Rowf& e) {
    w.current = e.transpose().cast<double>().array();
    w.current = w.current.isFinite().select(w.current, std::numeric_limits<double>::infinity());
}

Index decideAcceptance(AcceptWork& w, const Rowf& proposalEnergy, const Matf& proposal, Rng& rng) {
    fillUniform(w.u, rng);
    // NaN ratios compare false and are rejected as well.
    w.mask = proposalEnergy.transpose().array().isFinite() &&
             proposal.array().isFinite().colwise().all().transpose() && (w.u.array().log() < w.logRatio);
    return w.mask.count();
}

} // namespace detail
} // namespace ebm::core
