#include <ebm/render/fields.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm::render {

using core::Index;
using core::Matf;

namespace {
ScalarField fieldOf(const core::Box& box, int nx, int ny, const core::Rowf& byColumn) {
    ScalarField g;
    g.box = box;
    g.nx = nx;
    g.ny = ny;
    g.values = Eigen::Map<const Matf>(byColumn.data(), ny, nx);
    return g;
}
} // namespace

Matf gridCentres(const core::Box& box, int nx, int ny) {
    Matf p(2, Index(nx) * ny);
    const double dx = box.width() / nx, dy = box.height() / ny;
    for (int ix = 0; ix < nx; ++ix)
        for (int iy = 0; iy < ny; ++iy) {
            p(0, Index(ix) * ny + iy) = float(box.x0 + (ix + 0.5) * dx);
            p(1, Index(ix) * ny + iy) = float(box.y0 + (iy + 0.5) * dy);
        }
    return p;
}

ScalarField modelEnergy(const core::EnergyModel<float>& model, const core::Box& box, int nx, int ny) {
    const Matf pts = gridCentres(box, nx, ny);
    core::Rowf e(pts.cols());
    constexpr Index kBlock = 8192;
    for (Index j0 = 0; j0 < pts.cols(); j0 += kBlock) {
        const Index n = std::min(kBlock, pts.cols() - j0);
        e.segment(j0, n) = model.energy(pts.middleCols(j0, n));
    }
    return fieldOf(box, nx, ny, e);
}

Matf modelScore(const core::EnergyModel<float>& model, const Matf& pts, float beta) {
    core::Rowf e;
    Matf grad;
    model.energyAndGrad(pts, e, grad);
    return -beta * grad;
}

Matf targetScore(const core::TargetDensity& t, const Matf& pts, double h) {
    const core::Matd X = pts.cast<double>();
    core::Matd xp = X, xm = X, yp = X, ym = X;
    xp.row(0).array() += h;
    xm.row(0).array() -= h;
    yp.row(1).array() += h;
    ym.row(1).array() -= h;
    const core::Rowd lxp = t.logDensity(xp), lxm = t.logDensity(xm);
    const core::Rowd lyp = t.logDensity(yp), lym = t.logDensity(ym);
    Matf s(2, X.cols());
    for (Index j = 0; j < X.cols(); ++j) {
        const double gx = (lxp(j) - lxm(j)) / (2 * h), gy = (lyp(j) - lym(j)) / (2 * h);
        s(0, j) = std::isfinite(gx) ? float(gx) : 0.0f;
        s(1, j) = std::isfinite(gy) ? float(gy) : 0.0f;
    }
    return s;
}

double scoreStep(const core::Box& box) {
    return 1e-4 * std::max(box.width(), box.height());
}

ScalarField targetEnergy(const core::TargetDensity& target, const core::Box& box, int nx, int ny) {
    const core::Rowd lp = target.logDensity(gridCentres(box, nx, ny).cast<double>());
    core::Rowf e(lp.size());
    float worst = -std::numeric_limits<float>::infinity();
    for (Index j = 0; j < lp.size(); ++j) {
        const double v = -lp(j);
        e(j) = std::isfinite(v) ? float(v) : std::numeric_limits<float>::quiet_NaN();
        if (std::isfinite(v)) worst = std::max(worst, float(v));
    }
    if (!std::isfinite(worst)) worst = 0;
    for (Index j = 0; j < e.size(); ++j)
        if (!std::isfinite(e(j))) e(j) = worst + 10.0f;
    return fieldOf(box, nx, ny, e);
}

ScalarField fisherMap(const core::EnergyModel<float>& model, const core::TargetDensity& target,
                      const core::Box& box, int nx, int ny) {
    const Matf pts = gridCentres(box, nx, ny);
    const Matf diff = modelScore(model, pts, 1.0f) - targetScore(target, pts, scoreStep(box));
    return fieldOf(box, nx, ny, diff.colwise().squaredNorm());
}

ScalarField nceLogit(const core::ModelTrainer& trainer, const ScalarField& energy) {
    const Matf pts = gridCentres(energy.box, energy.nx, energy.ny);
    core::Rowf logq(pts.cols());
    constexpr Index kBlock = 8192;
    for (Index j0 = 0; j0 < pts.cols(); j0 += kBlock) {
        const Index n = std::min(kBlock, pts.cols() - j0);
        logq.segment(j0, n) = trainer.noiseLogDensity(pts.middleCols(j0, n));
    }
    const float c = trainer.logZEstimate();
    const core::Rowf e = Eigen::Map<const core::Rowf>(energy.values.data(), energy.values.size());
    return fieldOf(energy.box, energy.nx, energy.ny, (-e.array() - c - logq.array()).matrix());
}

} // namespace ebm::render
