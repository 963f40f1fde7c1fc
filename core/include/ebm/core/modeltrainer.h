#pragma once
/// @file modeltrainer.h
/// ModelTrainer: the one training loop for any EnergyModel on any TrainingDomain. It owns the model, the
/// optimiser (with the learning-rate schedule), the domain (data, replay buffer, noise), the generator and
/// the step counts; each step asks the registered objective named by the options for the loss and
/// gradient, applies it through the divergence watchdog, and keeps the chains of a kept step. The 2D
/// Trainer and the ImageTrainer are configurations of it: they choose the model and the domain.
#include <ebm/core/objective.h>
#include <ebm/core/optimizer.h>

#include <memory>
#include <string>

namespace ebm::core {

/// The options every configuration shares.
struct TrainingOptions {
    std::string method = "cd"; ///< a registered objective's name
    std::uint64_t seed = 1;
    Index batchSize = 256; ///< data samples per step
    OptimizerOptions optimizer;
    MethodParams params{ModelKind::Plane}; ///< every method's hyperparameters (schema values)
    float divergenceLimit = 1.0e4f;        ///< |E| above this on 32 of a batch's points: divergence
    /// Learning-rate schedule: lr(t) = lr · lr_scale · max(lrFloorFactor, lrFinalFactor^(t / lrDecaySteps)),
    /// t the steps since the method or the target last changed (so each phase of a lesson starts fast), for
    /// the methods whose decay_lr is set; lr_scale is the method's own factor (1 if it has none).
    int lrDecaySteps = 3000;    ///< 0 = constant learning rate
    float lrFinalFactor = 0.1f; ///< in (0, 1]: the factor reached after lrDecaySteps
    /// In (0, lrFinalFactor]: where the decay stops; at the final factor (the default) the rate is held
    /// there after lrDecaySteps. Lower floors keep decaying 10× per lrDecaySteps: that helps where the noisy
    /// updates at a tenth of the rate keep a run from settling (the checkerboard with the hinge: KL at 10000
    /// steps, median of 3 seeds, 0.62 → 0.33 at a floor of 0.01) but slows the ones still learning (the
    /// two spirals with SM 0.24 → 0.44, seed 1, before the averaged parameters), so a lower floor is a
    /// recommended setting, not the default. The 2D trainer's averaged parameters (averageSteps) remove
    /// much of the same noise for every method.
    float lrFloorFactor = 0.1f;
    /// The method's hyperparameter (shortcut for params.get(method, key)).
    double param(const std::string& key) const { return params.get(method, key); }
    void validate(ModelKind kind) const; ///< throws InvalidArgument with an actionable message
};

/// What one step did.
struct StepStats {
    std::int64_t step = 0; ///< steps taken after this one
    std::string method;    ///< the objective's name
    double loss = 0;
    double gradNorm = 0;
    double acceptRate = 1.0; ///< the negatives' sampler acceptance (1 otherwise)
    bool diverged = false;   ///< the step produced NaN/Inf or exploding energies and was rolled back
    /// A configuration's guard acted after this step (ImageTrainer: the image chains' energy ran away
    /// from the data's, and it rewound the run to an earlier checkpoint, or gave up); message says what.
    bool guardEvent = false;
    std::string message; ///< what happened, when diverged or at a guard event
};

/// The training state besides the options: enough to continue bit for bit.
struct TrainingState {
    Vecf theta;
    float logZEstimate = 0;
    OptimizerState optimizer;
    Matf buffer;
    std::int64_t step = 0;
    std::int64_t phaseStart = 0; ///< step at which the current method/target phase began (lr schedule)
    std::string rngState;        ///< the engine's state, as written by operator<<
};

namespace detail {
/// A unique_ptr that copies by clone(), so that trainers copy with the compiler's copy constructor.
template <class T> class Cloned {
public:
    Cloned() = default;
    Cloned(std::unique_ptr<T> p) : m_p(std::move(p)) {}
    Cloned(const Cloned& o) : m_p(o.m_p ? o.m_p->clone() : nullptr) {}
    Cloned(Cloned&&) noexcept = default;
    Cloned& operator=(const Cloned& o) {
        if (this != &o) m_p = o.m_p ? o.m_p->clone() : nullptr;
        return *this;
    }
    Cloned& operator=(Cloned&&) noexcept = default;
    T& operator*() const { return *m_p; }
    T* operator->() const { return m_p.get(); }
    T* get() const { return m_p.get(); }

private:
    std::unique_ptr<T> m_p;
};
} // namespace detail

class ModelTrainer {
public:
    virtual ~ModelTrainer() = default;

