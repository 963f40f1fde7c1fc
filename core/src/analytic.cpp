#include <ebm/core/analytic.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

namespace ebm::core {

namespace {

std::string shapeStr(Index r, Index c) {
    return std::to_string(r) + " x " + std::to_string(c);
}

template <typename S> void checkBatch(const char* who, int d, const MatX<S>& X) {
    if (X.rows() != d)
        throw InvalidArgument(std::string(who) + ": the batch must be d x n with d = " + std::to_string(d) +
                              " (one sample per column), got " + shapeStr(X.rows(), X.cols()));
}

template <typename S>
void checkDirs(const char* who, int d, const MatX<S>& X, const std::vector<MatX<S>>& dirs) {
    checkBatch(who, d, X);
    for (std::size_t k = 0; k < dirs.size(); ++k)
        if (dirs[k].rows() != X.rows() || dirs[k].cols() != X.cols())
            throw InvalidArgument(std::string(who) + ": direction matrix " + std::to_string(k) +
                                  " must have the batch's shape " + shapeStr(X.rows(), X.cols()) + ", got " +
                                  shapeStr(dirs[k].rows(), dirs[k].cols()));
}

template <typename S> void checkNoParams(const char* who, const VecX<S>& theta) {
    if (theta.size() != 0)
        throw InvalidArgument(std::string(who) + " has no trainable parameters; setParameters expects an " +
                              "empty vector, got " + std::to_string(theta.size()) + " values");
}

template <typename S> void checkGradSize(const char* who, Index numParams, const VecX<S>& grad) {
    if (grad.size() != numParams)
        throw InvalidArgument(std::string(who) + ": lossGrad needs grad sized numParams() = " +
                              std::to_string(numParams) + ", got " + std::to_string(grad.size()));
}

/// Parameter-free models: the loss is the head's value on the whole batch (one chunk, col0 = 0).
template <typename S>
S headOnly(const EnergyModel<S>& m, const MatX<S>& X, const std::vector<MatX<S>>& dirs,
           const LossHead<S>& head) {
    EnergyJet<S> jet;
    m.jet(X, dirs, jet);
    JetSeeds<S> seeds;
    return head(jet, 0, seeds);
}

} // namespace

// ---------------------------------------------------------------------------------------------------
// QuadraticEnergy

template <typename S>
QuadraticEnergy<S>::QuadraticEnergy(const MatX<S>& A, const VecX<S>& mu) : m_A(A), m_mu(mu) {
    if (A.rows() == 0 || A.rows() != A.cols())
        throw InvalidArgument("QuadraticEnergy: A must be a non-empty square matrix, got " +
                              shapeStr(A.rows(), A.cols()));
    if (mu.size() != A.rows())
        throw InvalidArgument("QuadraticEnergy: the mean must have " + std::to_string(A.rows()) +
                              " entries (A's size), got " + std::to_string(mu.size()));
    if (!A.allFinite() || !mu.allFinite())
        throw InvalidArgument("QuadraticEnergy: A and the mean must be finite");
    const S scale = std::max(S(1), A.cwiseAbs().maxCoeff());
    if (((A - A.transpose()).cwiseAbs().array() > S(64) * std::numeric_limits<S>::epsilon() * scale).any())
        throw InvalidArgument("QuadraticEnergy: A must be symmetric");
    // Symmetrise exactly so that ∇E = A(x − μ) is the true gradient to the last bit.
    m_A = S(0.5) * (A + A.transpose());
    if (Eigen::LLT<MatX<S>>(m_A).info() != Eigen::Success)
        throw InvalidArgument("QuadraticEnergy: A must be positive definite (exp(−E) is not normalisable "
                              "otherwise)");
}

template <typename S> int QuadraticEnergy<S>::dim() const {
    return int(m_A.rows());
}

template <typename S> void QuadraticEnergy<S>::setParameters(const VecX<S>& theta) {
    checkNoParams("QuadraticEnergy", theta);
}

template <typename S> RowX<S> QuadraticEnergy<S>::energy(const MatX<S>& X) const {
    checkBatch("QuadraticEnergy::energy", dim(), X);
    const MatX<S> D = X.colwise() - m_mu;
    return S(0.5) * (D.array() * (m_A * D).array()).colwise().sum().matrix();
}

template <typename S> void QuadraticEnergy<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch("QuadraticEnergy::energyAndGrad", dim(), X);
    const MatX<S> D = X.colwise() - m_mu;
    G.noalias() = m_A * D;
    E = S(0.5) * (D.array() * G.array()).colwise().sum().matrix();
}

