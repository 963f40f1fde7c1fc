#include <ebm/render/scene.h>

#include <ebm/core/density.h>
#include <ebm/render/arrows.h>

#include <cmath>
#include <cstdio>
#include <sstream>

namespace ebm::render {

using core::Index;
using core::Matf;

std::vector<std::string> layerNames() {
    return {"landscape", "contours", "arrows", "particles", "trails", "data", "method", "caption", "axes"};
}

Layers parseLayers(const std::string& csv) {
    if (csv == "all") return Layers{};
    Layers l{false, false, false, false, false, false, false, false, false};
    if (csv == "none") return l;
    std::stringstream ss(csv);
    std::string name;
    bool any = false;
    while (std::getline(ss, name, ',')) {
        any = true;
        bool* f = name == "landscape"   ? &l.landscape
                  : name == "contours"  ? &l.contours
                  : name == "arrows"    ? &l.arrows
                  : name == "particles" ? &l.particles
                  : name == "trails"    ? &l.trails
                  : name == "data"      ? &l.data
                  : name == "method"    ? &l.method
                  : name == "caption"   ? &l.caption
                  : name == "axes"      ? &l.axes
                                        : nullptr;
        if (!f)
            throw core::InvalidArgument("unknown layer \"" + name +
                                        "\" (valid: landscape, contours, arrows, particles, trails, data, "
                                        "method, caption, axes, all, none)");
        *f = true;
    }
    if (!any) throw core::InvalidArgument("the layer list is empty (use \"none\" for no layers)");
    return l;
}

std::vector<std::string> captionLines(core::Method method, std::int64_t step, double kl) {
    std::vector<std::string> lines{core::methodLabel(method), "step " + std::to_string(step)};
    if (std::isfinite(kl)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "KL(target \xE2\x80\x96 model) = %.3f nats", kl);
        lines.emplace_back(buf);
    }
    return lines;
}

namespace {
bool isScoreMatching(core::Method m) {
    return m == core::Method::ExactScoreMatching || m == core::Method::SlicedScoreMatching ||
           m == core::Method::DenoisingScoreMatching;
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
Scene captureScene(const core::Trainer& trainer, const std::vector<Matf>& history, double kl,
                   const SceneOptions& o) {
    Scene s;
    s.view = o.view;
    const core::Method m = trainer.options().method;
    const auto& model = trainer.model();
    if (o.layers.landscape) {
        // The energy at the centres of cells of fieldStep x fieldStep pixels (1: every pixel), drawn with
        // bilinear interpolation like the GL view's grid texture.
        const int step = std::max(1, o.fieldStep);
        const int nx = (o.width + step - 1) / step, ny = (o.height + step - 1) / step;
        s.energy.box = o.view;
        s.energy.box.x1 = o.view.x0 + o.view.width() * nx * step / o.width;
        s.energy.box.y0 = o.view.y1 - o.view.height() * ny * step / o.height;
        s.energy.nx = nx;
        s.energy.ny = ny;
        const Matf pts = gridCentres(s.energy.box, nx, ny);
        // In blocks: one batch of every cell would allocate hidden activations of width x cells floats.
        core::Rowf e(pts.cols());
        constexpr Index kBlock = 8192;
        for (Index j0 = 0; j0 < pts.cols(); j0 += kBlock) {
            const Index n = std::min(kBlock, pts.cols() - j0);
            e.segment(j0, n) = model.energy(pts.middleCols(j0, n));
        }
        s.energy.values.resize(ny, nx);
        std::vector<float> finite;
        finite.reserve(size_t(e.size()));
        for (int ix = 0; ix < nx; ++ix)
            for (int iy = 0; iy < ny; ++iy) {
                const float v = e(Index(ix) * ny + iy);
                s.energy.values(iy, ix) = v;
                if (std::isfinite(v)) finite.push_back(v);
            }
        // log Z at β by quadrature on the trainer's box (the density quantities need it).
        double logZ = 0;
        if (o.quantity == Quantity::Density || o.quantity == Quantity::LogDensity) {
            const core::EnergyGrid g = core::evaluateGrid(model, core::GridSpec{trainer.options().box, 96});
            logZ = core::logPartition(g, o.beta);
        }
        s.range = energyRange(finite, o.quantity, o.beta, float(logZ));
        if (o.layers.method && m == core::Method::NoiseContrastive) {
            // log p_θ − log q = −E − c − log q at the same pixel centres (the decision boundary is its zero).
            core::Rowf logq(pts.cols());
            for (Index j0 = 0; j0 < pts.cols(); j0 += kBlock) {
                const Index n = std::min(kBlock, pts.cols() - j0);
                logq.segment(j0, n) = trainer.noiseLogDensity(pts.middleCols(j0, n));
            }
            const float c = trainer.logZEstimate();
            s.nceLogit.box = s.energy.box;
            s.nceLogit.nx = nx;
            s.nceLogit.ny = ny;
            s.nceLogit.values.resize(ny, nx);
            for (int ix = 0; ix < nx; ++ix)
                for (int iy = 0; iy < ny; ++iy) {
                    const Index j = Index(ix) * ny + iy;
                    s.nceLogit.values(iy, ix) = -e(j) - c - logq(j);
                }
        }
    }
    if (o.layers.arrows) {
        s.arrowsAcross = o.arrowsAcross;
        s.arrowPos = gridCentres(o.view, o.arrowsAcross, o.arrowsAcross);
        core::Rowf e;
        Matf grad;
        model.energyAndGrad(s.arrowPos, e, grad);
        s.arrowVec = -o.beta * grad;
        if (o.layers.method && isScoreMatching(m))
            s.targetArrowVec =
                targetScore(trainer.target(), s.arrowPos, 1e-4 * std::max(o.view.width(), o.view.height()));
    }
    if (o.layers.data) s.points.data = trainer.lastData();
    if (o.layers.method) {
        if (m == core::Method::ContrastiveDivergence) s.points.methodSamples = trainer.lastNegatives();
        if (m == core::Method::NoiseContrastive) s.points.methodSamples = trainer.lastNoise();
    }
    s.points.nce = m == core::Method::NoiseContrastive;
    if (o.layers.particles && !history.empty()) {
        const size_t keep = o.layers.trails ? std::min<size_t>(history.size(), kTrailSlots) : 1;
        s.points.particles.assign(history.begin(), history.begin() + std::ptrdiff_t(keep));
    }
    if (o.layers.caption) s.caption = captionLines(m, trainer.stepCount(), kl);
    return s;
}

} // namespace ebm::render
