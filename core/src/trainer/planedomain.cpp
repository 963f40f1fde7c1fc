#include "planedomain.h"

#include <ebm/core/sampler.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>

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

bool uniformNoise(const ParamSet& nce) {
    return nce.valueOr("noise", 0) == 1;
}
} // namespace

PlaneDomain::PlaneDomain(std::shared_ptr<const TargetDensity> target, const Box& box,
                         const ChainOptions& chains, std::uint64_t seed)
    : m_target(std::move(target)), m_box(box), m_chains(chains), m_seed(seed) {
    if (!m_target) throw InvalidArgument("trainer needs a target density");
    fitNoise();
}

void PlaneDomain::setTarget(std::shared_ptr<const TargetDensity> target) {
    if (!target) throw InvalidArgument("trainer needs a target density");
    m_target = std::move(target);
    m_widths.reset();
    fitNoise();
}

const FeatureWidths& PlaneDomain::targetWidths() const {
    if (!m_widths) {
        m_widths = featureWidths(*m_target);
        m_sampler = core::chainSampler(m_chains, *m_widths);
    }
    return *m_widths;
}

const SamplerOptions& PlaneDomain::chainSampler() const {
    targetWidths();
    return m_sampler;
}

void PlaneDomain::setChains(const ChainOptions& chains, const Box& box, Rng& rng) {
    const bool refill = chains.bufferSize != m_chains.bufferSize || box.x0 != m_box.x0 ||
                        box.x1 != m_box.x1 || box.y0 != m_box.y0 || box.y1 != m_box.y1;
    m_chains = chains;
    if (m_widths) m_sampler = core::chainSampler(m_chains, *m_widths);
    m_box = box;
    if (refill) resetChains(rng);
}

void PlaneDomain::fitNoise() {
    // Fitted with its own generator so that changing the target does not shift the training stream.
    Rng rng(m_seed ^ 0x9e3779b97f4a7c15ULL);
    const Matd S = m_target->sample(kNoiseFitSamples, rng);
    m_noiseMean = S.rowwise().mean();
    const Matd C = S.colwise() - m_noiseMean;
    m_noiseCov = (C * C.transpose()) / double(S.cols() - 1);
}

Eigen::Matrix2f PlaneDomain::noiseCholesky(const ParamSet& nce) const {
    const float scale = float(nce.valueOr("noise_scale", 1.0));
    Eigen::Matrix2d cov = m_noiseCov;
    cov *= double(scale) * scale;
    cov += 1e-6 * Eigen::Matrix2d::Identity();
    return Eigen::Matrix2d(cov.llt().matrixL()).cast<float>();
}

Matf PlaneDomain::sampleData(Index n, Rng& rng) const {
    return m_target->sample(n, rng).cast<float>();
}

void PlaneDomain::resetChains(Rng& rng) {
    m_buffer = uniformOnBox(m_box, m_chains.bufferSize, rng);
    m_slots.clear();
}

void PlaneDomain::setBuffer(const Matf& buffer) {
    if (buffer.rows() != 2 || buffer.cols() != m_chains.bufferSize)
        throw InvalidArgument("trainer state: replay buffer must be 2 x buffer size");
    if (!buffer.allFinite()) throw InvalidArgument("trainer state holds non-finite numbers");
    m_buffer = buffer;
    m_slots.clear();
}

