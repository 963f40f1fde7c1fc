// The one training loop (modeltrainer.h): objective from the registry, learning-rate schedule, divergence
// watchdog, replay buffer, state and restore.
#include "guardedstep.h"

#include <ebm/core/modeltrainer.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ebm::core {

void TrainingOptions::validate(ModelKind kind) const {
    const Objective& o = objective(method);
    if (!o.info().supports(kind)) {
        std::string names;
        for (const std::string& n : objectiveNames(kind))
            names += (names.empty() ? "" : ", ") + n;
        throw InvalidArgument(o.info().label + " is not available for " + modelKindName(kind) + " models" +
                              (kind == ModelKind::Image ? " (it needs d second derivatives per image)" : "") +
                              "; use " + names);
    }
    if (params.kind() != kind) throw InvalidArgument("the method hyperparameters are for another model kind");
    if (batchSize < 1 || batchSize > 1'000'000) throw InvalidArgument("batch size must be in 1..10^6");
    optimizer.validate();
    params.validate();
    if (!(std::isfinite(divergenceLimit) && divergenceLimit > 0))
        throw InvalidArgument("divergence limit must be > 0");
    if (lrDecaySteps < 0) throw InvalidArgument("learning-rate decay steps must be >= 0 (0 = constant)");
    if (!(lrFinalFactor > 0 && lrFinalFactor <= 1))
        throw InvalidArgument("learning-rate final factor must be in (0, 1]");
    if (!(lrFloorFactor > 0 && lrFloorFactor <= lrFinalFactor))
        throw InvalidArgument("learning-rate floor factor must be in (0, final factor]");
}

void ModelTrainer::setMethod(const std::string& m) {
    TrainingOptions& o = mutableTrainingOptions();
    if (m == o.method) return;
    const Objective& obj = objective(m);
    if (!obj.info().supports(kind()))
        throw InvalidArgument(obj.info().label + " is not available for " + modelKindName(kind()) +
                              " models");
    o.method = m;
    m_phaseStart = m_step;
}

float ModelTrainer::currentLearningRate() const {
    const TrainingOptions& o = trainingOptions();
    const ParamSet& p = o.params.of(o.method);
    const float lr = o.optimizer.learningRate * float(p.valueOr(kLearningRateScaleKey, 1.0));
    // A method without the flag (the image methods, whose schedule is off unless lrDecaySteps is set)
    // follows the schedule.
    if (o.lrDecaySteps <= 0 || p.valueOr(kDecayKey, 1) == 0) return lr;
    const double t = double(m_step - m_phaseStart) / o.lrDecaySteps;
    return float(lr * std::max(double(o.lrFloorFactor), std::pow(double(o.lrFinalFactor), t)));
}

const Matf& ModelTrainer::lastContrast() const {
    static const Matf none;
    const Needs& n = currentObjective().info().needs;
    return n.negatives ? m_lastNeg : n.noise ? m_lastNoise : none;
}

Rowf ModelTrainer::noiseLogDensity(const Matf& X) const {
    const TrainingOptions& o = trainingOptions();
    // The noise settings of the current method if it uses noise, else NCE's (for the decision-boundary view).
    const std::string m = currentObjective().info().needs.noise ? o.method : std::string("nce");
    return m_domain->noiseLogDensity(o.params.of(m), X);
}

StepStats ModelTrainer::step() {
    const TrainingOptions& o = trainingOptions();
    const Objective& obj = currentObjective();
    StepStats s;
    s.method = o.method;
    const Matf data = m_domain->sampleData(o.batchSize, m_rng);
    m_lastData = data;
    Vecf grad = Vecf::Zero(m_model->numParams());
    float gradC = 0;
    StepContext ctx{*m_model, data, o.params.of(o.method), *m_domain, m_rng, m_c};
    const float loss = obj.lossGrad(ctx, grad, gradC);
    s.loss = loss;
    s.acceptRate = ctx.acceptRate;
    if (ctx.usedNegatives.size()) m_lastNeg = ctx.usedNegatives;
    if (ctx.usedNoise.size()) m_lastNoise = ctx.usedNoise;

    OptimizerOptions oo = o.optimizer;
    oo.learningRate = currentLearningRate();
    m_opt->setOptions(oo);
    guardedStep(*m_model, m_c, *m_opt, loss, grad, gradC, data, o.divergenceLimit, m_step, o.method, s);
    // The chains advance only with a step that is kept: a rolled-back step leaves the buffer as it was.
    if (!s.diverged && ctx.usedNegatives.size())
        m_domain->keepNegatives(ctx.usedNegatives);
    else
        m_domain->forgetNegatives();
    ++m_step;
    s.step = m_step;
    afterStep(s);
    return s;
}

