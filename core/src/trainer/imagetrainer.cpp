#include "guardedstep.h"

#include <ebm/core/imagelosses.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/objective.h>

#include <cmath>
#include <limits>

namespace ebm::core {

namespace {
constexpr float kDivergence = 1.0e6f;

void requireFinitePositive(float v, const char* what) {
    if (!(std::isfinite(v) && v > 0))
        throw InvalidArgument(std::string(what) + " must be a positive finite number, got " +
                              std::to_string(v));
}
} // namespace

std::string imageModelName(ImageModelKind k) {
    return k == ImageModelKind::Mlp ? "mlp" : "conv";
}

ImageModelKind parseImageModel(const std::string& name) {
    if (name == "mlp") return ImageModelKind::Mlp;
    if (name == "conv") return ImageModelKind::Conv;
    throw InvalidArgument("unknown image model \"" + name + "\" (valid: mlp, conv)");
}

void ImageLangevinOptions::validate() const {
    if (steps < 0 || steps > 10000) throw InvalidArgument("Langevin steps must be in 0..10000");
    requireFinitePositive(stepSize, "Langevin step size λ");
    if (!(std::isfinite(noise) && noise >= 0)) throw InvalidArgument("Langevin noise σ must be >= 0");
}

void ImageCdOptions::validate() const {
    langevin.validate();
    if (bufferSize < 1 || bufferSize > 1'000'000)
        throw InvalidArgument("replay buffer size must be in 1..1000000");
    if (!(freshFraction >= 0 && freshFraction <= 1))
        throw InvalidArgument("fraction of fresh noise chains must be in [0, 1]");
    if (!(std::isfinite(energyReg) && energyReg >= 0))
        throw InvalidArgument("energy regulariser α must be >= 0");
}

void ImageTrainerOptions::validate() const {
    if (method == Method::ExactScoreMatching)
        throw InvalidArgument("exact score matching needs d second derivatives per image; use ssm or dsm for "
                              "images");
    if (batchSize < 1 || batchSize > 65536) throw InvalidArgument("batch size must be in 1..65536");
    conv.validate();
    mlp.validate();
    optimizer.validate();
    cd.validate();
    requireFinitePositive(dsmSigma, "DSM noise sigma");
    requireFinitePositive(nceNoiseRatio, "NCE noise ratio");
    if (!(nceUniformFraction >= 0 && nceUniformFraction < 1))
        throw InvalidArgument("NCE uniform noise fraction must be in [0, 1)");
}

ImageTrainer::ImageTrainer(std::shared_ptr<const ImageSet> data, const ImageTrainerOptions& options)
    : m_data(std::move(data)), m_o(options) {
    if (!m_data || m_data->size() < 1) throw InvalidArgument("image trainer needs at least one image");
    m_data->validate();
    m_o.conv.width = m_data->width;
    m_o.conv.height = m_data->height;
    m_o.mlp.inputDim = m_data->dim();
    m_o.validate();
    reset();
}

void ImageTrainer::reset() {
    m_rng.seed(m_o.seed);
    if (m_o.model == ImageModelKind::Conv)
        m_model = std::make_unique<ConvNet<float>>(m_o.conv, m_rng);
    else
        m_model = std::make_unique<Mlp<float>>(m_o.mlp, m_rng);
    m_opt = makeOptimizer(m_o.optimizer, m_model->numParams() + 1);
    m_c = 0;
    m_step = 0;
    m_buffer.resize(m_data->dim(), m_o.cd.bufferSize);
    fillUniform(m_buffer, m_rng);
    m_lastNeg.resize(m_data->dim(), 0);
    // Diagonal Gaussian for NCE: per-pixel mean and std of the data (std floored so that constant border
    // pixels do not give an infinitely narrow noise density).
    const Matf& P = m_data->pixels;
    m_noiseMean = P.rowwise().mean();
    m_noiseStd = ((P.colwise() - m_noiseMean).array().square().rowwise().mean().sqrt()).max(0.05f).matrix();
}

void ImageTrainer::setMethod(Method m) {
    ImageTrainerOptions o = m_o;
    o.method = m;
    o.validate();
    m_o.method = m;
}

void ImageTrainer::setOptions(const ImageTrainerOptions& options) {
    ImageTrainerOptions o = options;
    o.conv.width = m_data->width;
    o.conv.height = m_data->height;
    o.mlp.inputDim = m_data->dim();
    o.validate();
    const auto sameLayers = [](const ConvNetOptions& a, const ConvNetOptions& b) {
        if (a.layers.size() != b.layers.size() || a.activation != b.activation) return false;
        for (size_t i = 0; i < a.layers.size(); ++i)
            if (a.layers[i].channels != b.layers[i].channels || a.layers[i].stride != b.layers[i].stride)
                return false;
        return true;
    };
    const bool archChanged = o.model != m_o.model || !sameLayers(o.conv, m_o.conv) ||
                             o.mlp.hidden != m_o.mlp.hidden || o.mlp.activation != m_o.mlp.activation;
    const bool reinit = archChanged || o.seed != m_o.seed;
    const bool bufferChanged = o.cd.bufferSize != m_o.cd.bufferSize;
    const OptimizerKind previousKind = m_o.optimizer.kind;
    m_o = o;
    if (reinit) {
        reset();
        return;
    }
    reconfigureOptimizer(m_opt, previousKind, m_o.optimizer, m_model->numParams() + 1);
    if (bufferChanged) {
        m_buffer.resize(m_data->dim(), m_o.cd.bufferSize);
        fillUniform(m_buffer, m_rng);
    }
}

void imageLangevin(const EnergyModel<float>& model, Matf& X, const ImageLangevinOptions& o, int steps,
                   Rng& rng, const Matf* clamp,
                   const std::function<void(int, const Matf&, const Rowf&)>& observe) {
    o.validate();
    if (model.dim() != X.rows())
        throw InvalidArgument("image Langevin: images have " + std::to_string(X.rows()) +
                              " pixels, the model " + std::to_string(model.dim()));
    if (clamp && (clamp->rows() != X.rows() || clamp->cols() != X.cols()))
        throw InvalidArgument("image Langevin: the clamp mask must have the images' shape");
    const Matf known = clamp ? Matf(X.cwiseProduct(*clamp)) : Matf();
    const Matf free = clamp ? Matf((1.0f - clamp->array()).matrix()) : Matf();
    Rowf E;
    Matf G, xi(X.rows(), X.cols());
    for (int s = 0; s < steps; ++s) {
        model.energyAndGrad(X, E, G);
        if (observe && s == 0) observe(0, X, E);
        fillNormal(xi, rng);
        X = (X - o.stepSize * G + o.noise * xi).cwiseMax(0.0f).cwiseMin(1.0f);
        if (clamp) X = X.cwiseProduct(free) + known;
        if (observe) observe(s + 1, X, model.energy(X));
    }
    if (observe && steps == 0) observe(0, X, model.energy(X));
}

void ImageTrainer::langevin(Matf& X, int steps, Rng& rng) const {
    imageLangevin(*m_model, X, m_o.cd.langevin, steps, rng);
}

void ImageTrainer::setParameters(const Vecf& theta) {
    if (theta.size() != m_model->numParams())
        throw InvalidArgument("the model has " + std::to_string(m_model->numParams()) + " parameters, got " +
                              std::to_string(theta.size()));
    if (!theta.allFinite()) throw InvalidArgument("parameters must be finite");
    m_model->setParameters(theta);
    m_opt = makeOptimizer(m_o.optimizer, m_model->numParams() + 1);
}

Rowf ImageTrainer::noiseLogDensity(const Matf& X) const {
    const float logNorm =
        -float(X.rows()) * 0.5f * std::log(2.0f * float(M_PI)) - m_noiseStd.array().log().sum();
    const Matf Z = (X.colwise() - m_noiseMean).array().colwise() / m_noiseStd.array();
    const float f = m_o.nceUniformFraction;
    Rowf r(X.cols());
    for (Index i = 0; i < X.cols(); ++i) {
        const float lg = std::log1p(-f) - 0.5f * Z.col(i).squaredNorm() + logNorm;
        const bool inside = X.col(i).minCoeff() >= 0.0f && X.col(i).maxCoeff() <= 1.0f;
        const float lu = f > 0 && inside ? std::log(f) : -std::numeric_limits<float>::infinity();
        const float m = std::max(lg, lu);
        r(i) = m + std::log(std::exp(lg - m) + std::exp(lu - m)); // log(e^lg + e^lu)
    }
    return r;
}

StepStats ImageTrainer::step() {
    StepStats s;
    s.method = m_o.method;
    const Index B = m_o.batchSize, d = m_data->dim();
    Matf data(d, B);
    std::uniform_int_distribution<Index> pickData(0, m_data->size() - 1);
    for (Index i = 0; i < B; ++i)
        data.col(i) = m_data->pixels.col(pickData(m_rng));
    Vecf grad = Vecf::Zero(m_model->numParams());
    float gradC = 0, loss = 0;
    std::vector<Index> slots;
    switch (m_o.method) {
    case Method::ContrastiveDivergence: {
        std::uniform_int_distribution<Index> pick(0, m_buffer.cols() - 1);
        std::uniform_real_distribution<float> u(0, 1);
        Matf neg(d, B);
        slots.resize(size_t(B));
        for (Index i = 0; i < B; ++i) {
            slots[size_t(i)] = pick(m_rng);
            if (u(m_rng) < m_o.cd.freshFraction) {
                Matf fresh(d, 1);
                fillUniform(fresh, m_rng);
                neg.col(i) = fresh;
            } else {
                neg.col(i) = m_buffer.col(slots[size_t(i)]);
            }
        }
        langevin(neg, m_o.cd.langevin.steps, m_rng);
        m_lastNeg = neg;
        loss = cdLoss<float>(*m_model, data, neg, m_o.cd.energyReg, grad);
        break;
    }
    case Method::SlicedScoreMatching: {
        Matf V(d, B);
        std::bernoulli_distribution coin(0.5);
        for (Index i = 0; i < V.size(); ++i)
            V.data()[i] = coin(m_rng) ? 1.0f : -1.0f;
        loss = slicedScoreMatchingLossHd<float>(*m_model, data, V, grad);
        break;
    }
    case Method::DenoisingScoreMatching: {
        Matf N(d, B);
        fillNormal(N, m_rng);
        loss = denoisingScoreMatchingLossHd<float>(*m_model, data + m_o.dsmSigma * N, N, m_o.dsmSigma, grad);
        break;
    }
    case Method::NoiseContrastive: {
        const Index nn = std::max<Index>(1, Index(std::lround(m_o.nceNoiseRatio * float(B))));
        Matf Z(d, nn), U(d, nn);
        fillNormal(Z, m_rng);
        fillUniform(U, m_rng);
        Matf noise = (Z.array().colwise() * m_noiseStd.array()).matrix().colwise() + m_noiseMean;
        std::uniform_real_distribution<float> coin(0, 1);
        for (Index i = 0; i < nn; ++i)
            if (coin(m_rng) < m_o.nceUniformFraction) noise.col(i) = U.col(i);
        m_lastNeg = noise;
        loss = nceLoss<float>(*m_model, data, noiseLogDensity(data), noise, noiseLogDensity(noise),
                              m_o.nceNoiseRatio, m_c, grad, gradC);
        break;
    }
    case Method::ExactScoreMatching:
        throw InvalidArgument("exact score matching is not available for images");
    }
    s.loss = loss;

    guardedStep(*m_model, m_c, *m_opt, loss, grad, gradC, data, kDivergence, m_step, m_o.method, s);
    if (!s.diverged)
        for (size_t i = 0; i < slots.size(); ++i)
            m_buffer.col(slots[i]) = m_lastNeg.col(Index(i));
    ++m_step;
    s.step = m_step;
    return s;
}

} // namespace ebm::core
