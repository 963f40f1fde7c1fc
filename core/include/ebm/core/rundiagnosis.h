#pragma once
/// @file rundiagnosis.h
/// The stuck-run diagnostic: fed the figures of each chunk of training (step, KL when evaluated, the
/// negatives' acceptance, the loss, divergence rollbacks), it names at most one likely problem — KL flat,
/// the run unstable (KL rising, energies exploding), the chains' acceptance collapsed — with its cause and
/// the setting to change. A finding lasts until the run recovers or the settings change (restart()); the
/// thresholds and why they were chosen are next to them in rundiagnosis.cpp.
#include <ebm/core/sampler.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <string>

namespace ebm::core {

/// What one chunk of training showed.
struct RunObservation {
    std::int64_t step = 0; ///< training steps taken at the end of the chunk
    int steps = 1;         ///< steps the chunk took (weighs its acceptance)
    /// KL(target‖model) in nats when evaluated; NaN otherwise. A value equal to the previous one is the
    /// same evaluation seen again (a window repeats the last KL between evaluations) and is skipped.
    double kl = std::numeric_limits<double>::quiet_NaN();
    /// The negatives' sampler acceptance over the chunk; NaN when there was none.
    double acceptRate = std::numeric_limits<double>::quiet_NaN();
    double loss = std::numeric_limits<double>::quiet_NaN(); ///< mean loss; NaN when the chunk had none
    bool diverged = false; ///< a step of the chunk was rolled back (NaN/Inf or exploding energies)
};

enum class RunProblem {
    None,
    KlFlat,              ///< KL stays high and stopped improving (flat, or worse but not rising fast)
    Unstable,            ///< KL rising steadily, or repeated divergence rollbacks
    AcceptanceCollapsed, ///< the negatives' sampler rejects nearly every move
};

struct RunFinding {
    RunProblem problem = RunProblem::None;
    std::string summary; ///< a few words for a status bar ("Stuck: KL 0.52, not improving")
    std::string message; ///< what was seen, the likely cause and the setting to change (one or two sentences)
    explicit operator bool() const { return problem != RunProblem::None; }
};

/// What the diagnostic knows of the run's settings: the method and its chains' sampler.
struct RunSetup {
    std::string method = "cd";                        ///< a registered objective's name
    SamplerKind chainSampler = SamplerKind::Langevin; ///< the negatives' sampler (a method with negatives)
};

class RunDiagnosis {
public:
    // The rules' thresholds (why each value: rundiagnosis.cpp).
    static constexpr std::int64_t kWindowSteps = 1500; ///< the KL and divergence window, in steps
    static constexpr double kStuckKl = 0.3;            ///< KL (nats) above which a flat run is stuck
    static constexpr double kFlatImprovement = 0.03;   ///< flat: improved by less than this fraction
    static constexpr double kFlatRecovered = 0.10;     ///< a flat finding clears after this improvement
    static constexpr double kRiseFactor = 1.5;         ///< rising: KL grew by this factor over the window
    static constexpr double kRiseNats = 0.1;           ///< ... and by at least this many nats
    static constexpr double kRiseRecovered = 1.2;      ///< a rising finding clears below this growth
    static constexpr int kDivergences = 3;             ///< rollbacks in the window that make a run unstable
    static constexpr std::int64_t kAcceptSteps = 200;  ///< the acceptance window, in steps
    static constexpr double kAcceptCollapsed = 0.05;   ///< acceptance below this has collapsed
    static constexpr double kAcceptRecovered = 0.15;   ///< an acceptance finding clears above this
    static constexpr std::int64_t kSettleSteps = 200;  ///< steps ignored after restart()

    explicit RunDiagnosis(RunSetup setup = {});

    /// New settings (or a new model): forgets the history and the finding. Chunks up to step fromStep +
    /// kSettleSteps are ignored: they may have trained partly with the old settings.
    void restart(RunSetup setup, std::int64_t fromStep = 0);
    /// Adds a chunk and returns the finding as of it (None while the run looks fine). A step lower than
    /// the last one (a reset, an undo) starts the history afresh.
    const RunFinding& observe(const RunObservation& o);
    const RunFinding& finding() const { return m_finding; }
    const RunSetup& setup() const { return m_setup; }

    /// True for a sampler with a Metropolis accept step (random-walk MH, MALA, HMC): only their
    /// acceptance can collapse (ULA accepts every move).
    static bool hasAcceptStep(SamplerKind k);

private:
    struct KlPoint {
        std::int64_t step;
        double kl;
    };
    struct Chunk {
        std::int64_t step;
        int steps;
        double accept;
    };
    RunSetup m_setup;
    std::int64_t m_ignoreUntil = 0;
    std::int64_t m_lastStep = -1;
    std::deque<KlPoint> m_kl;
    std::deque<Chunk> m_accept;
    std::deque<std::int64_t> m_divergences; ///< steps of the chunks with a rollback
    RunFinding m_finding;
    double m_findingKl = 0; ///< the KL when the current finding was raised (a flat one clears 10% below)

    void forget();
    RunFinding unstable() const;
    RunFinding acceptanceCollapsed() const;
    RunFinding klFlat() const;
    bool recovered() const;
    /// Means of the KL evaluations in the first and the last third of the window (the first includes the
    /// reference at or before the window's start; the last evaluation alone when the last third has
    /// none); false until the history spans a whole window with three evaluations.
    bool klTrend(double& early, double& late) const;
    double acceptance() const; ///< steps-weighted mean over the last kAcceptSteps (NaN: too few steps)
};

} // namespace ebm::core