Matf PlaneDomain::negatives(const EnergyModel<float>& model, const Matf& data, Rng& rng, double& acceptRate) {
    const ChainOptions& c = m_chains;
    const Index B = data.cols();
    ParticleSet p;
    p.cacheAfterRun = false; // only the positions are used
    m_slots.clear();
    if (c.persistent) {
        std::uniform_int_distribution<Index> pick(0, m_buffer.cols() - 1);
        std::uniform_real_distribution<float> u(0, 1);
        p.x.resize(2, B);
        m_slots.resize(size_t(B));
        const Matf fresh = uniformOnBox(m_box, B, rng);
        for (Index i = 0; i < B; ++i) {
            m_slots[size_t(i)] = pick(rng);
            if (u(rng) < c.restartFraction)
                p.x.col(i) = u(rng) < c.restartFromData ? data.col(i) : fresh.col(i);
            else
                p.x.col(i) = m_buffer.col(m_slots[size_t(i)]);
        }
    } else {
        p.x = uniformOnBox(m_box, B, rng);
    }
    const SamplerStats st = makeSampler(chainSampler())->run(model, p, c.steps, rng);
    acceptRate = st.acceptRate;
    // Chains that left far beyond the box (or broke) restart there: they carry no information.
    const Box& b = m_box;
    const float mx = 0.5f * float(b.width()), my = 0.5f * float(b.height());
    const Matf fresh = uniformOnBox(b, B, rng);
    for (Index i = 0; i < B; ++i) {
        const bool bad = !p.x.col(i).allFinite() || p.x(0, i) < b.x0 - mx || p.x(0, i) > b.x1 + mx ||
                         p.x(1, i) < b.y0 - my || p.x(1, i) > b.y1 + my;
        if (bad) p.x.col(i) = fresh.col(i);
    }
    return p.x;
}

void PlaneDomain::keepNegatives(const Matf& chains) {
    for (size_t i = 0; i < m_slots.size(); ++i)
        m_buffer.col(m_slots[i]) = chains.col(Index(i));
    m_slots.clear();
}

NoiseBatch PlaneDomain::noise(const ParamSet& nce, const Matf& data, Index n, Rng& rng) const {
    NoiseBatch b;
    if (uniformNoise(nce)) {
        b.samples = uniformOnBox(m_box, n, rng);
    } else {
        Matf Z(2, n);
        fillNormal(Z, rng);
        const Eigen::Matrix2f L = noiseCholesky(nce);
        b.samples = (L.triangularView<Eigen::Lower>() * Z).colwise() + m_noiseMean.cast<float>();
        // A fraction of the Gaussian's samples replaced by uniform ones on the box: the mixture's samples.
        if (const float f = float(nce.valueOr("uniform_fraction", 0)); f > 0) {
            const Matf U = uniformOnBox(m_box, n, rng);
            std::uniform_real_distribution<float> coin(0, 1);
            for (Index i = 0; i < n; ++i)
                if (coin(rng) < f) b.samples.col(i) = U.col(i);
        }
    }
    b.logqData = noiseLogDensity(nce, data);
    b.logqNoise = noiseLogDensity(nce, b.samples);
    return b;
}

Rowf PlaneDomain::noiseLogDensity(const ParamSet& nce, const Matf& X) const {
    if (uniformNoise(nce)) {
        const Box& b = m_box;
        const float logArea = -float(std::log(b.width() * b.height()));
        Rowf r(X.cols());
        for (Index i = 0; i < X.cols(); ++i) {
            const bool in = b.contains(X(0, i), X(1, i));
            r(i) = in ? logArea : -std::numeric_limits<float>::infinity();
        }
        return r;
    }
    const Eigen::Matrix2f L = noiseCholesky(nce);
    const Vecf mean = m_noiseMean.cast<float>();
    const Matf Z = L.triangularView<Eigen::Lower>().solve(X.colwise() - mean);
    const float logDet = std::log(L(0, 0)) + std::log(L(1, 1));
    Rowf r = (-0.5f * Z.colwise().squaredNorm().array() - logDet - float(std::log(2 * M_PI))).matrix();
    const float f = float(nce.valueOr("uniform_fraction", 0));
    if (f <= 0) return r;
    // log((1 − f) N(x) + f / area) inside the box, log((1 − f) N(x)) outside it.
    const Box& b = m_box;
    const float logU = std::log(f) - float(std::log(b.width() * b.height()));
    for (Index i = 0; i < X.cols(); ++i) {
        const float lg = std::log1p(-f) + r(i);
        const bool in = b.contains(X(0, i), X(1, i));
        if (!in) {
            r(i) = lg;
            continue;
        }
        const float m = std::max(lg, logU);
        r(i) = m + std::log(std::exp(lg - m) + std::exp(logU - m));
    }
    return r;
}

} // namespace ebm::core
