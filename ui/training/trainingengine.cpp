#include "trainingengine.h"

#include <algorithm>
#include <ebm/core/metrics.h>
#include <ebm/render/fields.h>
#include <sstream>

namespace ebm::ui {

using core::Box;
using core::Index;
using core::Matf;

namespace {
bool sameModelInit(const core::TrainerOptions& a, const core::TrainerOptions& b) {
    return a.model.hidden == b.model.hidden && a.model.activation == b.model.activation && a.seed == b.seed;
}
bool sameSampler(const core::SamplerOptions& a, const core::SamplerOptions& b) {
    return a.kind == b.kind && a.beta == b.beta && a.stepSize == b.stepSize && a.mhSigma == b.mhSigma &&
           a.leapfrogSteps == b.leapfrogSteps;
}
bool sameBox(const Box& a, const Box& b) {
    return a.x0 == b.x0 && a.x1 == b.x1 && a.y0 == b.y0 && a.y1 == b.y1;
}
} // namespace

TrainingEngine::TrainingEngine(const WorkerSettings& s)
    : m_s(s), m_rng(s.trainer.seed ^ 0x9e3779b97f4a7c15ull) {
    m_target = makeTarget(m_s);
    m_s.trainer.box = m_target->suggestedBox();
    m_trainer = std::make_unique<core::Trainer>(m_target, m_s.trainer);
    m_live = core::makeSampler(m_s.live);
    resetParticles();
}

std::shared_ptr<const core::TargetDensity> TrainingEngine::makeTarget(const WorkerSettings& s) const {
    if (s.target == kDrawingTarget) {
        if (!s.drawing) throw core::InvalidArgument("there is no drawing to train on: draw a density first");
        return s.drawing;
    }
    return std::shared_ptr<const core::TargetDensity>(core::makePreset(s.target));
}

void TrainingEngine::apply(const WorkerSettings& in) {
    WorkerSettings s = in;
    // A changed drawing is a new target too; the model and the optimiser carry on from where they are.
    const bool newTarget = s.target != m_s.target || (s.target == kDrawingTarget && s.drawing != m_s.drawing);
    std::shared_ptr<const core::TargetDensity> target;
    if (newTarget) {
        target = makeTarget(s);
        s.trainer.box = target->suggestedBox();
    } else {
        s.trainer.box = m_s.trainer.box;
    }
    // Validate everything before touching the trainer, so bad settings change nothing.
    s.trainer.validate();
    s.live.validate();
    if (target) {
        m_trainer->setTarget(target);
        m_target = target;
    }
    // The trainer keeps the model and optimiser state unless the architecture or the seed changed.
    m_trainer->setOptions(s.trainer);
    ++m_modelSerial;
    if (!sameModelInit(s.trainer, m_s.trainer)) resetParticles();
    {
        // New settings (a sampler, particles paused): the display thread's older capture moves nothing.
        std::unique_ptr<core::Sampler> live =
            sameSampler(s.live, m_s.live) ? nullptr : core::makeSampler(s.live);
        std::lock_guard lock(m_particleMutex);
        if (live) m_live = std::move(live);
        ++m_particleGeneration;
    }
    if (s.trainer.method != m_s.trainer.method) {
        // The next snapshot's loss and step count are the new method's alone (not an average of two).
        m_lossSum = m_acceptSum = 0;
        m_steps = 0;
    }
    const bool newCount = s.particleCount != m_s.particleCount;
    s.view = m_s.view; // the view arrives through setView()
    m_s = s;
    if (newCount) resetParticles();
    if (newTarget) refreshMetrics(true);
    m_dirty = m_showNow = true;
}

void TrainingEngine::save(io::SessionFile& f) const {
    f.trainer = m_trainer->state();
    f.target = m_s.target;
    f.live = m_s.live;
    {
        std::lock_guard lock(m_particleMutex);
        f.particles = m_particles.x;
        std::ostringstream rng;
        rng << m_rng;
        f.liveRngState = rng.str();
    }
    f.stepsPerSecond = m_s.stepsPerSecond;
    f.liveStepsPerChunk = m_s.liveStepsPerChunk;
    f.training = m_s.training;
    f.particlesRunning = m_s.particlesRunning;
    f.gridResolution = m_s.gridResolution;
    f.arrowsAcross = m_s.arrowsAcross;
}

WorkerSettings TrainingEngine::settingsOf(const io::SessionFile& f,
                                          std::shared_ptr<const core::TargetDensity> target) {
    WorkerSettings s;
    s.trainer = f.trainer.options;
    s.target = f.target;
    if (f.target == kDrawingTarget) s.drawing = std::move(target);
    s.live = f.live;
    s.particleCount = int(f.particles.cols());
    s.stepsPerSecond = f.stepsPerSecond;
    s.liveStepsPerChunk = f.liveStepsPerChunk;
    s.training = f.training;
    s.particlesRunning = f.particlesRunning;
    s.view = f.view;
    s.gridResolution = f.gridResolution;
    s.arrowsAcross = f.arrowsAcross;
    return s;
}

void TrainingEngine::restore(const io::SessionFile& f, std::shared_ptr<const core::TargetDensity> target) {
    if (!target) throw core::InvalidArgument("session: no target density");
    WorkerSettings s = settingsOf(f, target);
    s.live.validate();
    auto trainer = std::make_unique<core::Trainer>(target, f.trainer.options);
    trainer->restore(f.trainer); // throws, changing nothing, if the state is inconsistent
    core::Rng rng;
    std::istringstream is(f.liveRngState);
    is >> rng;
    if (is.fail())
        throw core::InvalidArgument("session: the particles' random generator state is unreadable");
    auto live = core::makeSampler(s.live);
    // All checked: apply.
    s.view = m_s.view.valid() ? m_s.view : f.view;
    m_s = s;
    m_trainer = std::move(trainer);
    m_target = std::move(target);
    ++m_modelSerial;
    {
        std::lock_guard lock(m_particleMutex);
        m_live = std::move(live);
        m_rng = rng;
        m_particles.x = f.particles;
        m_particles.invalidate();
        m_spawnCursor = 0;
        m_liveAcceptSum = 0;
        m_liveRuns = 0;
        ++m_particleGeneration;
    }
    m_pendingSteps = 0;
    m_lossSum = m_acceptSum = 0;
    m_steps = 0;
    refreshMetrics(true);
    m_dirty = m_showNow = true;
}

void TrainingEngine::setView(const Box& view) {
    if (!view.valid() || sameBox(view, m_s.view)) return;
    m_s.view = view;
    m_dirty = m_showNow = true;
}

void TrainingEngine::reset() {
    m_trainer->reset();
    ++m_modelSerial;
    resetParticles();
    m_lossSum = m_acceptSum = 0;
    m_steps = 0;
    refreshMetrics(true);
    m_dirty = m_showNow = true;
}

void TrainingEngine::resetParticles() {
    {
        std::lock_guard lock(m_particleMutex);
        resetParticlesLocked();
    }
    m_dirty = m_showNow = true;
}

void TrainingEngine::resetParticlesLocked() {
    const Box b = m_s.trainer.box;
    Matf u(2, std::max(1, m_s.particleCount));
    core::fillUniform(u, m_rng);
    u.row(0) = (u.row(0).array() * float(b.width()) + float(b.x0)).matrix();
    u.row(1) = (u.row(1).array() * float(b.height()) + float(b.y0)).matrix();
    m_particles.x = u;
    m_particles.invalidate();
    m_spawnCursor = 0;
    ++m_particleGeneration;
}

void TrainingEngine::spawn(double x, double y, int n) {
    std::unique_lock lock(m_particleMutex);
    const Index count = m_particles.size();
    n = int(std::min<Index>(n, count));
    Matf z(2, n);
    core::fillNormal(z, m_rng);
    const float r = float(0.02 * std::max(m_s.view.width(), m_s.view.height()));
    for (int k = 0; k < n; ++k) {
        const Index j = (m_spawnCursor + k) % count;
        m_particles.x(0, j) = float(x) + r * z(0, k);
        m_particles.x(1, j) = float(y) + r * z(1, k);
    }
    m_spawnCursor = int((m_spawnCursor + n) % count);
    m_particles.invalidate();
    ++m_particleGeneration;
    lock.unlock();
    m_dirty = m_showNow = true;
}

bool TrainingEngine::wantsToRun() const {
    // Particles moved by the display thread are no reason for the training thread to run.
    return m_s.training || (m_s.particlesRunning && !m_particlesElsewhere) || m_pendingSteps > 0 || m_dirty;
}

void TrainingEngine::trainOneStep() {
    const core::StepStats st = m_trainer->step();
    m_lossSum += st.loss;
    m_acceptSum += st.acceptRate;
    ++m_steps;
    ++m_rateSteps;
    ++m_modelSerial;
    if (st.diverged) {
        m_diverged = true;
        m_message = st.message;
    }
}

void TrainingEngine::trainSteps(int n) {
    for (int i = 0; i < n; ++i)
        trainOneStep();
    if (n > 0) m_dirty = true;
}

int TrainingEngine::trainingStepsNow() {
    const auto now = std::chrono::steady_clock::now();
    if (!m_s.training || m_s.stepsPerSecond <= 0) {
        m_paceClock = {};
        return 0;
    }
    // At a set speed: the steps owed since the last chunk. The credit is capped at a quarter of a second
    // of steps, so a stall (a slow step, a dialog) does not come back as a burst.
    if (m_paceClock != std::chrono::steady_clock::time_point{}) {
        const double rate = m_s.stepsPerSecond;
        m_paceCredit =
            std::min(m_paceCredit + std::chrono::duration<double>(now - m_paceClock).count() * rate,
                     std::max(1.0, 0.25 * rate));
    } else {
        m_paceCredit = 1; // the first step at once
    }
    m_paceClock = now;
    const int steps = int(m_paceCredit);
    m_paceCredit -= steps;
    return steps;
}

void TrainingEngine::advance(bool publishing) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    int steps = trainingStepsNow();
    if (!m_s.training && m_pendingSteps > 0) steps = m_pendingSteps;
    m_pendingSteps = 0;
    for (int i = 0; i < steps; ++i)
        trainOneStep();
    // A command changed the scene (reset, settings, view, particles): the next snapshot shows it before
    // another slice of training, so a switch is on screen within one frame.
    if (m_s.training && m_s.stepsPerSecond <= 0 && !(publishing && m_showNow)) {
        // As fast as possible: train for a slice of time, then hand over a snapshot. Inline (tests), the
        // slice is twice what the last snapshot cost (so building snapshots takes at most a third of the
        // time), 25..100 ms. With a display thread the snapshot here is a capture (well under a
        // millisecond): 25 ms slices, so commands apply and the display gets new parameters within that.
        const auto slice = std::clamp<clock::duration>(2 * m_snapshotCost, std::chrono::milliseconds(25),
                                                       std::chrono::milliseconds(100));
        do {
            trainOneStep();
            ++steps;
        } while (clock::now() - start < slice);
    }
    // Inline, the live particles move once per snapshot: a chunk nobody will see costs no sampling.
    if (!m_particlesElsewhere && publishing && (m_s.particlesRunning || steps > 0)) {
        const auto liveStart = clock::now();
        TrainerCapture c;
        c.modelSerial = m_modelSerial;
        c.liveSteps = m_s.liveStepsPerChunk;
        c.particleGeneration = m_particleGeneration; // this thread's own state
        moveParticles(c, true);
        m_snapshotCost = clock::now() - liveStart; // snapshot() adds its own time
    }
    if (steps > 0) m_dirty = true;
}

