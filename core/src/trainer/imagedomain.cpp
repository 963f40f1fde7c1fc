#include "imagedomain.h"

#include <cmath>
#include <limits>

namespace ebm::core {

ImageDomain::ImageDomain(std::shared_ptr<const ImageSet> data, const ImageChainOptions& chains)
    : m_data(std::move(data)), m_chains(chains) {
    // Diagonal Gaussian for NCE: per-pixel mean and std of the data (std floored so that constant border
    // pixels do not give an infinitely narrow noise density).
    const Matf& P = m_data->pixels;
    m_noiseMean = P.rowwise().mean();
    m_noiseStd = ((P.colwise() - m_noiseMean).array().square().rowwise().mean().sqrt()).max(0.05f).matrix();
}

void ImageDomain::setChains(const ImageChainOptions& chains, Rng& rng) {
    const bool refill = chains.bufferSize != m_chains.bufferSize;
    m_chains = chains;
    if (refill) resetChains(rng);
}

Matf ImageDomain::sampleData(Index n, Rng& rng) const {
    Matf data(m_data->dim(), n);
    std::uniform_int_distribution<Index> pick(0, m_data->size() - 1);
    for (Index i = 0; i < n; ++i)
        data.col(i) = m_data->pixels.col(pick(rng));
    return data;
}

void ImageDomain::resetChains(Rng& rng) {
    m_buffer.resize(m_data->dim(), m_chains.bufferSize);
    fillUniform(m_buffer, rng);
    m_slots.clear();
}

void ImageDomain::setBuffer(const Matf& buffer) {
    if (buffer.rows() != m_data->dim() || buffer.cols() != m_chains.bufferSize)
        throw InvalidArgument("trainer state: replay buffer must be pixels x buffer size");
    if (!buffer.allFinite()) throw InvalidArgument("trainer state holds non-finite numbers");
    m_buffer = buffer;
    m_slots.clear();
}

Matf ImageDomain::negatives(const EnergyModel<float>& model, const Matf& data, Rng& rng, double& acceptRate) {
    const Index B = data.cols(), d = m_data->dim();
    std::uniform_int_distribution<Index> pick(0, m_buffer.cols() - 1);
    std::uniform_real_distribution<float> u(0, 1);
    Matf neg(d, B);
    m_slots.resize(size_t(B));
    for (Index i = 0; i < B; ++i) {
        m_slots[size_t(i)] = pick(rng);
        if (u(rng) < m_chains.freshFraction) {
            Matf fresh(d, 1);
            fillUniform(fresh, rng);
            neg.col(i) = fresh;
        } else {
            neg.col(i) = m_buffer.col(m_slots[size_t(i)]);
        }
    }
    imageLangevin(model, neg, m_chains.langevin, m_chains.langevin.steps, rng);
    acceptRate = 1.0;
    return neg;
}

void ImageDomain::keepNegatives(const Matf& chains) {
    for (size_t i = 0; i < m_slots.size(); ++i)
        m_buffer.col(m_slots[i]) = chains.col(Index(i));
    m_slots.clear();
}

NoiseBatch ImageDomain::noise(const ParamSet& nce, const Matf& data, Index n, Rng& rng) const {
    const Index d = m_data->dim();
    const float f = float(nce.valueOr("uniform_fraction", 0));
    Matf Z(d, n), U(d, n);
    fillNormal(Z, rng);
    fillUniform(U, rng);
    NoiseBatch b;
    b.samples = (Z.array().colwise() * m_noiseStd.array()).matrix().colwise() + m_noiseMean;
    std::uniform_real_distribution<float> coin(0, 1);
    for (Index i = 0; i < n; ++i)
        if (coin(rng) < f) b.samples.col(i) = U.col(i);
    b.logqData = noiseLogDensity(nce, data);
    b.logqNoise = noiseLogDensity(nce, b.samples);
    return b;
}

Rowf ImageDomain::noiseLogDensity(const ParamSet& nce, const Matf& X) const {
    const float logNorm =
        -float(X.rows()) * 0.5f * std::log(2.0f * float(M_PI)) - m_noiseStd.array().log().sum();
    const Matf Z = (X.colwise() - m_noiseMean).array().colwise() / m_noiseStd.array();
    const float f = float(nce.valueOr("uniform_fraction", 0));
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

} // namespace ebm::core
