#include "imagesession.h"

#include <QCoreApplication>
#include <algorithm>
#include <ebm/core/digits.h>
#include <ebm/core/objective.h>
#include <ebm/core/parallel.h>
#include <ebm/io/idx.h>
#include <sstream>

namespace ebm::ui {

using core::Index;
using core::Matf;
using core::Vecf;

ImageSession::ImageSession(const ImageSettings& s, io::ImageData data) : m_s(s), m_data(std::move(data)) {
    m_trainer = std::make_unique<core::ImageTrainer>(m_data.train, m_s.trainer);
    initProbes();
}

void ImageSession::initProbes() {
    // Seeded from the trainer's seed but from another stream: the probes do not change what training does.
    m_rng.seed(m_s.trainer.seed ^ 0x9E3779B97F4A7C15ull);
    const Index d = m_data.train->dim();
    const Index nHeld = std::min<Index>(ImageSettings::kProbeImages, m_data.heldOut->size());
    m_heldOut = m_data.heldOut->pixels.leftCols(nHeld);
    m_noise.resize(d, ImageSettings::kProbeImages);
    core::fillUniform(m_noise, m_rng);
    m_chains.resize(d, ImageSettings::kGridImages);
    core::fillUniform(m_chains, m_rng);
    // The first training images: the embedded digits cycle through the classes, Fashion-MNIST is shuffled.
    auto grid = std::make_shared<Matf>(
        m_data.train->pixels.leftCols(std::min<Index>(ImageSettings::kGridImages, m_data.train->size())));
    m_dataGrid = grid;
    m_bufferSlots.clear();
    const Index bs = m_trainer->buffer().cols();
    for (Index i = 0; i < std::min<Index>(ImageSettings::kGridImages, bs); ++i)
        m_bufferSlots.push_back(i * bs / std::min<Index>(ImageSettings::kGridImages, bs));
}

void ImageSession::apply(const ImageSettings& s) {
    ImageSettings next = s;
    next.data = m_s.data; // a new data set goes through setData
    next.size = m_s.size;
    const bool reseeded = next.trainer.seed != m_s.trainer.seed;
    const bool bufferResized = next.trainer.chains.bufferSize != m_s.trainer.chains.bufferSize;
    // Sent before the window saw the chain guard's latest action: the learning rate in them is the one the
    // guard replaced, so the trainer keeps its own.
    if (next.guardEventsSeen < m_trainer->guardEvents())
        next.trainer.optimizer.learningRate = m_trainer->options().optimizer.learningRate;
    m_trainer->setOptions(next.trainer); // throws, changing nothing, on bad options
    m_s = next;
    if (reseeded || bufferResized) initProbes();
}

void ImageSession::setData(const ImageSettings& s, io::ImageData data) {
    auto trainer = std::make_unique<core::ImageTrainer>(data.train, s.trainer);
    m_trainer = std::move(trainer);
    m_data = std::move(data);
    m_s = s;
    m_pendingSteps = 0;
    initProbes();
}

void ImageSession::reset() {
    m_trainer->reset();
    m_pendingSteps = 0;
    initProbes();
}

void ImageSession::loadModel(const io::ImageModelFile& f) {
    if (f.width != m_data.train->width || f.height != m_data.train->height)
        throw core::InvalidArgument("the model is for " + std::to_string(f.width) + " x " +
                                    std::to_string(f.height) + " images, the data are " +
                                    std::to_string(m_data.train->width) + " x " +
                                    std::to_string(m_data.train->height));
    core::ImageTrainerOptions o = m_s.trainer;
    if (const auto* conv = dynamic_cast<const core::ConvNet<float>*>(f.model.get())) {
        o.model = core::ImageModelKind::Conv;
        o.conv = conv->options();
    } else if (const auto* mlp = dynamic_cast<const core::Mlp<float>*>(f.model.get())) {
        o.model = core::ImageModelKind::Mlp;
        o.mlp = mlp->options();
    } else {
        throw core::InvalidArgument("the model file holds neither a conv net nor an MLP");
    }
    if (!f.method.empty()) {
        try {
            o.method = f.method;
            o.validate();
        } catch (const core::InvalidArgument&) {
            o.method = m_s.trainer.method;
        }
    }
    // Check on a copy first: a failure leaves the running scene as it was.
    auto trainer = std::make_unique<core::ImageTrainer>(m_data.train, o);
    trainer->setParameters(f.model->parameters());
    m_trainer = std::move(trainer);
    m_s.trainer = o;
    m_pendingSteps = 0;
    initProbes();
}

io::ImageModelFile ImageSession::modelFile() const {
    io::ImageModelFile f;
    f.model = m_trainer->model().clone();
    f.width = m_data.train->width;
    f.height = m_data.train->height;
    f.images = m_s.data;
    f.method = m_trainer->options().method;
    f.steps = m_trainer->stepCount();
    return f;
}

io::ImageSessionFile ImageSession::sessionFile() const {
    io::ImageSessionFile f;
    f.data = m_s.data;
    f.size = m_s.size;
    f.trainer = m_trainer->state();
    f.samplers = m_s.samplers;
    f.samplers[m_trainer->options().method] = m_trainer->options().chains.langevin;
    f.training = m_s.training;
    f.chains = m_chains;
    std::ostringstream rng;
    rng << m_rng;
    f.liveRngState = rng.str();
    return f;
}

void ImageSession::restore(const io::ImageSessionFile& f, io::ImageData data) {
    ImageSettings s = m_s;
    s.data = f.data;
    s.size = f.size;
    s.trainer = f.trainer.options;
    s.training = f.training;
    s.samplers = ImageSettings::defaultSamplers();
    for (const auto& [method, sampler] : f.samplers)
        s.samplers[method] = sampler;
    // Everything is checked on new objects first: a failure leaves the running scene as it was.
    auto trainer = std::make_unique<core::ImageTrainer>(data.train, s.trainer);
    trainer->restore(f.trainer);
    if (f.chains.rows() != data.train->dim() || f.chains.cols() != ImageSettings::kGridImages)
        throw core::InvalidArgument("the session's live chains are " + std::to_string(f.chains.rows()) +
                                    " x " + std::to_string(f.chains.cols()) + ", the data need " +
                                    std::to_string(data.train->dim()) + " x " +
                                    std::to_string(ImageSettings::kGridImages));
    core::Rng rng;
    std::istringstream in(f.liveRngState);
    in >> rng;
    if (!in) throw core::InvalidArgument("the session's chain generator state is not readable");
    s.trainer = trainer->options();
    m_trainer = std::move(trainer);
    m_data = std::move(data);
    m_s = s;
    m_pendingSteps = 0;
    initProbes(); // the probes and grids of these data and this seed
    m_chains = f.chains;
    m_rng = rng;
}

void ImageSession::advance(bool /*publishing*/) {
    if (!busy()) return;
    m_unshown = true;
    if (!m_s.training && m_pendingSteps > 0) --m_pendingSteps;
    const core::StepStats st = m_trainer->step();
    if (st.guardEvent) {
        // The guard rewound the run and halved the learning rate: the settings follow the trainer.
        m_guardMessage = st.message;
        m_s.trainer = m_trainer->options();
    }
    if (st.diverged) {
        m_diverged = true;
        m_message = st.message;
    } else {
        m_lossSum += st.loss;
        ++m_steps;
    }
    ++m_rateSteps;
    // A contrastive method's chains are its replay buffer; the other methods have none, so the window
    // runs its own.
    if (!m_trainer->currentObjective().info().needs.negatives) {
        const auto& L = m_trainer->options().chains.langevin;
        core::imageLangevin(m_trainer->model(), m_chains, L, L.steps, m_rng);
    }
}

ImageSnapshotPtr ImageSession::snapshot() {
    auto s = std::make_shared<ImageSnapshot>();
    m_unshown = false;
    s->step = m_trainer->stepCount();
    s->serial = ++m_serial;
    s->method = m_trainer->options().method;
    s->dataName = m_s.data;
    s->width = m_data.train->width;
    s->height = m_data.train->height;
    s->playing = m_s.training;
    s->stepsInChunk = m_steps;
    if (m_steps > 0) s->loss = m_lossSum / m_steps;
    s->diverged = m_diverged;
    s->message = m_message;
    s->guardEvents = m_trainer->guardEvents();
    s->guardMessage = m_guardMessage;
    s->learningRate = m_trainer->options().optimizer.learningRate;
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - m_rateStart).count();
    if (dt > 0.5) {
        m_stepsPerSecond = m_rateSteps / dt;
        m_rateStart = now;
        m_rateSteps = 0;
    }
    s->stepsPerSecond = m_s.training ? m_stepsPerSecond : 0;
    s->threads = core::threadCount(); // called on the training thread
    s->chainsAreNegatives = m_trainer->currentObjective().info().needs.negatives;
    const Matf& neg = m_trainer->lastNegatives();
    if (s->chainsAreNegatives && neg.cols() > 0)
        s->chains = neg.leftCols(std::min<Index>(neg.cols(), ImageSettings::kGridImages));
    else
        s->chains = m_chains;
    s->buffer.resize(m_data.train->dim(), Index(m_bufferSlots.size()));
    for (size_t i = 0; i < m_bufferSlots.size(); ++i)
        s->buffer.col(Index(i)) = m_trainer->buffer().col(m_bufferSlots[i]);
    s->data = m_dataGrid;
    const auto& model = m_trainer->model();
    s->energyData = model.energy(m_heldOut);
    s->energyChains = model.energy(s->chains);
    s->energyNoise = model.energy(m_noise);
    m_lossSum = 0;
    m_steps = 0;
    m_diverged = false;
    m_message.clear();
    return s;
}

