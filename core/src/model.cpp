#include <ebm/core/model.h>

namespace ebm::core {

template <typename S> std::vector<MatX<S>> axisDirections(int d, Index n) {
    std::vector<MatX<S>> dirs;
    dirs.reserve(d);
    for (int k = 0; k < d; ++k) {
        MatX<S> U = MatX<S>::Zero(d, n);
        U.row(k).setOnes();
        dirs.push_back(std::move(U));
    }
    return dirs;
}

template <typename S> RowX<S> EnergyModel<S>::laplacian(const MatX<S>& X) const {
    EnergyJet<S> jet;
    this->jet(X, axisDirections<S>(dim(), X.cols()), jet);
    RowX<S> lap = RowX<S>::Zero(X.cols());
    for (const auto& s : jet.second) lap += s;
    return lap;
}

template std::vector<MatX<float>> axisDirections<float>(int, Index);
template std::vector<MatX<double>> axisDirections<double>(int, Index);
template class EnergyModel<float>;
template class EnergyModel<double>;

} // namespace ebm::core
