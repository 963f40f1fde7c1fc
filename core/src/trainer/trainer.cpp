#include "guardedstep.h"

#include <ebm/core/objective.h>
#include <ebm/core/trainer.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <sstream>

namespace ebm::core {

namespace {
constexpr Index kNoiseFitSamples = 20000;

Matf uniformOnBox(const Box& b, Index n, Rng& rng) {
    Matf X(2, n);
    fillUniform(X, rng);
    X.row(0) = (X.row(0).array() * float(b.width()) + float(b.x0)).matrix();
    X.row(1) = (X.row(1).array() * float(b.height()) + float(b.y0)).matrix();
    return X;
}
} // namespace

Trainer::Trainer(std::shared_ptr<const TargetDensity> target, const TrainerOptions& options)
    : m_target(std::move(target)), m_o(options) {
    if (!m_target) throw InvalidArgument("trainer needs a target density");
    m_o.validate();
    reset();
}

Trainer::~Trainer() = default;

Trainer::Trainer(const Trainer& other)
    : m_target(other.m_target), m_o(other.m_o), m_model(std::make_unique<Mlp<float>>(*other.m_model)),
      m_opt(makeOptimizer(other.m_o.optimizer, other.m_model->numParams() + 1)), m_rng(other.m_rng),
      m_c(other.m_c), m_step(other.m_step), m_phaseStart(other.m_phaseStart), m_buffer(other.m_buffer),
      m_lastData(other.m_lastData), m_lastNeg(other.m_lastNeg), m_lastNoise(other.m_lastNoise),
      m_noiseMean(other.m_noiseMean), m_noiseChol(other.m_noiseChol) {
    m_opt->setState(other.m_opt->state());
}

Trainer& Trainer::operator=(const Trainer& other) {
    if (this != &other) {
        Trainer copy(other);
        std::swap(m_target, copy.m_target);
        std::swap(m_o, copy.m_o);
        std::swap(m_model, copy.m_model);
        std::swap(m_opt, copy.m_opt);
        std::swap(m_rng, copy.m_rng);
        std::swap(m_c, copy.m_c);
        std::swap(m_step, copy.m_step);
        std::swap(m_phaseStart, copy.m_phaseStart);
        std::swap(m_buffer, copy.m_buffer);
        std::swap(m_lastData, copy.m_lastData);
        std::swap(m_lastNeg, copy.m_lastNeg);
        std::swap(m_lastNoise, copy.m_lastNoise);
        std::swap(m_noiseMean, copy.m_noiseMean);
        std::swap(m_noiseChol, copy.m_noiseChol);
    }
    return *this;
}

void Trainer::initModel() {
    m_model = std::make_unique<Mlp<float>>(m_o.model, m_rng);
    m_opt = makeOptimizer(m_o.optimizer, m_model->numParams() + 1);
    m_c = 0;
}

void Trainer::reset() {
    m_rng.seed(m_o.seed);
    initModel();
    m_buffer = uniformOnBox(m_o.box, m_o.cd.bufferSize, m_rng);
    m_step = 0;
    m_phaseStart = 0;
    m_lastData.resize(2, 0);
    m_lastNeg.resize(2, 0);
    m_lastNoise.resize(2, 0);
    fitNoise();
}

void Trainer::setMethod(Method m) {
    if (m != m_o.method) m_phaseStart = m_step;
    m_o.method = m;
}

float Trainer::currentLearningRate() const {
    const float lr = m_o.optimizer.learningRate *
                     (m_o.method == Method::ContrastiveDivergence ? m_o.cd.learningRateScale : 1.0f);
    const bool decay = m_o.method == Method::ContrastiveDivergence ? m_o.cd.decayLearningRate
                       : m_o.method == Method::NoiseContrastive    ? m_o.nce.decayLearningRate
                                                                   : m_o.sm.decayLearningRate;
    if (m_o.lrDecaySteps <= 0 || !decay) return lr;
    const double t =
        double(std::min<std::int64_t>(m_step - m_phaseStart, m_o.lrDecaySteps)) / m_o.lrDecaySteps;
    return float(lr * std::pow(double(m_o.lrFinalFactor), t));
}

void Trainer::setOptions(const TrainerOptions& o) {
    o.validate();
    const bool archChanged = o.model.hidden != m_o.model.hidden ||
                             o.model.activation != m_o.model.activation ||
                             o.model.inputDim != m_o.model.inputDim;
    const bool seedChanged = o.seed != m_o.seed;
    const bool noiseChanged = o.nce.noise != m_o.nce.noise || o.nce.noiseScale != m_o.nce.noiseScale;
    const bool bufferChanged = o.cd.bufferSize != m_o.cd.bufferSize || o.box.x0 != m_o.box.x0 ||
                               o.box.x1 != m_o.box.x1 || o.box.y0 != m_o.box.y0 || o.box.y1 != m_o.box.y1;
    const OptimizerKind previousKind = m_o.optimizer.kind;
    if (o.method != m_o.method) m_phaseStart = m_step;
    m_o = o;
    if (archChanged || seedChanged) {
        reset();
        return;
    }
    reconfigureOptimizer(m_opt, previousKind, m_o.optimizer, m_model->numParams() + 1);
    if (bufferChanged) m_buffer = uniformOnBox(m_o.box, m_o.cd.bufferSize, m_rng);
    if (noiseChanged) fitNoise();
}

void Trainer::setTarget(std::shared_ptr<const TargetDensity> target) {
    if (!target) throw InvalidArgument("trainer needs a target density");
    m_target = std::move(target);
    m_phaseStart = m_step;
    fitNoise();
}

void Trainer::fitNoise() {
    // Fitted with its own generator so that changing the target does not shift the training stream.
    Rng rng(m_o.seed ^ 0x9e3779b97f4a7c15ULL);
    const Matd S = m_target->sample(kNoiseFitSamples, rng);
    const Eigen::Vector2d mean = S.rowwise().mean();
    const Matd C = S.colwise() - mean;
    Eigen::Matrix2d cov = (C * C.transpose()) / double(S.cols() - 1);
    cov *= double(m_o.nce.noiseScale) * m_o.nce.noiseScale;
    cov += 1e-6 * Eigen::Matrix2d::Identity();
    m_noiseMean = mean.cast<float>();
    m_noiseChol = Eigen::Matrix2d(cov.llt().matrixL()).cast<float>();
}

Rowf Trainer::noiseLogDensity(const Matf& X) const {
    if (m_o.nce.noise == NceNoise::Uniform) {
        const Box& b = m_o.box;
        const float logArea = -float(std::log(b.width() * b.height()));
        Rowf r(X.cols());
        for (Index i = 0; i < X.cols(); ++i) {
            const bool in = X(0, i) >= b.x0 && X(0, i) <= b.x1 && X(1, i) >= b.y0 && X(1, i) <= b.y1;
            r(i) = in ? logArea : -std::numeric_limits<float>::infinity();
        }
        return r;
    }
    const Eigen::Matrix2f L = m_noiseChol;
    const Matf Z = L.triangularView<Eigen::Lower>().solve(X.colwise() - m_noiseMean);
    const float logDet = std::log(L(0, 0)) + std::log(L(1, 1));
    return (-0.5f * Z.colwise().squaredNorm().array() - logDet - float(std::log(2 * M_PI))).matrix();
}

StepStats Trainer::step() {
    StepStats s;
    s.method = m_o.method;
    const Index B = m_o.batchSize;
    const Matf data = m_target->sample(B, m_rng).cast<float>();
    m_lastData = data;
    Vecf grad = Vecf::Zero(m_model->numParams());
    std::vector<Index> bufferSlots; // CD: where the negatives go back into the replay buffer
    float gradC = 0;
    float loss = 0;
    switch (m_o.method) {
    case Method::ContrastiveDivergence: {
        const CdOptions& cd = m_o.cd;
        ParticleSet p;
        std::vector<Index> slots;
        if (cd.persistent) {
            std::uniform_int_distribution<Index> pick(0, m_buffer.cols() - 1);
            std::uniform_real_distribution<float> u(0, 1);
            p.x.resize(2, B);
            slots.resize(B);
            const Matf fresh = uniformOnBox(m_o.box, B, m_rng);
            for (Index i = 0; i < B; ++i) {
                slots[i] = pick(m_rng);
                if (u(m_rng) < cd.restartFraction)
                    p.x.col(i) = u(m_rng) < cd.restartFromData ? data.col(i) : fresh.col(i);
                else
                    p.x.col(i) = m_buffer.col(slots[i]);
            }
        } else {
            p.x = uniformOnBox(m_o.box, B, m_rng);
        }
        const auto sampler = makeSampler(cd.sampler);
        const SamplerStats st = sampler->run(*m_model, p, cd.steps, m_rng);
        s.acceptRate = st.acceptRate;
        // Chains that left far beyond the box (or broke) restart there: they carry no information.
        const Box& b = m_o.box;
        const float mx = 0.5f * float(b.width()), my = 0.5f * float(b.height());
        const Matf fresh = uniformOnBox(b, B, m_rng);
        for (Index i = 0; i < B; ++i) {
            const bool bad = !p.x.col(i).allFinite() || p.x(0, i) < b.x0 - mx || p.x(0, i) > b.x1 + mx ||
                             p.x(1, i) < b.y0 - my || p.x(1, i) > b.y1 + my;
            if (bad) p.x.col(i) = fresh.col(i);
        }
        bufferSlots = std::move(slots);
        m_lastNeg = p.x;
        loss = cdLoss<float>(*m_model, data, p.x, cd.energyReg, grad);
        break;
    }
    case Method::ExactScoreMatching:
        loss = exactScoreMatchingLoss<float>(*m_model, data, grad);
        break;
    case Method::SlicedScoreMatching: {
        const Matf points = data.replicate(1, m_o.sm.ssmSlices);
        Matf V(2, points.cols());
        if (m_o.sm.rademacher) {
            std::bernoulli_distribution coin(0.5);
            for (Index i = 0; i < V.size(); ++i)
                V.data()[i] = coin(m_rng) ? 1.0f : -1.0f;
        } else {
            fillNormal(V, m_rng);
        }
        loss = slicedScoreMatchingLoss<float>(*m_model, points, V, m_o.sm.varianceReduced, grad);
        break;
    }
    case Method::DenoisingScoreMatching: {
        const int draws = m_o.sm.dsmDraws;
        Matf N(2, B * draws);
        fillNormal(N, m_rng);
        const Matf clean = data.replicate(1, draws);
        loss = denoisingScoreMatchingLoss<float>(*m_model, clean + m_o.sm.dsmSigma * N, N, m_o.sm.dsmSigma,
                                                 grad);
        break;
    }
    case Method::NoiseContrastive: {
        const Index nn = std::max<Index>(1, Index(std::lround(m_o.nce.noiseRatio * B)));
        Matf noise;
        if (m_o.nce.noise == NceNoise::Uniform) {
            noise = uniformOnBox(m_o.box, nn, m_rng);
        } else {
            Matf Z(2, nn);
            fillNormal(Z, m_rng);
            noise = (m_noiseChol.triangularView<Eigen::Lower>() * Z).colwise() + m_noiseMean;
        }
        m_lastNoise = noise;
        loss = nceLoss<float>(*m_model, data, noiseLogDensity(data), noise, noiseLogDensity(noise),
                              m_o.nce.noiseRatio, m_c, grad, gradC);
        break;
    }
    }
    s.loss = loss;

    // Watchdog: apply the step, then roll back if anything became non-finite or the energies exploded.
    OptimizerOptions oo = m_o.optimizer;
    oo.learningRate = currentLearningRate();
    m_opt->setOptions(oo);
    guardedStep(*m_model, m_c, *m_opt, loss, grad, gradC, data, m_o.divergenceLimit, m_step, m_o.method, s);
    // The chains advance only with a step that is kept: a rolled-back step leaves the buffer as it was.
    if (!s.diverged)
        for (size_t i = 0; i < bufferSlots.size(); ++i)
            m_buffer.col(bufferSlots[i]) = m_lastNeg.col(Index(i));
    ++m_step;
    s.step = m_step;
    return s;
}

Metrics Trainer::metrics(const Matd& heldOut, const GridSpec& spec) const {
    Metrics m = computeMetrics(*m_model, *m_target, heldOut, spec);
    if (m_o.method == Method::NoiseContrastive) m.logZEstimate = m_c;
    return m;
}

TrainerState Trainer::state() const {
    TrainerState s;
    s.options = m_o;
    s.theta = m_model->params();
    s.logZEstimate = m_c;
    s.optimizer = m_opt->state();
    s.buffer = m_buffer;
    s.step = m_step;
    s.phaseStart = m_phaseStart;
    std::ostringstream os;
    os << m_rng;
    s.rngState = os.str();
    return s;
}

void Trainer::restore(const TrainerState& s) {
    s.options.validate();
    Mlp<float> model(s.options.model);
    model.setParameters(s.theta); // checks the size
    if (s.buffer.rows() != 2 || s.buffer.cols() != s.options.cd.bufferSize)
        throw InvalidArgument("trainer state: replay buffer must be 2 x buffer size");
    if (!s.theta.allFinite() || !s.buffer.allFinite() || !std::isfinite(s.logZEstimate))
        throw InvalidArgument("trainer state holds non-finite numbers");
    if (s.step < 0 || s.phaseStart < 0 || s.phaseStart > s.step)
        throw InvalidArgument("trainer state: step counts are inconsistent");
    Rng rng;
    std::istringstream is(s.rngState);
    is >> rng;
    if (is.fail()) throw InvalidArgument("trainer state: the random generator state is unreadable");
    auto opt = makeOptimizer(s.options.optimizer, model.numParams() + 1);
    opt->setState(s.optimizer);
    // All checks passed: apply.
    m_o = s.options;
    m_model = std::make_unique<Mlp<float>>(std::move(model));
    m_opt = std::move(opt);
    m_c = s.logZEstimate;
    m_buffer = s.buffer;
    m_step = s.step;
    m_phaseStart = s.phaseStart;
    m_rng = rng;
    fitNoise();
}

} // namespace ebm::core
