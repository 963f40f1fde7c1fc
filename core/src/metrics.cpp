#include <ebm/core/metrics.h>
#include <ebm/core/parallel.h>

#include <cmath>

namespace ebm::core {

void GridSpec::validate() const {
    if (!box.valid() || !std::isfinite(box.x0) || !std::isfinite(box.x1) || !std::isfinite(box.y0) ||
        !std::isfinite(box.y1))
        throw InvalidArgument("grid box must have x0 < x1 and y0 < y1 (finite numbers)");
    if (resolution < 2 || resolution > 4096)
        throw InvalidArgument("grid resolution must be in 2..4096, got " + std::to_string(resolution));
}

Matd gridPoints(const GridSpec& spec) {
    spec.validate();
    const int n = spec.resolution;
    const double dx = spec.box.width() / n, dy = spec.box.height() / n;
    Matd P(2, Index(n) * n);
    for (int ix = 0; ix < n; ++ix)
        for (int iy = 0; iy < n; ++iy) {
            P(0, Index(ix) * n + iy) = spec.box.x0 + (ix + 0.5) * dx;
            P(1, Index(ix) * n + iy) = spec.box.y0 + (iy + 0.5) * dy;
        }
    return P;
}

EnergyGrid evaluateGrid(const EnergyModel<float>& model, const GridSpec& spec) {
    if (model.dim() != 2) throw InvalidArgument("grid evaluation needs a 2D model");
    const Matf P = gridPoints(spec).cast<float>();
    EnergyGrid g;
    g.box = spec.box;
    g.nx = g.ny = spec.resolution;
    const Rowf E = model.energy(P);
    g.energy = Eigen::Map<const Matf>(E.data(), g.ny, g.nx);
    return g;
}

namespace {
double logSumExp(const Eigen::ArrayXd& a) {
    const double m = a.maxCoeff();
    if (!std::isfinite(m)) return m;
    return m + std::log((a - m).exp().sum());
}
} // namespace

double logPartition(const EnergyGrid& g, double beta) {
    const Eigen::ArrayXd a =
        -beta * Eigen::Map<const Eigen::ArrayXf>(g.energy.data(), g.energy.size()).cast<double>();
    return logSumExp(a) + std::log(g.dx() * g.dy());
}

Metrics computeMetrics(const EnergyModel<float>& model, const TargetDensity& target, const Matd& heldOut,
                       const GridSpec& spec) {
    const EnergyGrid g = evaluateGrid(model, spec);
    Metrics m;
    m.logZ = logPartition(g);
    const double logCell = std::log(g.dx() * g.dy());
    // Target renormalised on the box.
    const Eigen::ArrayXd logPt = target.logDensity(gridPoints(spec)).transpose().array();
    const double logMassT = logSumExp(logPt) + logCell;
    if (!std::isfinite(logMassT)) throw InvalidArgument("the target has no mass inside the metrics box");
    const Eigen::ArrayXd logModel =
        -Eigen::Map<const Eigen::ArrayXf>(g.energy.data(), g.energy.size()).cast<double>() - m.logZ;
    double kl = 0;
    for (Index i = 0; i < logPt.size(); ++i) {
        if (!std::isfinite(logPt(i))) continue; // zero target density contributes nothing
        const double lp = logPt(i) - logMassT;
        kl += std::exp(lp + logCell) * (lp - logModel(i));
    }
    m.kl = kl;
    if (heldOut.cols() > 0) {
        const Rowf E = model.energy(heldOut.cast<float>());
        m.nll = E.cast<double>().mean() + m.logZ;
    } else {
        m.nll = std::numeric_limits<double>::quiet_NaN();
    }
    return m;
}

} // namespace ebm::core
