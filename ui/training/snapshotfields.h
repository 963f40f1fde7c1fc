#pragma once
/// @file snapshotfields.h
/// The two halves of a snapshot. TrainerCapture is what the training thread hands over between chunks
/// (cheap: a copy of the parameters, the last batches and the chart figures); SnapshotFields turns
/// captures into the fields the views draw (energy grid, target grid, arrows, Fisher map, NCE logit),
/// re-evaluating them only when the model or the view changed: coarse first when the cached grid does
/// not cover the new view, refined on the next call, and at most every modelRefresh while the model
/// trains. The display thread runs it at the display rate; TrainingEngine::snapshot() runs it inline.
#include "trainingsnapshot.h"
#include <chrono>
#include <ebm/core/density.h>
#include <memory>

namespace ebm::ui {

struct TrainerCapture {
    /// Everything but the fields and the particles: step, method, parameters (model), batches, figures.
    TrainingSnapshot base;
    std::int64_t serial = 0;      ///< increases with every capture
    std::int64_t modelSerial = 0; ///< increases when the parameters changed (steps, reset, restore)
    std::shared_ptr<const core::TargetDensity> target;
    core::Box view; ///< the visible box; the grids reach 15% beyond it
    int gridResolution = 128;
    int arrowsAcross = 28;
    bool particlesMoving = false; ///< the live particles move (running, or the model trains)
    int liveSteps = 2;            ///< live sampler steps per displayed frame
    bool urgent = false;          ///< a command changed the scene: shown at once, not at the next tick
    /// The particles' state this capture saw (TrainingEngine counts resets, spawns, settings and
    /// restores): an older capture never moves particles a command has replaced since.
    std::uint64_t particleGeneration = 0;
    /// NCE: log q of the method's noise at the centres of the full-resolution grid over fieldBox()
    /// (computed on the training thread, where the noise lives); empty for other methods.
    core::Rowf noiseLogDensity;
    core::Box fieldBox() const; ///< view grown by 15% on each side
    int fieldResolution() const;
};

using CapturePtr = std::shared_ptr<const TrainerCapture>;

class SnapshotFields {
public:
    using Clock = std::chrono::steady_clock;
    /// How often the fields follow a model that trains (a changed view or method is followed at once).
    static constexpr std::chrono::milliseconds kModelRefresh{200};

    /// Brings the fields up to c; true when they changed. display (the display thread): a view the cached
    /// grid does not cover gets a coarse grid first, and a training model is followed every
    /// kModelRefresh; otherwise (inline snapshots) the fields are evaluated in full whenever c changed.
    bool update(const TrainerCapture& c, bool display, Clock::time_point now = Clock::now());
    /// True when the last update left a coarse grid that the next one refines.
    bool refining() const { return m_coarse; }
    /// Writes the fields into s (fieldSerial included).
    void fill(TrainingSnapshot& s) const;

private:
    std::int64_t m_serial = 0;
    std::int64_t m_modelSerial = -1;
    Clock::time_point m_evaluated{};
    core::Box m_box, m_view; ///< the grid's box and the view it was evaluated for (full resolution)
    int m_res = 0, m_arrows = 0;
    std::string m_method;
    const core::TargetDensity* m_targetId = nullptr;
    bool m_coarse = false;
    core::EnergyGrid m_energy;
    render::ScalarField m_targetEnergy, m_fisher, m_nce;
    VectorGrid m_score, m_targetScore;
    core::Box m_targetView;
    int m_targetRes = 0, m_targetArrows = 0;

    void evaluate(const TrainerCapture& c, const core::Box& box, int res);
};

} // namespace ebm::ui