template <typename S>
void QuadraticEnergy<S>::jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
                             int) const {
    checkDirs("QuadraticEnergy::jet", dim(), X, dirs);
    MatX<S> G;
    energyAndGrad(X, out.energy, G);
    out.first.resize(dirs.size());
    out.second.resize(dirs.size());
    for (std::size_t k = 0; k < dirs.size(); ++k) {
        const MatX<S>& U = dirs[k];
        out.first[k] = (U.array() * G.array()).colwise().sum().matrix();
        out.second[k] = (U.array() * (m_A * U).array()).colwise().sum().matrix();
    }
}

template <typename S>
S QuadraticEnergy<S>::lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head,
                               VecX<S>& grad, int) const {
    checkGradSize("QuadraticEnergy", 0, grad);
    return headOnly(*this, X, dirs, head);
}

template <typename S> std::unique_ptr<EnergyModel<S>> QuadraticEnergy<S>::clone() const {
    return std::make_unique<QuadraticEnergy<S>>(*this);
}

// ---------------------------------------------------------------------------------------------------
// GaussianMixtureEnergy
//
// With L_k(x) = log w_k + log N(x; μ_k, σ_k² I) and responsibilities r_k = softmax_k(L_k):
//   E = −logsumexp_k L_k,   ∇E = Σ_k r_k (x − μ_k)/σ_k²,
//   uᵀ∇²E u = ‖u‖² Σ_k r_k/σ_k² − Var_r(a),  a_k = uᵀ(x − μ_k)/σ_k²  (so uᵀ∇E = Σ_k r_k a_k).
// The variance is computed as Σ_k r_k (a_k − ā)², never as a difference of large numbers.

namespace {

/// Log-component values L (K x n) and the responsibilities R (K x n); returns E (1 x n).
template <typename S>
RowX<S> mixtureResponsibilities(const MatX<S>& means, const VecX<S>& sigmas, const VecX<S>& logWeights,
                                const MatX<S>& X, MatX<S>& R) {
    const Index K = means.cols(), n = X.cols();
    const S d = S(means.rows());
    const S log2pi = S(std::log(2.0 * std::numbers::pi));
    R.resize(K, n);
    for (Index k = 0; k < K; ++k) {
        const S s2 = sigmas(k) * sigmas(k);
        const S c = logWeights(k) - S(0.5) * d * (log2pi + std::log(s2));
        R.row(k) = (c - (X.colwise() - means.col(k)).colwise().squaredNorm().array() / (S(2) * s2)).matrix();
    }
    const RowX<S> mx = R.colwise().maxCoeff();
    R = (R.rowwise() - mx).array().exp().matrix();
    const RowX<S> sum = R.colwise().sum();
    R = R.array().rowwise() / sum.array();
    return -(mx.array() + sum.array().log()).matrix();
}

} // namespace

template <typename S>
GaussianMixtureEnergy<S>::GaussianMixtureEnergy(const MatX<S>& means, const VecX<S>& sigmas,
                                                const VecX<S>& weights)
    : m_means(means), m_sigmas(sigmas) {
    if (means.rows() == 0 || means.cols() == 0)
        throw InvalidArgument("GaussianMixtureEnergy: means must be d x K with d, K >= 1, got " +
                              shapeStr(means.rows(), means.cols()));
    const Index K = means.cols();
    if (sigmas.size() != K || weights.size() != K)
        throw InvalidArgument("GaussianMixtureEnergy: sigmas and weights need one entry per component (K = " +
                              std::to_string(K) + "), got " + std::to_string(sigmas.size()) + " sigmas and " +
                              std::to_string(weights.size()) + " weights");
    if (!means.allFinite()) throw InvalidArgument("GaussianMixtureEnergy: means must be finite");
    if (!sigmas.allFinite() || (sigmas.array() <= S(0)).any())
        throw InvalidArgument("GaussianMixtureEnergy: every sigma must be positive and finite");
    if (!weights.allFinite() || (weights.array() <= S(0)).any())
        throw InvalidArgument("GaussianMixtureEnergy: every weight must be positive and finite");
    const S total = weights.sum();
    m_logWeights = (weights.array() / total).log().matrix();
}

template <typename S> int GaussianMixtureEnergy<S>::dim() const {
    return int(m_means.rows());
}

template <typename S> void GaussianMixtureEnergy<S>::setParameters(const VecX<S>& theta) {
    checkNoParams("GaussianMixtureEnergy", theta);
}

