#pragma once
/// @file trainingengine.h
/// The worker's state: a Trainer, the live particles and their sampler, and the construction of
/// snapshots. Driven directly (tests), snapshot() builds a whole snapshot inline. TrainingWorker drives
/// it from two threads: the training thread trains and hands over capture()s, the display thread moves
/// the particles with moveParticles() and evaluates the fields (SnapshotFields) at the display rate. The
/// particles are the one state both threads touch: a mutex guards them.
#include "snapshotfields.h"
#include "trainingsnapshot.h"
#include "workersettings.h"
#include <chrono>
#include <ebm/core/sampler.h>
#include <ebm/core/trainer.h>
#include <ebm/io/session.h>
#include <memory>
#include <mutex>

namespace ebm::ui {

class TrainingEngine {
public:
    explicit TrainingEngine(const WorkerSettings& s);

    /// Applies the difference between s and the current settings (between chunks); s.view is ignored.
    void apply(const WorkerSettings& s);
    /// The visible data box: the grids and the arrows follow it.
    void setView(const core::Box& view);
    void reset();                          ///< model, optimiser and particles from the seed
    void resetParticles();                 ///< live particles uniform over the trainer's box
    void spawn(double x, double y, int n); ///< replaces the n oldest live particles by a blob at (x, y)
    void requestSteps(int n) { m_pendingSteps += n; }
    void markDirty() { m_dirty = true; }

    /// True when advance() has something to do (training, moving particles, pending steps, a redraw).
    bool wantsToRun() const;
    /// True when advance() trains flat out (then the worker doesn't pace): training as fast as possible,
    /// or single steps pending. At a set speed the worker paces and advance() takes the steps due.
    bool busy() const { return (m_s.training && m_s.stepsPerSecond <= 0) || m_pendingSteps > 0; }
    /// One chunk: training for a time slice (as fast as possible), the steps due at the set speed, or
    /// the pending single steps; then, when `publishing` (a snapshot follows), the live sampler (unless
    /// another thread moves the particles, see setParticlesMovedElsewhere).
    void advance(bool publishing = true);
    /// The display thread moves the particles (moveParticles()): advance() leaves them alone and a
    /// chunk takes at most a short slice, so captures stay fresh.
    void setParticlesMovedElsewhere(bool on) { m_particlesElsewhere = on; }
    /// Takes n training steps now, whatever the speed and play state (tests and scripted use: a fixed
    /// number of steps, where advance() trains for a time slice).
    void trainSteps(int n);
    /// Builds the snapshot of the current state (capture, fields, particles); resets the chunk
    /// accumulators.
    SnapshotPtr snapshot();
    /// The training thread's half of a snapshot (cheap: no fields, no particles); resets the chunk
    /// accumulators.
    CapturePtr capture();
    /// Thread-safe: moves the live particles with the capture's parameters (when `move`, c.liveSteps
    /// sampler steps) and returns them.
    core::Matf moveParticles(const TrainerCapture& c, bool move);

    /// Writes what this session owns into s: the trainer's complete state, the live sampler, particles
    /// and their generator, the run settings and the target's name (not the view, display or history).
    void save(io::SessionFile& s) const;
    /// Replaces everything from a saved session. target is the density it names (a preset, or its
    /// drawing as a GridDensity). Everything is checked before anything changes: on an exception the
    /// session is as it was.
    void restore(const io::SessionFile& s, std::shared_ptr<const core::TargetDensity> target);
    /// Counts an attempt to open a session (successful or not); snapshots carry the count.
    void nextEpoch() { ++m_epoch; }
    /// The settings a saved session stands for (drawing = target when it is a drawing).
    static WorkerSettings settingsOf(const io::SessionFile& s,
                                     std::shared_ptr<const core::TargetDensity> target);

    const WorkerSettings& settings() const { return m_s; }
    const core::Trainer& trainer() const { return *m_trainer; }

private:
    WorkerSettings m_s;
    std::unique_ptr<core::Trainer> m_trainer;
    std::shared_ptr<const core::TargetDensity> m_target;
    // The live particles, their sampler and generator, and their acceptance since the last capture.
    mutable std::mutex m_particleMutex; // guards the members up to m_liveRuns
    std::unique_ptr<core::Sampler> m_live;
    core::ParticleSet m_particles;
    core::Rng m_rng;
    std::int64_t m_particleModel = -1;      ///< the modelSerial the particles' cached energies belong to
    std::uint64_t m_particleGeneration = 0; ///< counts commands that replaced particles or their settings
    double m_liveAcceptSum = 0;
    int m_liveRuns = 0;
    int m_spawnCursor = 0;
    bool m_particlesElsewhere = false;
    std::int64_t m_modelSerial = 0, m_captureSerial = 0;
    SnapshotFields m_fields; ///< snapshot()'s fields (the display thread keeps its own)
    int m_pendingSteps = 0;
    bool m_dirty = true;
    bool m_showNow = true; ///< a command changed the scene: the next snapshot comes before more training
    std::int64_t m_serial = 0;
    std::int64_t m_epoch = 0;

    // Accumulated since the last snapshot.
    double m_lossSum = 0, m_acceptSum = 0;
    int m_steps = 0;
    bool m_diverged = false;
    std::string m_message;
    std::chrono::steady_clock::time_point m_rateStart = std::chrono::steady_clock::now();
    std::int64_t m_rateSteps = 0;
    double m_stepsPerSecond = 0;
    // Pacing: how long the last snapshot (with the live sampler) took, and the steps owed at a set speed.
    std::chrono::steady_clock::duration m_snapshotCost{};
    std::chrono::steady_clock::time_point m_paceClock{};
    double m_paceCredit = 0;

    // Slow-changing figures, refreshed every few hundred ms.
    std::chrono::steady_clock::time_point m_lastMetrics{};
    double m_logZ = 0, m_logZBeta = 0, m_kl = std::numeric_limits<double>::quiet_NaN();

    std::shared_ptr<const core::TargetDensity> makeTarget(const WorkerSettings& s) const;
    void refreshMetrics(bool force);
    int trainingStepsNow(); ///< how many steps this chunk takes (as fast as possible: 0, see advance)
    void trainOneStep();
    void resetParticlesLocked();
};

} // namespace ebm::ui
