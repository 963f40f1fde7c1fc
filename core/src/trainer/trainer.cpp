// The 2D configuration of the one trainer: an MLP on the plane domain.
#include "planedomain.h"

#include <ebm/core/trainer.h>

namespace ebm::core {

Trainer::Trainer(std::shared_ptr<const TargetDensity> target, const TrainerOptions& options)
    : m_target(std::move(target)), m_o(options) {
    if (!m_target) throw InvalidArgument("trainer needs a target density");
    m_o.validate();
    reset();
}

std::unique_ptr<EnergyModel<float>> Trainer::makeModel(Rng& rng) const {
    return std::make_unique<Mlp<float>>(m_o.model, rng);
}

void Trainer::reset() {
    setDomain(std::make_unique<PlaneDomain>(m_target, m_o.box, m_o.chains, m_o.seed));
    resetTraining();
}

void Trainer::setOptions(const TrainerOptions& o) {
    o.validate();
    const bool archChanged = o.model.hidden != m_o.model.hidden ||
                             o.model.activation != m_o.model.activation ||
                             o.model.inputDim != m_o.model.inputDim;
    const bool seedChanged = o.seed != m_o.seed;
    const TrainerOptions previous = m_o;
    m_o = o;
    if (archChanged || seedChanged) {
        reset();
        return;
    }
    optionsChanged(previous);
    Rng& rng = generator();
    static_cast<PlaneDomain&>(mutableDomain()).setChains(m_o.chains, m_o.box, rng);
}

void Trainer::setTarget(std::shared_ptr<const TargetDensity> target) {
    if (!target) throw InvalidArgument("trainer needs a target density");
    static_cast<PlaneDomain&>(mutableDomain()).setTarget(target);
    m_target = std::move(target);
    startPhase();
}

SamplerOptions Trainer::chainSampler() const {
    return static_cast<const PlaneDomain&>(domain()).chainSampler();
}

FeatureWidths Trainer::targetWidths() const {
    return static_cast<const PlaneDomain&>(domain()).targetWidths();
}

Metrics Trainer::metrics(const Matd& heldOut, const GridSpec& spec) const {
    Metrics m = computeMetrics(model(), *m_target, heldOut, spec);
    if (currentObjective().info().needs.noise) m.logZEstimate = logZEstimate();
    return m;
}

TrainerState Trainer::state() const {
    TrainerState s;
    static_cast<TrainingState&>(s) = trainingState();
    s.options = m_o;
    return s;
}

void Trainer::restore(const TrainerState& s) {
    s.options.validate();
    auto domain = std::make_unique<PlaneDomain>(m_target, s.options.box, s.options.chains, s.options.seed);
    restoreTraining(s, s.options.optimizer, std::make_unique<Mlp<float>>(s.options.model), std::move(domain));
    m_o = s.options;
}

} // namespace ebm::core
