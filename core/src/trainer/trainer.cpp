// The 2D configuration of the one trainer: an MLP on the plane domain.
#include "planedomain.h"

#include <ebm/core/trainer.h>

#include <algorithm>

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
    restartAverage();
}

void Trainer::restartAverage() {
    m_shown.reset();
    m_averaged = 0;
    m_averagePhase = phaseStart();
}

void Trainer::afterStep(StepStats&) {
    if (m_o.averageSteps <= 0) {
        restartAverage();
        return;
    }
    if (phaseStart() != m_averagePhase) restartAverage(); // a new method or target: average afresh
    const Vecf& theta = model().params();
    if (m_averaged == 0) {
        m_shown.emplace(model());
    } else {
        // θ̄ ← d θ̄ + (1 − d) θ with d = min(1 − 1/averageSteps, (n + 1)/(n + 10)), n the steps in θ̄: early in
        // a phase the average spans about a tenth of the steps so far (it follows a model that is still
        // changing fast), later about the last averageSteps.
        const double n = double(m_averaged);
        const float d = float(std::min(1.0 - 1.0 / double(m_o.averageSteps), (n + 1.0) / (n + 10.0)));
        m_shown->setParameters(d * m_shown->params() + (1.0f - d) * theta);
    }
    ++m_averaged;
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
    Metrics m = computeMetrics(shownModel(), *m_target, heldOut, spec);
    if (currentObjective().info().needs.noise) m.logZEstimate = logZEstimate();
    return m;
}

TrainerState Trainer::state() const {
    TrainerState s;
    static_cast<TrainingState&>(s) = trainingState();
    s.options = m_o;
    if (m_shown && m_averaged > 0) {
        s.average = m_shown->params();
        s.averaged = m_averaged;
    }
    s.averagePhase = m_averagePhase;
    return s;
}

void Trainer::restore(const TrainerState& s) {
    s.options.validate();
    Mlp<float> shown(s.options.model);
    const bool averaged = s.averaged > 0 && s.average.size() > 0;
    if (averaged) shown.setParameters(s.average); // checks the size before anything changes
    if (s.averaged < 0 || (s.averaged > 0) != averaged)
        throw InvalidArgument("the state's averaged parameters and their count disagree");
    auto domain = std::make_unique<PlaneDomain>(m_target, s.options.box, s.options.chains, s.options.seed);
    restoreTraining(s, s.options.optimizer, std::make_unique<Mlp<float>>(s.options.model), std::move(domain));
    m_o = s.options;
    restartAverage();
    if (averaged) {
        m_shown.emplace(std::move(shown));
        m_averaged = s.averaged;
        m_averagePhase = s.averagePhase;
    }
}

} // namespace ebm::core