template <typename S> RowX<S> GaussianMixtureEnergy<S>::energy(const MatX<S>& X) const {
    checkBatch("GaussianMixtureEnergy::energy", dim(), X);
    MatX<S> R;
    return mixtureResponsibilities(m_means, m_sigmas, m_logWeights, X, R);
}

template <typename S>
void GaussianMixtureEnergy<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch("GaussianMixtureEnergy::energyAndGrad", dim(), X);
    MatX<S> R;
    E = mixtureResponsibilities(m_means, m_sigmas, m_logWeights, X, R);
    G.setZero(X.rows(), X.cols());
    for (Index k = 0; k < m_means.cols(); ++k) {
        const RowX<S> rk = R.row(k) / (m_sigmas(k) * m_sigmas(k));
        G.array() += (X.colwise() - m_means.col(k)).array().rowwise() * rk.array();
    }
}

template <typename S>
void GaussianMixtureEnergy<S>::jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
                                   int) const {
    checkDirs("GaussianMixtureEnergy::jet", dim(), X, dirs);
    const Index K = m_means.cols(), n = X.cols();
    MatX<S> R;
    out.energy = mixtureResponsibilities(m_means, m_sigmas, m_logWeights, X, R);
    const VecX<S> invVar = m_sigmas.array().square().inverse().matrix();
    const RowX<S> rInvVar = invVar.transpose() * R; // Σ_k r_k / σ_k²
    out.first.resize(dirs.size());
    out.second.resize(dirs.size());
    MatX<S> A(K, n); // a_k per sample
    for (std::size_t j = 0; j < dirs.size(); ++j) {
        const MatX<S>& U = dirs[j];
        const MatX<S> UtX = (U.array() * X.array()).colwise().sum().matrix(); // 1 x n
        A.noalias() = -m_means.transpose() * U;                               // −μ_kᵀu, K x n
        A.rowwise() += UtX.row(0);
        A.array().colwise() *= invVar.array();
        const RowX<S> abar = (R.array() * A.array()).colwise().sum().matrix();
        const RowX<S> var = (R.array() * (A.rowwise() - abar).array().square()).colwise().sum().matrix();
        out.first[j] = abar;
        out.second[j] = (U.colwise().squaredNorm().array() * rInvVar.array() - var.array()).matrix();
    }
}

template <typename S>
S GaussianMixtureEnergy<S>::lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs,
                                     const LossHead<S>& head, VecX<S>& grad, int) const {
    checkGradSize("GaussianMixtureEnergy", 0, grad);
    return headOnly(*this, X, dirs, head);
}

template <typename S> std::unique_ptr<EnergyModel<S>> GaussianMixtureEnergy<S>::clone() const {
    return std::make_unique<GaussianMixtureEnergy<S>>(*this);
}

// ---------------------------------------------------------------------------------------------------
// SumEnergy

template <typename S>
SumEnergy<S>::SumEnergy(std::vector<std::shared_ptr<EnergyModel<S>>> parts) : m_parts(std::move(parts)) {
    if (m_parts.empty()) throw InvalidArgument("SumEnergy: needs at least one part");
    for (std::size_t i = 0; i < m_parts.size(); ++i) {
        if (!m_parts[i]) throw InvalidArgument("SumEnergy: part " + std::to_string(i) + " is null");
        if (m_parts[i]->dim() != m_parts[0]->dim())
            throw InvalidArgument("SumEnergy: all parts must have the same dimension; part 0 has " +
                                  std::to_string(m_parts[0]->dim()) + ", part " + std::to_string(i) +
                                  " has " + std::to_string(m_parts[i]->dim()));
    }
}

template <typename S> int SumEnergy<S>::dim() const {
    return m_parts.front()->dim();
}

template <typename S> Index SumEnergy<S>::numParams() const {
    Index n = 0;
    for (const auto& p : m_parts)
        n += p->numParams();
    return n;
}

template <typename S> VecX<S> SumEnergy<S>::parameters() const {
    VecX<S> theta(numParams());
    Index off = 0;
    for (const auto& p : m_parts) {
        const Index np = p->numParams();
        if (np > 0) theta.segment(off, np) = p->parameters();
        off += np;
    }
    return theta;
}

template <typename S> void SumEnergy<S>::setParameters(const VecX<S>& theta) {
    if (theta.size() != numParams())
        throw InvalidArgument("SumEnergy::setParameters: expected " + std::to_string(numParams()) +
                              " values (the parts' parameters concatenated), got " +
                              std::to_string(theta.size()));
    Index off = 0;
    for (const auto& p : m_parts) {
        const Index np = p->numParams();
        if (np > 0) p->setParameters(theta.segment(off, np));
        off += np;
    }
}

