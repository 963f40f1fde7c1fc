#include <ebm/core/imagelosses.h>

#include <string>

namespace ebm::core {

namespace {
template <typename S>
void requireShapes(const EnergyModel<S>& m, const MatX<S>& X, const MatX<S>& Y, const char* what) {
    if (X.rows() != m.dim() || X.cols() == 0)
        throw InvalidArgument(std::string(what) + ": the batch must have " + std::to_string(m.dim()) +
                              " rows and at least one column");
    if (Y.rows() != X.rows() || Y.cols() != X.cols())
        throw InvalidArgument(std::string(what) + ": the second matrix must have the batch's shape");
}
} // namespace

template <typename S>
S denoisingScoreMatchingLossHd(const EnergyModel<S>& m, const MatX<S>& Xnoisy, const MatX<S>& noise, S sigma,
                               VecX<S>& grad) {
    requireShapes(m, Xnoisy, noise, "denoisingScoreMatchingLossHd");
    if (!(sigma > 0)) throw InvalidArgument("denoising score matching: noise sigma must be > 0");
    RowX<S> E;
    MatX<S> G;
    m.energyAndGrad(Xnoisy, E, G);
    const S inv = S(1) / S(Xnoisy.cols());
    const MatX<S> R = sigma * G - noise; // residual r = σ∇E − n
    const S loss = S(0.5) * R.squaredNorm() * inv;
    const std::vector<MatX<S>> dirs{(sigma * inv) * R}; // u = ∂loss/∂(∇E) = σ r / n
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index, JetSeeds<S>& seeds) {
        seeds.first.assign(1, RowX<S>::Ones(jet.energy.size()));
        return S(0);
    };
    m.lossGrad(Xnoisy, dirs, head, grad, /*secondOrder=*/0);
    return loss;
}

template <typename S>
S slicedScoreMatchingLossHd(const EnergyModel<S>& m, const MatX<S>& X, const MatX<S>& V, VecX<S>& grad) {
    requireShapes(m, X, V, "slicedScoreMatchingLossHd");
    RowX<S> E;
    MatX<S> G;
    m.energyAndGrad(X, E, G);
    const S inv = S(1) / S(X.cols());
    // Direction 0: v, with vᵀ∇²E v; direction 1: u = ∇E (fixed), whose seed gives the gradient of ½‖∇E‖².
    const std::vector<MatX<S>> dirs{V, G};
    LossHead<S> head = [&](const EnergyJet<S>& jet, Index, JetSeeds<S>& seeds) {
        const Index n = jet.energy.size();
        seeds.first.assign(2, RowX<S>());
        seeds.second.assign(1, RowX<S>::Constant(n, -inv));
        seeds.first[1] = RowX<S>::Constant(n, inv);
        return (S(0.5) * jet.first[1].sum() - jet.second[0].sum()) * inv;
    };
    return m.lossGrad(X, dirs, head, grad, /*secondOrder=*/1);
}

template float denoisingScoreMatchingLossHd<float>(const EnergyModel<float>&, const Matf&, const Matf&, float,
                                                   Vecf&);
template double denoisingScoreMatchingLossHd<double>(const EnergyModel<double>&, const Matd&, const Matd&,
                                                     double, Vecd&);
template float slicedScoreMatchingLossHd<float>(const EnergyModel<float>&, const Matf&, const Matf&, Vecf&);
template double slicedScoreMatchingLossHd<double>(const EnergyModel<double>&, const Matd&, const Matd&,
                                                  Vecd&);

} // namespace ebm::core
