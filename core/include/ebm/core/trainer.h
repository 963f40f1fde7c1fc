#pragma once
/// @file trainer.h
/// Trainer: the 2D configuration of the one trainer (modeltrainer.h) — an MLP energy on the plane, trained
/// on a target density with any registered objective. The method, its hyperparameters and the target can
/// change between steps without resetting the model.
#include <ebm/core/density.h>
#include <ebm/core/metrics.h>
#include <ebm/core/mlp.h>
#include <ebm/core/modeltrainer.h>
#include <ebm/core/sampler.h>

#include <memory>
#include <optional>
#include <string>

namespace ebm::core {

/// The persistent chains that give the contrastive objectives their negatives x⁻.
struct ChainOptions {
    /// ULA with ε = 0.02, so that K·ε (how far a chain diffuses per training step) is what K = 20,
    /// ε = 0.01 gave.
    SamplerOptions sampler{.stepSize = 0.02f, .mhSigma = 0.2f};
    /// K sampler steps per training step. 10 rather than 20 (with ε doubled): a training step costs 38%
    /// less, and eight gaussians (seed 1, 1500 steps) ends at KL 0.09 instead of 0.27.
    int steps = 10;
    bool persistent = true;       ///< replay buffer (true) or fresh noise each step (short-run)
    int bufferSize = 8192;        ///< replay buffer capacity (particles)
    float restartFraction = 0.1f; ///< fraction of each negative batch restarted (persistent chains only)
    /// Of the restarted chains, the fraction started at data points (the rest start from uniform noise on
    /// the box). Data starts keep the chains' share of each mode equal to the data's, which chains that
    /// cannot cross between modes would otherwise get wrong; noise starts find spurious low-energy regions.
    float restartFromData = 0.5f;
    /// Fit the chains to the target (on by default; ULA only, the default sampler): Langevin steps no
    /// larger than ⅔·w², w the width of the target's thin features (featureWidths), so that chains across
    /// a feature that wide spread at most 1.5× its variance (docs/math.md, "Langevin's step and a
    /// feature's width"); and MALA instead of ULA where the thin parts are under half the typical width,
    /// since one step cannot suit both and MALA's accept step corrects it where it is too large. With the
    /// presets' widths this leaves ε 0.02 on the ones 0.2 wide and gives 0.004–0.01 on the rings, the
    /// spirals, the squiggle, the donut and the checkerboard, and MALA on the funnel (docs/convergence.md).
    bool adaptToTarget = true;
    void validate() const;
    bool operator==(const ChainOptions&) const = default;
};

/// The sampler the chains run on a target of these widths: options.sampler, fitted to the widths when
/// options.adaptToTarget is set and the sampler is ULA (ChainOptions::adaptToTarget).
SamplerOptions chainSampler(const ChainOptions& options, const FeatureWidths& widths);

struct TrainerOptions : TrainingOptions {
    MlpOptions model;
    ChainOptions chains;
    Box box; ///< region for restarts, metrics and the uniform noise
    /// The model shown and measured is θ̄, the parameters averaged over about the last averageSteps steps
    /// of the current phase (an exponential average with decay 1 − 1/averageSteps, over a tenth of the
    /// steps so far early in the phase); training and its chains use θ itself. 0 = show θ. Every method's
    /// steps end with noise in θ that a decaying learning rate only shrinks; the average removes much of it.
    /// KL at 10000 steps, median of 3 seeds, θ → θ̄: two spirals NCE 0.090 → 0.039, checkerboard SM
    /// 0.179 → 0.098, eight Gaussians CD 0.035 → 0.021 (docs/convergence.md, "The averaged parameters").
    int averageSteps = 200;
    void validate() const; ///< throws InvalidArgument with an actionable message
};

/// Everything needed to continue training bit-identically.
struct TrainerState : TrainingState {
    TrainerOptions options;
    Vecf average;                  ///< θ̄ (empty: no step averaged yet in this phase)
    std::int64_t averaged = 0;     ///< steps in θ̄
    std::int64_t averagePhase = 0; ///< the phase (its first step) θ̄ belongs to
};

class Trainer : public ModelTrainer {
public:
    /// target must not be null. Throws InvalidArgument on bad options.
    Trainer(std::shared_ptr<const TargetDensity> target, const TrainerOptions& options);

    /// Applies new options. The model is re-initialised only if the architecture or the seed changed;
    /// the optimiser state is kept if only hyperparameters changed.
    void setOptions(const TrainerOptions& o);
    /// A new target; the model and optimiser continue from where they are.
    void setTarget(std::shared_ptr<const TargetDensity> target);
    /// Re-initialises model, optimiser, buffer and generator from options().seed.
    void reset();

    const TrainerOptions& options() const { return m_o; }
    /// The model being trained (θ): what the chains sample and the optimiser updates.
    const Mlp<float>& model() const { return static_cast<const Mlp<float>&>(energyModel()); }
    /// The model shown and measured: θ̄, the averaged parameters (TrainerOptions::averageSteps), or θ
    /// when averaging is off or no step has been taken in this phase.
    const Mlp<float>& shownModel() const {
        return m_o.averageSteps > 0 && m_shown && m_averaged > 0 ? *m_shown : model();
    }
    const TargetDensity& target() const { return *m_target; }
    /// What the chains run on the current target: options().chains.sampler, or what adaptToTarget made of
    /// it (the target's widths are measured once per target, ~40 ms, when first needed).
    SamplerOptions chainSampler() const;
    FeatureWidths targetWidths() const;
    std::shared_ptr<const TargetDensity> targetPtr() const { return m_target; }

    /// Metrics by quadrature, with the learned log Z filled in for a noise-contrastive method (heldOut may
    /// be empty).
    Metrics metrics(const Matd& heldOut, const GridSpec& spec) const;

    TrainerState state() const;
    void restore(const TrainerState& s); ///< throws InvalidArgument if inconsistent; changes nothing then

protected:
    const TrainingOptions& trainingOptions() const override { return m_o; }
    TrainingOptions& mutableTrainingOptions() override { return m_o; }
    ModelKind kind() const override { return ModelKind::Plane; }
    std::unique_ptr<EnergyModel<float>> makeModel(Rng& rng) const override;
    void afterStep(StepStats& s) override;

private:
    std::shared_ptr<const TargetDensity> m_target;
    TrainerOptions m_o;
    // θ̄ and the model holding it (averageSteps > 0 and at least one step taken in the phase).
    std::optional<Mlp<float>> m_shown;
    std::int64_t m_averaged = 0;
    std::int64_t m_averagePhase = 0;
    void restartAverage();
};

} // namespace ebm::core