core::Matf TrainingEngine::moveParticles(const TrainerCapture& c, bool move) {
    std::lock_guard lock(m_particleMutex);
    if (move && c.liveSteps > 0 && c.particleGeneration == m_particleGeneration) {
        // The parameters changed since the particles' energies were cached: evaluate them afresh.
        if (m_particleModel != c.modelSerial) m_particles.invalidate();
        m_particleModel = c.modelSerial;
        const core::EnergyModel<float>& model =
            c.base.model ? static_cast<const core::EnergyModel<float>&>(*c.base.model)
                         : m_trainer->shownModel();
        const core::SamplerStats ss = m_live->run(model, m_particles, c.liveSteps, m_rng);
        m_liveAcceptSum += ss.acceptRate;
        ++m_liveRuns;
    }
    return m_particles.x;
}

void TrainingEngine::refreshMetrics(bool force) {
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - m_lastMetrics < std::chrono::milliseconds(400)) return;
    m_lastMetrics = now;
    const core::GridSpec spec{m_s.trainer.box, 96};
    const core::EnergyGrid g = core::evaluateGrid(m_trainer->shownModel(), spec);
    m_logZ = core::logPartition(g, 1.0);
    m_logZBeta = core::logPartition(g, m_s.live.beta);
    m_kl = m_trainer->metrics(core::Matd(2, 0), spec).kl;
}

