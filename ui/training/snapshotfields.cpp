#include "snapshotfields.h"

#include <algorithm>
#include <atomic>
#include <ebm/render/fields.h>

namespace ebm::ui {

using core::Box;

namespace {
bool sameBox(const Box& a, const Box& b) {
    return a.x0 == b.x0 && a.x1 == b.x1 && a.y0 == b.y0 && a.y1 == b.y1;
}
bool covers(const Box& outer, const Box& inner) {
    return outer.valid() && outer.x0 <= inner.x0 && outer.x1 >= inner.x1 && outer.y0 <= inner.y0 &&
           outer.y1 >= inner.y1;
}
} // namespace

Box TrainerCapture::fieldBox() const {
    const double gx = view.width() * 0.15, gy = view.height() * 0.15;
    return Box{view.x0 - gx, view.x1 + gx, view.y0 - gy, view.y1 + gy};
}

int TrainerCapture::fieldResolution() const {
    return std::clamp(gridResolution, 8, 1024);
}

bool SnapshotFields::update(const TrainerCapture& c, bool display, Clock::time_point now) {
    if (!c.base.model || !c.target || !c.view.valid()) return false;
    const Box box = c.fieldBox();
    const int res = c.fieldResolution();
    const bool sameView = !m_coarse && sameBox(box, m_box) && res == m_res && c.arrowsAcross == m_arrows;
    const bool sameScene = c.base.method == m_method && c.target.get() == m_targetId;
    const bool newModel = c.modelSerial != m_modelSerial;
    if (sameView && sameScene) {
        if (!newModel) return false;
        // A model that trains is followed at the refresh rate; a step taken by hand is shown at once.
        if (display && c.base.playing && now - m_evaluated < kModelRefresh) return false;
    }
    // A view the cached grid does not cover (a pan past its margin, a zoom out) or covers with cells more
    // than twice too large (a zoom in): a coarse grid now, the full one on the next call. A pan inside the
    // margin keeps the sharper cached grid on screen until the full one replaces it.
    const double wantedCell = box.width() / res;
    const bool cacheFits = m_energy.nx > 0 && covers(m_energy.box, c.view) && m_energy.dx() <= 2 * wantedCell;
    if (display && !sameView && !m_coarse && !cacheFits) {
        evaluate(c, box, std::max(16, res / 4));
        m_coarse = true;
    } else {
        evaluate(c, box, res);
        m_coarse = false;
        m_box = box;
        m_res = res;
        m_arrows = c.arrowsAcross;
    }
    m_modelSerial = c.modelSerial;
    m_method = c.base.method;
    m_targetId = c.target.get();
    m_evaluated = now;
    // Unique across all SnapshotFields: a view shown snapshots of two sessions never mistakes one's
    // fields for the other's.
    static std::atomic<std::int64_t> fieldSerials{0};
    m_serial = ++fieldSerials;
    return true;
}

void SnapshotFields::evaluate(const TrainerCapture& c, const Box& box, int res) {
    const core::Mlp<float>& model = *c.base.model;
    m_energy = core::evaluateGrid(model, core::GridSpec{box, res});
    const int n = c.arrowsAcross;
    const core::Matf arrows = render::gridCentres(c.view, n, n);
    m_score = VectorGrid{c.view, n, n, arrows, render::modelScore(model, arrows, c.base.beta)};
    if (c.target.get() != m_targetId || !sameBox(m_targetView, c.view) || m_targetRes != res ||
        m_targetArrows != n || !sameBox(m_targetEnergy.box, box)) {
        m_targetEnergy = render::targetEnergy(*c.target, box, res, res);
        m_targetScore = VectorGrid{c.view, n, n, arrows,
                                   render::targetScore(*c.target, arrows, render::scoreStep(c.view))};
        m_targetView = c.view;
        m_targetRes = res;
        m_targetArrows = n;
    }
    const core::ObjectiveInfo& method = c.base.methodInfo();
    if (method.family == core::Family::ScoreMatching)
        m_fisher = render::fisherMap(model, *c.target, box, std::max(4, res / 2), std::max(4, res / 2));
    else
        m_fisher = {};
    if (!method.needs.noise) {
        m_nce = {};
    } else if (c.noiseLogDensity.size() == core::Index(res) * res && sameBox(box, c.fieldBox())) {
        // −E − c − log q on the grid: the decision boundary of the noise classifier is its zero line.
        const Eigen::Map<const core::Matf> logq(c.noiseLogDensity.data(), res, res);
        m_nce.box = box;
        m_nce.nx = m_nce.ny = res;
        m_nce.values = (-m_energy.energy.array() - float(c.base.logZEstimate) - logq.array()).matrix();
    } else if (c.base.method != m_method) {
        m_nce = {}; // a coarse grid of a method just switched to: its boundary follows with the full grid
    }               // else: a coarse grid keeps the last boundary, which the view draws at its own box
}

void SnapshotFields::fill(TrainingSnapshot& s) const {
    s.fieldSerial = m_serial;
    s.energy = m_energy;
    s.targetEnergy = m_targetEnergy;
    s.fisher = m_fisher;
    s.nceLogit = m_nce;
    s.score = m_score;
    s.targetScore = m_targetScore;
}

} // namespace ebm::ui