void ModelTrainer::resetTraining() {
    const TrainingOptions& o = trainingOptions();
    m_rng.seed(o.seed);
    m_model = makeModel(m_rng);
    m_opt = makeOptimizer(o.optimizer, m_model->numParams() + 1);
    m_c = 0;
    m_domain->resetChains(m_rng);
    m_step = 0;
    m_phaseStart = 0;
    m_lastData.resize(m_domain->dim(), 0);
    m_lastNeg.resize(m_domain->dim(), 0);
    m_lastNoise.resize(m_domain->dim(), 0);
}

void ModelTrainer::optionsChanged(const TrainingOptions& previous) {
    const TrainingOptions& o = trainingOptions();
    if (o.method != previous.method) m_phaseStart = m_step;
    std::unique_ptr<Optimizer> opt = m_opt->clone();
    reconfigureOptimizer(opt, previous.optimizer.kind, o.optimizer, m_model->numParams() + 1);
    m_opt = std::move(opt);
}

void ModelTrainer::replaceParameters(const Vecf& theta) {
    if (theta.size() != m_model->numParams())
        throw InvalidArgument("the model has " + std::to_string(m_model->numParams()) + " parameters, got " +
                              std::to_string(theta.size()));
    if (!theta.allFinite()) throw InvalidArgument("parameters must be finite");
    m_model->setParameters(theta);
    m_opt = makeOptimizer(trainingOptions().optimizer, m_model->numParams() + 1);
}

void ModelTrainer::rewind(const TrainingState& s) {
    m_model->setParameters(s.theta);
    m_c = s.logZEstimate;
    m_opt->setState(s.optimizer);
    m_domain->setBuffer(s.buffer);
}

TrainingState ModelTrainer::trainingState() const {
    TrainingState s;
    s.theta = m_model->parameters();
    s.logZEstimate = m_c;
    s.optimizer = m_opt->state();
    s.buffer = m_domain->buffer();
    s.step = m_step;
    s.phaseStart = m_phaseStart;
    std::ostringstream os;
    os << m_rng;
    s.rngState = os.str();
    return s;
}

void ModelTrainer::restoreTraining(const TrainingState& s, const OptimizerOptions& optimizer,
                                   std::unique_ptr<EnergyModel<float>> model,
                                   std::unique_ptr<TrainingDomain> domain) {
    model->setParameters(s.theta); // checks the size
    if (!s.theta.allFinite() || !std::isfinite(s.logZEstimate))
        throw InvalidArgument("trainer state holds non-finite numbers");
    if (s.step < 0 || s.phaseStart < 0 || s.phaseStart > s.step)
        throw InvalidArgument("trainer state: step counts are inconsistent");
    Rng rng;
    std::istringstream is(s.rngState);
    is >> rng;
    if (is.fail()) throw InvalidArgument("trainer state: the random generator state is unreadable");
    auto opt = makeOptimizer(optimizer, model->numParams() + 1);
    opt->setState(s.optimizer);
    domain->setBuffer(s.buffer); // checks the shape
    // All checks passed: apply.
    m_model = std::move(model);
    m_opt = std::move(opt);
    m_domain = std::move(domain);
    m_c = s.logZEstimate;
    m_step = s.step;
    m_phaseStart = s.phaseStart;
    m_rng = rng;
}

} // namespace ebm::core
