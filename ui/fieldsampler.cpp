#include "fieldsampler.h"

#include <ebm/render/scene.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm::ui {

using core::Box;
using core::Index;
using core::Matd;
using core::Matf;

core::Box grownBox(const Box& b, double fraction) {
    const double gx = b.width() * fraction, gy = b.height() * fraction;
    return Box{b.x0 - gx, b.x1 + gx, b.y0 - gy, b.y1 + gy};
}

core::Matf arrowPoints(const Box& box, int nx, int ny) {
    return render::gridCentres(box, nx, ny);
}

VectorGrid modelScore(const core::EnergyModel<float>& model, const Box& box, int n, float beta) {
    VectorGrid g;
    g.box = box;
    g.nx = g.ny = n;
    g.pos = arrowPoints(box, n, n);
    core::Rowf e;
    Matf grad;
    model.energyAndGrad(g.pos, e, grad);
    g.vec = -beta * grad;
    return g;
}

VectorGrid targetScore(const core::TargetDensity& target, const Box& box, int n) {
    VectorGrid g;
    g.box = box;
    g.nx = g.ny = n;
    g.pos = arrowPoints(box, n, n);
    g.vec = render::targetScore(target, g.pos, 1e-4 * std::max(box.width(), box.height()));
    return g;
}

ScalarGrid targetEnergy(const core::TargetDensity& target, const Box& box, int nx, int ny) {
    ScalarGrid g;
    g.box = box;
    g.nx = nx;
    g.ny = ny;
    const Matd pts = arrowPoints(box, nx, ny).cast<double>();
    const core::Rowd lp = target.logDensity(pts);
    float worst = -std::numeric_limits<float>::infinity();
    g.values.resize(ny, nx);
    for (int ix = 0; ix < nx; ++ix)
        for (int iy = 0; iy < ny; ++iy) {
            const double v = -lp(Index(ix) * ny + iy);
            g.values(iy, ix) = std::isfinite(v) ? float(v) : std::numeric_limits<float>::quiet_NaN();
            if (std::isfinite(v)) worst = std::max(worst, float(v));
        }
    if (!std::isfinite(worst)) worst = 0;
    for (Index i = 0; i < g.values.size(); ++i)
        if (!std::isfinite(g.values(i))) g.values(i) = worst + 10.0f;
    return g;
}

ScalarGrid fisherMap(const core::EnergyModel<float>& model, const core::TargetDensity& target, const Box& box,
                     int nx, int ny) {
    ScalarGrid g;
    g.box = box;
    g.nx = nx;
    g.ny = ny;
    const Matf pts = arrowPoints(box, nx, ny);
    core::Rowf e;
    Matf grad;
    model.energyAndGrad(pts, e, grad);
    const Matf ts = render::targetScore(target, pts, 1e-4 * std::max(box.width(), box.height()));
    const Matf diff = -grad - ts;
    g.values.resize(ny, nx);
    for (int ix = 0; ix < nx; ++ix)
        for (int iy = 0; iy < ny; ++iy)
            g.values(iy, ix) = diff.col(Index(ix) * ny + iy).squaredNorm();
    return g;
}

ScalarGrid nceLogit(const core::EnergyGrid& energy, const core::Trainer& trainer) {
    ScalarGrid g;
    g.box = energy.box;
    g.nx = energy.nx;
    g.ny = energy.ny;
    const Matf pts = arrowPoints(energy.box, energy.nx, energy.ny);
    const core::Rowf logq = trainer.noiseLogDensity(pts);
    const float c = trainer.logZEstimate();
    g.values.resize(energy.ny, energy.nx);
    for (int ix = 0; ix < energy.nx; ++ix)
        for (int iy = 0; iy < energy.ny; ++iy)
            g.values(iy, ix) = -energy.energy(iy, ix) - c - logq(Index(ix) * energy.ny + iy);
    return g;
}

} // namespace ebm::ui