ChainTrajectory ImageSession::trajectory(const Vecf& x0, int steps) {
    return repair(x0, Vecf::Zero(x0.size()), steps, m_trainer->options().chains.langevin.stepSize,
                  m_trainer->options().chains.langevin.noise);
}

ChainTrajectory ImageSession::repair(const Vecf& x, const Vecf& clamp, int steps, float stepSize,
                                     float noise) {
    if (x.size() != m_data.train->dim() || clamp.size() != x.size())
        throw core::InvalidArgument("the image does not have the data's size");
    core::ImageLangevinOptions o;
    o.stepSize = stepSize;
    o.noise = noise;
    o.steps = steps;
    o.validate();
    ChainTrajectory t;
    t.width = m_data.train->width;
    t.height = m_data.train->height;
    t.frames.resize(x.size(), steps + 1);
    t.energy.resize(steps + 1);
    Matf X = x;
    const Matf mask = clamp;
    core::imageLangevin(m_trainer->model(), X, o, steps, m_rng, clamp.any() ? &mask : nullptr,
                        [&](int step, const Matf& frame, const core::Rowf& E) {
                            t.frames.col(step) = frame.col(0);
                            t.energy(step) = E(0);
                        });
    return t;
}

Vecf ImageSession::heldOutImage(int index) const {
    const Index n = m_data.heldOut->size();
    return m_data.heldOut->pixels.col(((index % n) + n) % n);
}

