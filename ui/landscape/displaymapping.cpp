#include "displaymapping.h"

#include <ebm/render/legend.h>
#include <ebm/render/mapping.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ebm::ui {

namespace {
// The values of a grid at the cells whose centres lie in the view box.
template <class Grid, class F>
std::vector<float> visibleValues(const Grid& g, const core::Matf& v, const core::Box& view, F f) {
    std::vector<float> out;
    if (g.nx == 0 || v.size() == 0) return out;
    const double dx = g.box.width() / g.nx, dy = g.box.height() / g.ny;
    out.reserve(size_t(v.size()));
    for (int ix = 0; ix < g.nx; ++ix) {
        const double x = g.box.x0 + (ix + 0.5) * dx;
        if (x < view.x0 || x > view.x1) continue;
        for (int iy = 0; iy < g.ny; ++iy) {
            const double y = g.box.y0 + (iy + 0.5) * dy;
            if (y < view.y0 || y > view.y1) continue;
            const float val = f(v(iy, ix), ix, iy);
            if (std::isfinite(val)) out.push_back(val);
        }
    }
    return out;
}

using render::niceStep;
using render::quantile;
} // namespace

float displayedValue(float e, Quantity q, const DisplayParams& p) {
    render::ColorRange r;
    r.eMin = p.eMin;
    r.beta = p.beta;
    r.logZ = p.logZ;
    return render::displayedValue(e, q, r);
}

ColorMap shownColorMap(const DisplaySettings& s) {
    return s.source == FieldSource::Difference ? ColorMap::CoolWarm : s.colorMap;
}

std::int64_t rangeKey(const DisplaySettings& s) {
    return std::int64_t(s.source) * 16 + std::int64_t(s.quantity);
}

DisplayParams easedParams(const DisplayParams& fit, render::RangeSmoother& smoother, std::int64_t key,
                          bool jump) {
    render::ColorRange r;
    r.lo = fit.lo;
    r.hi = fit.hi;
    r.eMin = fit.eMin;
    r.beta = fit.beta;
    r.logZ = fit.logZ;
    r.contourStep = fit.contourStep;
    r = smoother.update(r, key, jump);
    DisplayParams p = fit;
    p.lo = r.lo;
    p.hi = r.hi;
    p.eMin = r.eMin;
    p.contourStep = r.contourStep;
    return p;
}

DisplayParams displayParams(const TrainingSnapshot& snap, const DisplaySettings& s, const core::Box& view) {
    DisplayParams p;
    p.colorMap = shownColorMap(s);
    p.logZ1 = float(snap.logZ);
    const auto id = [](float v, int, int) { return v; };
    if (s.source == FieldSource::Difference) {
        // log p_model − log p_target, symmetric around zero on the diverging map.
        const auto& t = snap.targetEnergy.values;
        const bool aligned = t.rows() == snap.energy.energy.rows() && t.cols() == snap.energy.energy.cols();
        std::vector<float> d =
            visibleValues(snap.energy, snap.energy.energy, view, [&](float e, int ix, int iy) {
                return aligned ? float((-e - snap.logZ) - (-t(iy, ix))) : 0.0f;
            });
        for (float& x : d)
            x = std::abs(x);
        const float m = std::clamp(quantile(d, 0.98), 0.5f, 10.0f);
        p.lo = -m;
        p.hi = m;
        p.beta = 1;
        p.logZ = 0; // the target is normalised (or its constant is folded into −log p)
        p.contourStep = niceStep(2 * m, 10);
        p.label = QString::fromStdString(
            render::fieldLabel(render::FieldKind::Difference, render::Quantity::Energy));
        return p;
    }
    if (s.source == FieldSource::FisherMap) {
        std::vector<float> v = visibleValues(snap.fisher, snap.fisher.values, view, id);
        p.lo = 0;
        p.hi = std::max(1e-6f, quantile(v, 0.98));
        p.contourStep = niceStep(p.hi, 8);
        p.label = QString::fromStdString(
            render::fieldLabel(render::FieldKind::ScoreError, render::Quantity::Energy));
        return p;
    }
    const bool target = s.source == FieldSource::Target;
    std::vector<float> e = target ? visibleValues(snap.targetEnergy, snap.targetEnergy.values, view, id)
                                  : visibleValues(snap.energy, snap.energy.energy, view, id);
    p.beta = target ? 1.0f : snap.beta;
    p.logZ = target ? 0.0f : float(snap.logZBeta);
    if (e.empty()) return p;
    // The range itself is shared with the CPU renderer (render/mapping.h).
    const render::ColorRange r = render::energyRange(e, s.quantity, p.beta, p.logZ);
    p.lo = r.lo;
    p.hi = r.hi;
    p.eMin = r.eMin;
    p.contourStep = r.contourStep;
    // Plain Unicode labels, shared with the exports (the CPU renderer has no subscripts).
    p.label = QString::fromStdString(render::fieldLabel(
        target ? render::FieldKind::Target : render::FieldKind::Model, s.quantity));
    return p;
}

} // namespace ebm::ui
