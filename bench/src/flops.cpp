#include <ebm/bench/flops.h>

#include "counting.h"

#include <algorithm>

namespace ebm::bench {

using core::Index;
using core::Matf;

namespace {
// P = Σ_l n_l·n_{l−1} (multiply-adds per column of all hidden-layer products); P1 = the first layer's.
struct Dims {
    double P = 0, P1 = 0, H = 0;
};
Dims dims(const core::MlpOptions& a) {
    Dims d;
    double in = a.inputDim;
    for (int h : a.hidden) {
        d.P += double(h) * in;
        in = h;
    }
    d.P1 = double(a.hidden.front()) * a.inputDim;
    d.H = in;
    return d;
}

/// The model passes one loss evaluation asked for.
struct PassLog {
    StepWork work;
    Index negatives = 0;
};

/// Forwards to a copy of the trainer's domain; the negatives are drawn with the real model (their sampler
/// work is counted by flopsChains, as the work the chains need) and their number recorded.
class CountingDomain : public ForwardingDomain {
public:
    CountingDomain(std::unique_ptr<core::TrainingDomain> d, const core::EnergyModel<float>& model,
                   PassLog& log)
        : ForwardingDomain(std::move(d)), m_model(model), m_log(log) {}
    std::unique_ptr<core::TrainingDomain> clone() const override {
        return std::make_unique<CountingDomain>(cloneInner(), m_model, m_log);
    }
    Matf negatives(const core::EnergyModel<float>&, const Matf& data, core::Rng& rng,
                   double& acceptRate) override {
        Matf neg = ForwardingDomain::negatives(m_model, data, rng, acceptRate);
        m_log.negatives += neg.cols();
        return neg;
    }

private:
    const core::EnergyModel<float>& m_model;
    PassLog& m_log;
};
} // namespace

double StepWork::flops() const {
    double f = 0;
    for (const auto& p : parts)
        f += p.flops;
    return f;
}

void StepWork::add(Index width, double flops) {
    for (auto& p : parts)
        if (p.width == width) {
            p.flops += flops;
            return;
        }
    parts.push_back({width, flops});
}

double flopsForward(const core::MlpOptions& a, Index w) {
    const Dims d = dims(a);
    return 2.0 * double(w) * (d.P + d.H);
}

double flopsEnergyGrad(const core::MlpOptions& a, Index w) {
    const Dims d = dims(a);
    return flopsForward(a, w) + 2.0 * double(w) * d.P;
}

double flopsLossGrad(const core::MlpOptions& a, Index n, int blocks) {
    const Dims d = dims(a);
    const double w = double(n) * blocks;
    // forward 2w(P+H); head adjoints 4wH; ∂W_l for every layer 2wP; W_lᵀ z̄_l for l ≥ 2: 2w(P − P1).
    return 2.0 * w * (d.P + d.H) + 4.0 * w * d.H + 2.0 * w * d.P + 2.0 * w * (d.P - d.P1);
}

int lossBlocks(Index directions, int secondOrder) {
    const Index second = secondOrder < 0 ? directions : std::min<Index>(secondOrder, directions);
    return int(1 + directions + second);
}

double flopsChains(const core::ChainOptions& chains, const core::MlpOptions& a, Index negatives) {
    const int K = chains.steps;
    switch (chains.sampler.kind) {
    case core::SamplerKind::Langevin:
    case core::SamplerKind::Mala:
        return K * flopsEnergyGrad(a, negatives);
    case core::SamplerKind::Hmc:
        return double(K) * chains.sampler.leapfrogSteps * flopsEnergyGrad(a, negatives);
    case core::SamplerKind::RandomWalkMH:
        return K * flopsForward(a, negatives);
    }
    return 0;
}

StepWork stepWork(const core::Trainer& trainer, Index* negatives, Index* noise) {
    const core::TrainerOptions& o = trainer.options();
    const core::Objective& objective = trainer.currentObjective();
    PassLog log;
    const core::MlpOptions& arch = o.model;
    const PassCosts costs{[&](Index n) { return flopsForward(arch, n); },
                          [&](Index n) { return flopsEnergyGrad(arch, n); },
                          [&](Index n, int blocks) { return flopsForward(arch, n * blocks); },
                          [&](Index n, int blocks) { return flopsLossGrad(arch, n, blocks); }};
    const CountingModel model(trainer.energyModel(), costs, log.work);
    CountingDomain domain(trainer.domain().clone(), trainer.energyModel(), log);
    core::Rng rng(o.seed ^ 0xB5ADull);
    const Matf data = domain.sampleData(o.batchSize, rng);
    core::StepContext ctx{model, data, o.params.of(o.method), domain, rng, trainer.logZEstimate()};
    core::Vecf grad = core::Vecf::Zero(model.numParams());
    float gradC = 0;
    objective.lossGrad(ctx, grad, gradC);
    StepWork w;
    if (objective.info().needs.negatives && log.negatives > 0)
        w.add(log.negatives, flopsChains(o.chains, o.model, log.negatives));
    for (const GemmWork& p : log.work.parts)
        w.add(p.width, p.flops);
    if (negatives) *negatives = log.negatives;
    if (noise) *noise = ctx.usedNoise.cols();
    return w;
}

} // namespace ebm::bench
