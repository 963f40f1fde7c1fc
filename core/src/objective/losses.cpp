// The training losses as "heads" on the model's jet (docs/math.md, "Training objectives"). Each head maps a
// chunk's E / directional derivatives to per-sample loss terms and their derivatives; the model does
// the back-propagation into θ.
#include <ebm/core/losses.h>

#include <cmath>
#include <string>

namespace ebm::core {

namespace {
template <typename S> void requireSameDim(const EnergyModel<S>& m, const MatX<S>& X, const char* what) {
    if (X.rows() != m.dim())
        throw InvalidArgument(std::string(what) + ": batch has " + std::to_string(X.rows()) +
                              " rows, model expects " + std::to_string(m.dim()));
    if (X.cols() == 0) throw InvalidArgument(std::string(what) + ": empty batch");
}

template <typename S> S softplus(S x) {
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
template <typename S> S sigmoid(S x) {
    if (x >= 0) return S(1) / (S(1) + std::exp(-x));
    const S e = std::exp(x);
    return e / (S(1) + e);
}
} // namespace

template <typename S>
S cdLoss(const EnergyModel<S>& m, const MatX<S>& pos, const MatX<S>& neg, S alpha, VecX<S>& grad) {
    requireSameDim(m, pos, "cdLoss (positives)");
    requireSameDim(m, neg, "cdLoss (negatives)");
    const Index np = pos.cols(), nn = neg.cols();
    MatX<S> X(pos.rows(), np + nn);
    X << pos, neg;
    const S ip = S(1) / S(np), in = S(1) / S(nn);
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index col0, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        seeds.energy.resize(n);
        S loss = 0;
        for (Index i = 0; i < n; ++i) {
            const S e = jet.energy(i);
            const bool isPos = col0 + i < np;
            const S w = isPos ? ip : in;
            loss += (isPos ? e : -e) * w + alpha * e * e * w;
            seeds.energy(i) = (isPos ? S(1) : S(-1)) * w + S(2) * alpha * e * w;
        }
        return loss;
    };
    return m.lossGrad(X, {}, head, grad);
}

template <typename S> S exactScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& X, VecX<S>& grad) {
    requireSameDim(m, X, "exactScoreMatchingLoss");
    const S inv = S(1) / S(X.cols());
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        const size_t K = jet.first.size();
        seeds.first.resize(K);
        seeds.second.resize(K);
        S loss = 0;
        for (size_t k = 0; k < K; ++k) {
            loss += (S(0.5) * jet.first[k].squaredNorm() - jet.second[k].sum()) * inv;
            seeds.first[k] = jet.first[k] * inv;
            seeds.second[k] = RowX<S>::Constant(n, -inv);
        }
        return loss;
    };
    return m.lossGrad(X, axisDirections<S>(m.dim(), X.cols()), head, grad);
}

template <typename S>
S slicedScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& X, const MatX<S>& V, bool varianceReduced,
                          VecX<S>& grad) {
    requireSameDim(m, X, "slicedScoreMatchingLoss");
    if (V.rows() != X.rows() || V.cols() != X.cols())
        throw InvalidArgument("slicedScoreMatchingLoss: projections V must have the batch's shape");
    const S inv = S(1) / S(X.cols());
    std::vector<MatX<S>> dirs{V};
    if (varianceReduced)
        for (auto& U : axisDirections<S>(m.dim(), X.cols()))
            dirs.push_back(std::move(U));
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        const size_t K = jet.first.size();
        seeds.first.assign(K, RowX<S>());
        seeds.second.assign(1, RowX<S>());
        // −vᵀ∇²E v along the projection (direction 0).
        S loss = -jet.second[0].sum() * inv;
        seeds.second[0] = RowX<S>::Constant(n, -inv);
        // ½(vᵀ∇E)², or ½‖∇E‖² from the axis directions 1..d.
        for (size_t k = varianceReduced ? 1 : 0; k < (varianceReduced ? K : 1); ++k) {
            loss += S(0.5) * jet.first[k].squaredNorm() * inv;
            seeds.first[k] = jet.first[k] * inv;
        }
        return loss;
    };
    return m.lossGrad(X, dirs, head, grad, /*secondOrder=*/1); // only vᵀ∇²E v
}