    /// One training step with the current method. Never throws for numerical trouble: divergence is rolled
    /// back and reported.
    StepStats step();

    /// Switches the method (a registered objective supporting this model kind); the model, optimiser
    /// state and replay buffer carry on, and a new learning-rate phase starts. Throws InvalidArgument.
    void setMethod(const std::string& method);
    const std::string& method() const { return trainingOptions().method; }
    const Objective& currentObjective() const { return objective(method()); }

    std::int64_t stepCount() const { return m_step; }
    /// The learning rate the next step will use (after the method's factor and the schedule).
    float currentLearningRate() const;
    /// A noise-contrastive objective's learned log Z (c).
    float logZEstimate() const { return m_c; }
    const EnergyModel<float>& energyModel() const { return *m_model; }
    const TrainingDomain& domain() const { return *m_domain; }
    /// The replay buffer (d x buffer size): the persistent chains' current states.
    const Matf& buffer() const { return m_domain->buffer(); }

    /// The latest batches the objective saw (for the views): data x⁺, negatives x⁻, noise.
    const Matf& lastData() const { return m_lastData; }
    const Matf& lastNegatives() const { return m_lastNeg; }
    const Matf& lastNoise() const { return m_lastNoise; }
    /// What the current method contrasts the data with: its negatives, its noise, or nothing (empty).
    const Matf& lastContrast() const;
    /// The noise log-density at X as the current noise-contrastive settings define it.
    Rowf noiseLogDensity(const Matf& X) const;

protected:
    ModelTrainer() = default;
    ModelTrainer(const ModelTrainer&) = default;
    ModelTrainer& operator=(const ModelTrainer&) = default;

    virtual const TrainingOptions& trainingOptions() const = 0;
    virtual TrainingOptions& mutableTrainingOptions() = 0;
    virtual ModelKind kind() const = 0;
    /// A fresh model with weights drawn from rng.
    virtual std::unique_ptr<EnergyModel<float>> makeModel(Rng& rng) const = 0;

    /// Sets the domain (once, before reset()).
    void setDomain(std::unique_ptr<TrainingDomain> d) { m_domain = std::move(d); }
    TrainingDomain& mutableDomain() { return *m_domain; }
    Rng& generator() { return m_rng; }
    EnergyModel<float>& mutableModel() { return *m_model; }
    /// Re-initialises model, optimiser, replay buffer and generator from the options' seed.
    void resetTraining();
    /// New options were applied (not needing a reset): reconfigures the optimiser (a new kind starts from
    /// zero moments) and starts a new phase if the method changed.
    void optionsChanged(const TrainingOptions& previous);
    /// A new learning-rate phase starts now (a new target).
    void startPhase() { m_phaseStart = m_step; }
    /// The step at which the current method/target phase began.
    std::int64_t phaseStart() const { return m_phaseStart; }
    /// Replaces θ and restarts the optimiser's moments.
    void replaceParameters(const Vecf& theta);
    /// Called at the end of every step, after the step count advanced; a configuration's guard may
    /// rewind() here and report it in s.
    virtual void afterStep(StepStats& s) { (void)s; }
    /// Puts θ, log Z, the optimiser's state and the replay buffer back to those of s (a state this trainer
    /// produced, of the same architecture); the step count, the learning-rate phase and the generator carry
    /// on, so the run continues from the earlier point with new randomness.
    void rewind(const TrainingState& s);

    TrainingState trainingState() const;
    /// Checks s against a model (of the restored options' architecture) and a domain (configured by
    /// them), then applies all three; throws InvalidArgument and changes nothing if s is inconsistent.
    void restoreTraining(const TrainingState& s, const OptimizerOptions& optimizer,
                         std::unique_ptr<EnergyModel<float>> model, std::unique_ptr<TrainingDomain> domain);

private:
    detail::Cloned<TrainingDomain> m_domain;
    detail::Cloned<EnergyModel<float>> m_model;
    detail::Cloned<Optimizer> m_opt;
    Rng m_rng;
    float m_c = 0;
    std::int64_t m_step = 0;
    std::int64_t m_phaseStart = 0;
    Matf m_lastData, m_lastNeg, m_lastNoise;
};

} // namespace ebm::core
