#include <ebm/render/scene.h>

#include <ebm/core/density.h>
#include <ebm/core/objective.h>
#include <ebm/render/arrows.h>
#include <ebm/render/fields.h>

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

std::vector<std::string> captionLines(const std::string& method, std::int64_t step, double kl) {
    std::vector<std::string> lines{core::objective(method).info().label, "step " + std::to_string(step)};
    if (std::isfinite(kl)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "KL(target \xE2\x80\x96 model) = %.3f nats", kl);
        lines.emplace_back(buf);
    }
    return lines;
}

Scene captureScene(const core::Trainer& trainer, const std::vector<Matf>& history, double kl,
                   const SceneOptions& o) {
    Scene s;
    s.view = o.view;
    const core::ObjectiveInfo& m = trainer.currentObjective().info();
    const auto& model = trainer.shownModel();
    if (o.layers.landscape) {
        // The energy at the centres of cells of fieldStep x fieldStep pixels (1: every pixel), drawn with
        // bilinear interpolation like the GL view's grid texture.
        const int step = std::max(1, o.fieldStep);
        const int nx = (o.width + step - 1) / step, ny = (o.height + step - 1) / step;
        core::Box cells = o.view;
        cells.x1 = o.view.x0 + o.view.width() * nx * step / o.width;
        cells.y0 = o.view.y1 - o.view.height() * ny * step / o.height;
        s.energy = modelEnergy(model, cells, nx, ny);
        std::vector<float> finite;
        finite.reserve(size_t(s.energy.values.size()));
        for (Index j = 0; j < s.energy.values.size(); ++j)
            if (std::isfinite(s.energy.values(j))) finite.push_back(s.energy.values(j));
        // log Z at β by quadrature on the trainer's box (the density quantities need it).
        double logZ = 0;
        if (o.quantity == Quantity::Density || o.quantity == Quantity::LogDensity) {
            const core::EnergyGrid g = core::evaluateGrid(model, core::GridSpec{trainer.options().box, 96});
            logZ = core::logPartition(g, o.beta);
        }
        s.range = energyRange(finite, o.quantity, o.beta, float(logZ));
        // log p_θ − log q at the same pixel centres (the decision boundary is its zero).
        if (o.layers.method && m.needs.noise) s.nceLogit = nceLogit(trainer, s.energy);
    }
    if (o.layers.arrows) {
        s.arrowsAcross = o.arrowsAcross;
        s.arrowPos = gridCentres(o.view, o.arrowsAcross, o.arrowsAcross);
        s.arrowVec = modelScore(model, s.arrowPos, o.beta);
        if (o.layers.method && m.family == core::Family::ScoreMatching)
            s.targetArrowVec = targetScore(trainer.target(), s.arrowPos, scoreStep(o.view));
    }
    if (o.layers.data) s.points.data = trainer.lastData();
    if (o.layers.method) s.points.methodSamples = trainer.lastContrast();
    s.points.nce = m.needs.noise;
    if (o.layers.particles && !history.empty()) {
        const size_t keep = o.layers.trails ? std::min<size_t>(history.size(), kTrailSlots) : 1;
        s.points.particles.assign(history.begin(), history.begin() + std::ptrdiff_t(keep));
    }
    if (o.layers.caption) s.caption = captionLines(trainer.method(), trainer.stepCount(), kl);
    return s;
}

} // namespace ebm::render
