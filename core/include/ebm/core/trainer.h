#pragma once
/// @file trainer.h
/// Trainer: owns model + objective + optimiser + seed. step() takes one training step with the current
/// method; the method, options and target can be changed between steps without resetting the model.
#include <ebm/core/density.h>
#include <ebm/core/metrics.h>
#include <ebm/core/mlp.h>
#include <ebm/core/optimizer.h>
#include <ebm/core/sampler.h>
#include <memory>
#include <string>

namespace ebm::core {

enum class Method {
    ContrastiveDivergence,
    ExactScoreMatching,
    SlicedScoreMatching,
    DenoisingScoreMatching,
    NoiseContrastive
};
std::string methodName(Method m);            ///< "cd" | "sm" | "ssm" | "dsm" | "nce"
std::string methodLabel(Method m);           ///< "Contrastive divergence", ...
Method parseMethod(const std::string& name); ///< throws InvalidArgument listing the names

struct CdOptions {
    /// Negatives' sampler: ULA with ε = 0.02, so that K·ε (how far a chain diffuses per training step)
    /// is what K = 20, ε = 0.01 gave.
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
    float energyReg = 0.07f; ///< α, weight of the energy-magnitude regulariser
    /// CD's learning rate as a multiple of the optimiser's. CD spends its first few hundred steps on a
    /// ring (the radial profile learned, the modes not yet separated); a ~3× larger, decaying rate leaves
    /// it sooner and more reliably (eight gaussians, K = 10, seeds 1-3: KL < 0.1 first after 1100, 1500
    /// and 1300 steps; at 1×, 0.09, 0.11 and 0.58 after 1500 steps, the last still a ring). A 3.3× rate
    /// for exact SM and NCE costs them accuracy (KL 0.045 / 0.067 vs 0.026 / 0.029 after 3000 steps),
    /// so the factor is CD's own.
    float learningRateScale = 3.0f;
    /// Follow the trainer's learning-rate decay: with the 3× rate, the decay settles the modes (constant
    /// 3× rate: KL jumps between 0.11 and 0.31 after separating).
    bool decayLearningRate = true;
    void validate() const;
};

enum class SmVariant { Exact, Sliced, Denoising };
struct SmOptions {
    float dsmSigma = 0.1f;  ///< DSM noise std (data units)
    int dsmDraws = 8;       ///< DSM noise draws per data point (variance reduction; cost grows linearly)
    bool rademacher = true; ///< SSM projections: Rademacher (true) or Gaussian (false)
    bool varianceReduced = true; ///< SSM: replace ½(vᵀ∇E)² by its mean over v, ½‖∇E‖² (valid as E[vvᵀ] = I)
    int ssmSlices = 4; ///< SSM projections per data point (variance reduction; cost grows linearly)
    /// Follow the trainer's learning-rate decay: score matching's gradients are noisy, and the decay
    /// removes that noise at the end of a phase (exact SM on eight gaussians: KL 0.026 vs 0.081).
    bool decayLearningRate = true;
    void validate() const;
};

enum class NceNoise { Gaussian, Uniform };
std::string nceNoiseName(NceNoise n); ///< "gaussian" | "uniform"
NceNoise parseNceNoise(const std::string&);
struct NceOptions {
    NceNoise noise =
        NceNoise::Gaussian;  ///< Gaussian fitted to the data (mean, covariance), or uniform on the box
    float noiseRatio = 1.0f; ///< ν, noise samples per data sample
    float noiseScale = 1.0f; ///< widens the fitted Gaussian's std by this factor
    /// Follow the trainer's learning-rate decay. Off: NCE's classifier signal is weak and a decayed
    /// rate stalls it (eight gaussians, 3000 steps: KL 0.03 at a constant rate, 0.33 decayed).
    bool decayLearningRate = false;
    void validate() const;
};

struct TrainerOptions {
    Method method = Method::ContrastiveDivergence;
    std::uint64_t seed = 1;
    Index batchSize = 256; ///< data samples per step
    MlpOptions model;
    OptimizerOptions optimizer;
    CdOptions cd;
    SmOptions sm;
    NceOptions nce;
    Box box;                        ///< region for restarts, metrics and the uniform noise
    float divergenceLimit = 1.0e4f; ///< |E| above this on a batch counts as divergence
    /// Learning-rate schedule: lr(t) = lr · lrFinalFactor^(min(t, lrDecaySteps) / lrDecaySteps), with t the
    /// steps since the method or the target last changed (so each phase of a lesson starts fast), for the
    /// methods whose options say decayLearningRate.
    int lrDecaySteps = 3000;    ///< 0 = constant learning rate
    float lrFinalFactor = 0.1f; ///< in (0, 1]
    void validate() const;      ///< throws InvalidArgument with an actionable message
};

/// What one step did.
struct StepStats {
    std::int64_t step = 0; ///< steps taken after this one
    Method method = Method::ContrastiveDivergence;
    double loss = 0;
    double gradNorm = 0;
    double acceptRate = 1.0; ///< CD's sampler acceptance (1 otherwise)
    bool diverged = false;   ///< the step produced NaN/Inf or exploding energies and was rolled back
    std::string message;     ///< what happened, when diverged
};

/// Everything needed to continue training bit-identically.
struct TrainerState {
    TrainerOptions options;
    Vecf theta;
    float logZEstimate = 0;
    OptimizerState optimizer;
    Matf buffer;
    std::int64_t step = 0;
    std::int64_t phaseStart = 0; ///< step at which the current method/target phase began (lr schedule)
    std::string rngState;        ///< the engine's state, as written by operator<<
};

class Trainer {
public:
    /// target must not be null. Throws InvalidArgument on bad options.
    Trainer(std::shared_ptr<const TargetDensity> target, const TrainerOptions& options);
    ~Trainer();
    Trainer(const Trainer&);
    Trainer& operator=(const Trainer&);