std::vector<RankedImage> ImageSession::rankByEnergy(const Vecf* extra, int perKind) {
    const int w = m_data.train->width, h = m_data.train->height;
    const Index d = m_data.train->dim();
    std::vector<std::pair<RankedImage::Kind, Matf>> groups;
    const Index nHeld = std::min<Index>(perKind, m_data.heldOut->size());
    groups.emplace_back(RankedImage::HeldOut, m_data.heldOut->pixels.rightCols(nHeld));
    Matf noise(d, std::max(1, perKind / 2));
    core::fillUniform(noise, m_rng);
    groups.emplace_back(RankedImage::Noise, noise);
    Matf noisy =
        m_data.heldOut->pixels.leftCols(std::min<Index>(std::max(1, perKind / 2), m_data.heldOut->size()));
    Matf xi(noisy.rows(), noisy.cols());
    core::fillNormal(xi, m_rng);
    noisy = (noisy + 0.3f * xi).cwiseMax(0.0f).cwiseMin(1.0f);
    groups.emplace_back(RankedImage::Corrupted, noisy);
    // Out of distribution: the other built-in data set, at the same size (square images only).
    if (w == h) {
        try {
            core::ImageSet other;
            if (m_s.data == "digits" && io::fashionMnistAvailable()) {
                other = io::loadFashionMnist(io::kFashionMnistDir, false, w, perKind);
            } else if (m_s.data != "digits") {
                core::DigitOptions o;
                o.size = w;
                o.count = perKind;
                o.seed = 77;
                other = core::makeDigits(o);
            }
            if (other.size() > 0) groups.emplace_back(RankedImage::OutOfDistribution, other.pixels);
        } catch (const std::exception&) {
            // The other set is an extra; without it the ranking still shows data against noise.
        }
    }
    if (extra && extra->size() == d) groups.emplace_back(RankedImage::Edited, Matf(*extra));
    std::vector<RankedImage> out;
    for (const auto& [kind, X] : groups) {
        const core::Rowf E = m_trainer->model().energy(X);
        for (Index i = 0; i < X.cols(); ++i)
            out.push_back(RankedImage{kind, E(i), X.col(i)});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const RankedImage& a, const RankedImage& b) { return a.energy < b.energy; });
    return out;
}

} // namespace ebm::ui