template <typename S>
S denoisingScoreMatchingLoss(const EnergyModel<S>& m, const MatX<S>& Xnoisy, const MatX<S>& noise, S sigma,
                             VecX<S>& grad) {
    requireSameDim(m, Xnoisy, "denoisingScoreMatchingLoss");
    if (noise.rows() != Xnoisy.rows() || noise.cols() != Xnoisy.cols())
        throw InvalidArgument("denoisingScoreMatchingLoss: noise must have the batch's shape");
    if (!(sigma > 0)) throw InvalidArgument("denoising score matching: noise sigma must be > 0");
    const S inv = S(1) / S(Xnoisy.cols());
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index col0, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        const size_t K = jet.first.size();
        seeds.first.resize(K);
        S loss = 0;
        for (size_t k = 0; k < K; ++k) {
            const RowX<S> r = sigma * jet.first[k] - noise.row(Index(k)).segment(col0, n);
            loss += S(0.5) * r.squaredNorm() * inv;
            seeds.first[k] = sigma * inv * r;
        }
        return loss;
    };
    return m.lossGrad(Xnoisy, axisDirections<S>(m.dim(), Xnoisy.cols()), head, grad, /*secondOrder=*/0);
}

template <typename S>
S nceLoss(const EnergyModel<S>& m, const MatX<S>& data, const RowX<S>& logqData, const MatX<S>& noise,
          const RowX<S>& logqNoise, S nu, S c, VecX<S>& grad, S& gradC) {
    requireSameDim(m, data, "nceLoss (data)");
    requireSameDim(m, noise, "nceLoss (noise)");
    if (logqData.size() != data.cols() || logqNoise.size() != noise.cols())
        throw InvalidArgument("nceLoss: one noise log-density per point is needed");
    if (!(nu > 0)) throw InvalidArgument("NCE: the noise ratio must be > 0");
    const Index nd = data.cols(), nn = noise.cols();
    MatX<S> X(data.rows(), nd + nn);
    X << data, noise;
    RowX<S> logq(nd + nn);
    logq << logqData, logqNoise;
    const S logNu = std::log(nu);
    const S wd = S(1) / S(nd), wn = nu / S(nn);
    RowX<S> dc = RowX<S>::Zero(nd + nn);
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index col0, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        seeds.energy.resize(n);
        S loss = 0;
        for (Index i = 0; i < n; ++i) {
            const Index j = col0 + i;
            const S h = -jet.energy(i) - c - logq(j) - logNu; // logit of "data"
            if (j < nd) {
                loss += wd * softplus(-h);
                const S g = -wd * sigmoid(-h); // dLoss/dh
                seeds.energy(i) = -g;          // dh/dE = −1
                dc(j) = -g;                    // dh/dc = −1
            } else {
                loss += wn * softplus(h);
                const S g = wn * sigmoid(h);
                seeds.energy(i) = -g;
                dc(j) = -g;
            }
        }
        return loss;
    };
    const S loss = m.lossGrad(X, {}, head, grad);
    gradC = dc.sum();
    return loss;
}

#define EBM_INSTANTIATE(S)                                                                                   \
    template S cdLoss<S>(const EnergyModel<S>&, const MatX<S>&, const MatX<S>&, S, VecX<S>&);                \
    template S exactScoreMatchingLoss<S>(const EnergyModel<S>&, const MatX<S>&, VecX<S>&);                   \
    template S slicedScoreMatchingLoss<S>(const EnergyModel<S>&, const MatX<S>&, const MatX<S>&, bool,       \
                                          VecX<S>&);                                                         \
    template S denoisingScoreMatchingLoss<S>(const EnergyModel<S>&, const MatX<S>&, const MatX<S>&, S,       \
                                             VecX<S>&);                                                      \
    template S nceLoss<S>(const EnergyModel<S>&, const MatX<S>&, const RowX<S>&, const MatX<S>&,             \
                          const RowX<S>&, S, S, VecX<S>&, S&);
EBM_INSTANTIATE(float)
EBM_INSTANTIATE(double)
#undef EBM_INSTANTIATE

} // namespace ebm::core