CapturePtr TrainingEngine::capture() {
    auto cap = std::make_shared<TrainerCapture>();
    TrainingSnapshot* snap = &cap->base;
    const core::Trainer& tr = *m_trainer;
    cap->serial = ++m_captureSerial;
    cap->modelSerial = m_modelSerial;
    cap->target = m_target;
    cap->view = m_s.view;
    cap->gridResolution = m_s.gridResolution;
    cap->arrowsAcross = m_s.arrowsAcross;
    cap->particlesMoving = m_s.particlesRunning || m_s.training;
    cap->liveSteps = m_s.liveStepsPerChunk;
    cap->urgent = m_showNow;
    snap->epoch = m_epoch;
    snap->step = tr.stepCount();
    snap->method = tr.options().method;
    snap->targetName = m_s.target;
    snap->playing = m_s.training;
    snap->model = std::make_shared<const core::Mlp<float>>(tr.shownModel());
    snap->beta = m_s.live.beta;
    const core::ObjectiveInfo& method = snap->methodInfo();
    if (method.needs.noise) {
        snap->noise = tr.lastNoise();
        snap->logZEstimate = tr.logZEstimate();
        const int res = cap->fieldResolution();
        if (cap->view.valid())
            cap->noiseLogDensity = tr.noiseLogDensity(render::gridCentres(cap->fieldBox(), res, res));
    }
    if (method.needs.negatives) {
        snap->negatives = tr.lastNegatives();
        snap->chainSampler = tr.chainSampler();
        snap->targetWidths = tr.targetWidths();
    }
    snap->data = tr.lastData();

    refreshMetrics(false);
    snap->logZ = m_logZ;
    snap->logZBeta = m_logZBeta;
    snap->kl = m_kl;

    const auto now = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(now - m_rateStart).count();
    if (secs > 0.5) {
        m_stepsPerSecond = m_rateSteps / secs;
        m_rateStart = now;
        m_rateSteps = 0;
    }
    if (!m_s.training) m_stepsPerSecond = 0;
    snap->stepsPerSecond = m_stepsPerSecond;
    snap->stepsInChunk = m_steps;
    snap->loss = m_steps > 0 ? m_lossSum / m_steps : std::numeric_limits<double>::quiet_NaN();
    snap->acceptRate = m_steps > 0 ? m_acceptSum / m_steps : std::numeric_limits<double>::quiet_NaN();
    {
        std::lock_guard lock(m_particleMutex);
        cap->particleGeneration = m_particleGeneration;
        snap->liveAcceptRate = m_liveRuns > 0 ? m_liveAcceptSum / m_liveRuns : 1.0;
        m_liveAcceptSum = 0;
        m_liveRuns = 0;
    }
    snap->diverged = m_diverged;
    snap->message = m_message;
    m_lossSum = m_acceptSum = 0;
    m_steps = 0;
    m_diverged = false;
    m_message.clear();
    m_dirty = false;
    m_showNow = false;
    return cap;
}

SnapshotPtr TrainingEngine::snapshot() {
    const auto costStart = std::chrono::steady_clock::now();
    const CapturePtr cap = capture();
    auto snap = std::make_shared<TrainingSnapshot>(cap->base);
    snap->serial = ++m_serial;
    m_fields.update(*cap, false);
    m_fields.fill(*snap);
    snap->particles = moveParticles(*cap, false);
    m_snapshotCost += std::chrono::steady_clock::now() - costStart; // with the live sampler's run
    return snap;
}

} // namespace ebm::ui