    /// One training step. Never throws for numerical trouble: divergence is rolled back and reported.
    StepStats step();

    void setMethod(Method m);
    /// Applies new options. The model is re-initialised only if the architecture or seed changed;
    /// the optimiser state is kept if only hyperparameters changed.
    void setOptions(const TrainerOptions& o);
    /// A new target; the model and optimiser continue from where they are.
    void setTarget(std::shared_ptr<const TargetDensity> target);
    /// Re-initialises model, optimiser, buffer and RNG from options().seed.
    void reset();

    const TrainerOptions& options() const { return m_o; }
    const Mlp<float>& model() const { return *m_model; }
    const TargetDensity& target() const { return *m_target; }
    std::shared_ptr<const TargetDensity> targetPtr() const { return m_target; }
    std::int64_t stepCount() const { return m_step; }
    /// The learning rate the next step will use (after the schedule).
    float currentLearningRate() const;
    /// NCE's learned log Z (c).
    float logZEstimate() const { return m_c; }

    /// The latest batches the objective saw (for the views): data x⁺, CD negatives x⁻, NCE noise.
    const Matf& lastData() const { return m_lastData; }
    const Matf& lastNegatives() const { return m_lastNeg; }
    const Matf& lastNoise() const { return m_lastNoise; }
    /// NCE noise log-density at points (2 x n), as currently fitted (for the decision boundary view).
    Rowf noiseLogDensity(const Matf& X) const;

    /// Metrics by quadrature, with NCE's estimate filled in when method is NCE (heldOut may be empty).
    Metrics metrics(const Matd& heldOut, const GridSpec& spec) const;

    TrainerState state() const;
    void restore(const TrainerState& s); ///< throws InvalidArgument if inconsistent

private:
    struct Impl;
    std::shared_ptr<const TargetDensity> m_target;
    TrainerOptions m_o;
    std::unique_ptr<Mlp<float>> m_model;
    std::unique_ptr<Optimizer> m_opt;
    Rng m_rng;
    float m_c = 0;
    std::int64_t m_step = 0;
    std::int64_t m_phaseStart = 0;
    Matf m_buffer;
    Matf m_lastData, m_lastNeg, m_lastNoise;
    Vecf m_noiseMean; // fitted Gaussian noise
    Matf m_noiseChol; // lower Cholesky factor of its covariance
    void fitNoise();
    void initModel();
};

} // namespace ebm::core
