#include "imagedomain.h"

#include <ebm/core/imagetrainer.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace ebm::core {

namespace {
const std::string kEnergyRegKey = "energy_reg";

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

void ImageChainOptions::validate() const {
    langevin.validate();
    if (bufferSize < 1 || bufferSize > 1'000'000)
        throw InvalidArgument("replay buffer size must be in 1..1000000");
    if (!(freshFraction >= 0 && freshFraction <= 1))
        throw InvalidArgument("fraction of fresh noise chains must be in [0, 1]");
}

ImageTrainerOptions::ImageTrainerOptions() {
    batchSize = 64;
    optimizer = OptimizerOptions{OptimizerKind::Adam, 1e-3f, 0.5f, 0.999f, 1e-8f, 0.0f, 0.0f};
    params = MethodParams(ModelKind::Image);
    divergenceLimit = 1.0e6f;
    lrDecaySteps = 0;
}

void ImageTrainerOptions::validate() const {
    TrainingOptions::validate(ModelKind::Image);
    if (batchSize > 65536) throw InvalidArgument("batch size must be in 1..65536");
    conv.validate();
    mlp.validate();
    chains.validate();
}

ImageTrainer::ImageTrainer(std::shared_ptr<const ImageSet> data, const ImageTrainerOptions& options)
    : m_data(std::move(data)) {
    if (!m_data || m_data->size() < 1) throw InvalidArgument("image trainer needs at least one image");
    m_data->validate();
    m_o = fitted(options);
    m_o.validate();
    reset();
}

ImageTrainerOptions ImageTrainer::fitted(const ImageTrainerOptions& options) const {
    ImageTrainerOptions o = options;
    o.conv.width = m_data->width;
    o.conv.height = m_data->height;
    o.mlp.inputDim = int(m_data->dim());
    return o;
}

std::unique_ptr<EnergyModel<float>> ImageTrainer::makeModel(Rng& rng) const {
    if (m_o.model == ImageModelKind::Conv) return std::make_unique<ConvNet<float>>(m_o.conv, rng);
    return std::make_unique<Mlp<float>>(m_o.mlp, rng);
}

void ImageTrainer::reset() {
    setDomain(std::make_unique<ImageDomain>(m_data, m_o.chains));
    resetTraining();
    forgetGuard(true);
}

void ImageTrainer::forgetGuard(bool countsToo) {
    m_checkpoint = TrainingState();
    m_olderCheckpoint = TrainingState();
    m_gapMean = std::numeric_limits<double>::quiet_NaN();
    m_gapCount = 0;
    m_rewindsToCheckpoint = 0;
    if (countsToo) m_guardEvents = 0;
}

void ImageTrainer::afterStep(StepStats& s) {
    // The gap is measured against the energy regulariser's bound 1/α: methods with negatives and an α
    // (CD's energy_reg), not a method named here.
    const ParamSet& p = m_o.params.of(m_o.method);
    if (!p.has(kEnergyRegKey) || s.diverged || stepCount() % kGuardEvery != 0) return;
    const double alpha = p.valueOr(kEnergyRegKey, 0.0);
    if (!(alpha > 0) || lastNegatives().cols() == 0) return;
    const double gap =
        double(model().energy(lastNegatives()).mean()) - double(model().energy(lastData()).mean());
    // A running mean over about five measurements (50 steps): one odd batch does not trigger a rewind.
    m_gapMean = std::isnan(m_gapMean) ? gap : 0.8 * m_gapMean + 0.2 * gap;
    ++m_gapCount;
    const double bound = 1 / alpha;
    if (m_gapMean < kGuardHealthy * bound) {
        if (stepCount() % kCheckpointEvery == 0) {
            m_olderCheckpoint = std::move(m_checkpoint);
            m_checkpoint = trainingState();
            m_rewindsToCheckpoint = 0;
        }
        return;
    }
    // At least kGuardSettle measurements since the start or the last rewind: the mean has settled.
    // Past kGuardMaxRewinds the guard has given up (until the next checkpoint, reset or restore).
    if (m_gapMean <= kGuardLost * bound || !m_o.chains.guard || m_gapCount < kGuardSettle ||
        m_rewindsToCheckpoint > kGuardMaxRewinds)
        return;
    char gapText[96];
    std::snprintf(gapText, sizeof gapText, "mean E(x⁻) − E(x⁺) = %.2f > %.2f = ¼ · 1/α", m_gapMean,
                  kGuardLost * bound);
    const std::string lost =
        "step " + std::to_string(stepCount()) + " (" + m_o.method + "): chains lost the data (" + gapText;
    s.guardEvent = true;
    ++m_guardEvents;
    if (m_rewindsToCheckpoint == kGuardMaxRewinds) {
        ++m_rewindsToCheckpoint; // gives up
        s.message = lost + ") after " + std::to_string(kGuardMaxRewinds) +
                    " rewinds; the guard stops: Reset, or lower the learning rate further";
        return;
    }
    // Lost: back to the older checkpoint (at least kCheckpointEvery steps before the newest, which may
    // already be on the way down), with half the learning rate: the model then moves more slowly than
    // the chains that have to follow it. (Measured from step 24500 of seed 3, which loses its chains at
    // 25500: half the rate held them for the 2000 steps measured, a quarter too; doubling λ lost them
    // again within 250 steps, doubling α within 500; docs/images.md.)
    const TrainingState& back = m_olderCheckpoint.theta.size() ? m_olderCheckpoint : m_checkpoint;
    std::string where;
    if (back.theta.size()) {
        rewind(back);
        where = "rewound to step " + std::to_string(back.step);
        m_checkpoint = back;
        m_olderCheckpoint = TrainingState();
    } else {
        mutableDomain().resetChains(generator());
        where = "no checkpoint yet: buffer restarted from noise";
    }
    ++m_rewindsToCheckpoint;
    const float lrWas = m_o.optimizer.learningRate;
    m_o.optimizer.learningRate = lrWas / 2;
    m_gapMean = std::numeric_limits<double>::quiet_NaN();
    m_gapCount = 0;
    char rate[64];
    std::snprintf(rate, sizeof rate, ", learning rate %g → %g", double(lrWas),
                  double(m_o.optimizer.learningRate));
    s.message = lost + "); " + where + rate;
}

void ImageTrainer::setOptions(const ImageTrainerOptions& options) {
    const ImageTrainerOptions o = fitted(options);
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
    const ImageTrainerOptions previous = m_o;
    m_o = o;
    if (reinit) {
        reset();
        return;
    }
    // A checkpoint of another buffer size or optimiser could not be rewound to; other changes (λ, the
    // method, the learning rate) keep the checkpoints.
    if (o.chains.bufferSize != previous.chains.bufferSize || o.optimizer.kind != previous.optimizer.kind)
        forgetGuard(false);
    optionsChanged(previous);
    static_cast<ImageDomain&>(mutableDomain()).setChains(m_o.chains, generator());
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
    imageLangevin(model(), X, m_o.chains.langevin, steps, rng);
}

void ImageTrainer::setParameters(const Vecf& theta) {
    replaceParameters(theta);
    forgetGuard(false);
}

ImageTrainerState ImageTrainer::state() const {
    ImageTrainerState s;
    static_cast<TrainingState&>(s) = trainingState();
    s.options = m_o;
    return s;
}

void ImageTrainer::restore(const ImageTrainerState& s) {
    if (s.options.model == ImageModelKind::Conv &&
        (s.options.conv.width != m_data->width || s.options.conv.height != m_data->height))
        throw InvalidArgument("the saved model is for " + std::to_string(s.options.conv.width) + " x " +
                              std::to_string(s.options.conv.height) + " images, these are " +
                              std::to_string(m_data->width) + " x " + std::to_string(m_data->height));
    if (s.options.model == ImageModelKind::Mlp && s.options.mlp.inputDim != m_data->dim())
        throw InvalidArgument("the saved model is for images of " + std::to_string(s.options.mlp.inputDim) +
                              " pixels, these have " + std::to_string(m_data->dim()));
    const ImageTrainerOptions o = fitted(s.options);
    o.validate();
    std::unique_ptr<EnergyModel<float>> model;
    if (o.model == ImageModelKind::Conv)
        model = std::make_unique<ConvNet<float>>(o.conv);
    else
        model = std::make_unique<Mlp<float>>(o.mlp);
    restoreTraining(s, o.optimizer, std::move(model), std::make_unique<ImageDomain>(m_data, o.chains));
    m_o = o;
    forgetGuard(true);
}

} // namespace ebm::core