template <typename S> RowX<S> SumEnergy<S>::energy(const MatX<S>& X) const {
    checkBatch("SumEnergy::energy", dim(), X);
    RowX<S> E = m_parts.front()->energy(X);
    for (std::size_t i = 1; i < m_parts.size(); ++i)
        E += m_parts[i]->energy(X);
    return E;
}

template <typename S> void SumEnergy<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch("SumEnergy::energyAndGrad", dim(), X);
    m_parts.front()->energyAndGrad(X, E, G);
    RowX<S> Ei;
    MatX<S> Gi;
    for (std::size_t i = 1; i < m_parts.size(); ++i) {
        m_parts[i]->energyAndGrad(X, Ei, Gi);
        E += Ei;
        G += Gi;
    }
}

template <typename S>
void SumEnergy<S>::jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out, int) const {
    checkDirs("SumEnergy::jet", dim(), X, dirs);
    m_parts.front()->jet(X, dirs, out);
    EnergyJet<S> part;
    for (std::size_t i = 1; i < m_parts.size(); ++i) {
        m_parts[i]->jet(X, dirs, part);
        out.energy += part.energy;
        for (std::size_t k = 0; k < dirs.size(); ++k) {
            out.first[k] += part.first[k];
            out.second[k] += part.second[k];
        }
    }
}

namespace {

/// Columns [col0, col0 + n) of a seed row; an empty row (= zero) stays empty.
template <typename S> RowX<S> seedSlice(const RowX<S>& r, Index col0, Index n) {
    return r.size() == 0 ? RowX<S>() : RowX<S>(r.segment(col0, n));
}

} // namespace

template <typename S>
S SumEnergy<S>::lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head,
                         VecX<S>& grad, int) const {
    checkDirs("SumEnergy::lossGrad", dim(), X, dirs);
    checkGradSize("SumEnergy", numParams(), grad);
    // The loss depends on the parts only through the summed jet, so dLoss/dJet_i = dLoss/dJet for every
    // part: evaluate the head once on the sum and replay its seeds into each part's own backward pass.
    EnergyJet<S> jet;
    this->jet(X, dirs, jet);
    JetSeeds<S> seeds;
    const S loss = head(jet, 0, seeds);
    const Index n = X.cols();
    auto checkSeed = [&](const RowX<S>& r, const char* what) {
        if (r.size() != 0 && r.size() != n)
            throw InvalidArgument(std::string("SumEnergy::lossGrad: the loss head returned a ") + what +
                                  " seed of size " + std::to_string(r.size()) + " for a batch of " +
                                  std::to_string(n));
    };
    checkSeed(seeds.energy, "energy");
    for (const auto& r : seeds.first)
        checkSeed(r, "first-derivative");
    for (const auto& r : seeds.second)
        checkSeed(r, "second-derivative");

    const LossHead<S> replay = [&seeds](const EnergyJet<S>& chunk, Index col0, JetSeeds<S>& out) -> S {
        const Index m = chunk.energy.size();
        out.energy = seedSlice(seeds.energy, col0, m);
        out.first.resize(seeds.first.size());
        out.second.resize(seeds.second.size());
        for (std::size_t k = 0; k < seeds.first.size(); ++k)
            out.first[k] = seedSlice(seeds.first[k], col0, m);
        for (std::size_t k = 0; k < seeds.second.size(); ++k)
            out.second[k] = seedSlice(seeds.second[k], col0, m);
        return S(0);
    };
    Index off = 0;
    for (const auto& p : m_parts) {
        const Index np = p->numParams();
        if (np > 0) {
            VecX<S> g = grad.segment(off, np);
            p->lossGrad(X, dirs, replay, g);
            grad.segment(off, np) = g;
        }
        off += np;
    }
    return loss;
}

template <typename S> std::unique_ptr<EnergyModel<S>> SumEnergy<S>::clone() const {
    // Deep copy: a clone's parameters must not alias the original's.
    std::vector<std::shared_ptr<EnergyModel<S>>> parts;
    parts.reserve(m_parts.size());
    for (const auto& p : m_parts)
        parts.push_back(std::shared_ptr<EnergyModel<S>>(p->clone()));
    return std::make_unique<SumEnergy<S>>(std::move(parts));
}

template class QuadraticEnergy<float>;
template class QuadraticEnergy<double>;
template class GaussianMixtureEnergy<float>;
template class GaussianMixtureEnergy<double>;
template class SumEnergy<float>;
template class SumEnergy<double>;

} // namespace ebm::core
