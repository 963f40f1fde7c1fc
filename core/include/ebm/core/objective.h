#pragma once
/// @file objective.h
/// A training objective: one way to turn a batch of data into a loss and a parameter gradient for an
/// energy model (contrastive divergence, score matching, NCE, LeCun's margin losses, ...). Each is one
/// class in core/src/objective/, registered once in core/src/objective/registry.cpp; everything that lists
/// methods (trainer, panels, CLI, session files, bench, keys 1–9) asks the registry (docs/architecture.md).
#include <ebm/core/domain.h>
#include <ebm/core/model.h>
#include <ebm/core/params.h>

#include <memory>
#include <string>
#include <vector>

namespace ebm::core {

enum class Family { Contrastive, ScoreMatching, NoiseContrastive };
std::string familyName(Family f);  ///< "contrastive" | "score-matching" | "noise-contrastive"
std::string familyLabel(Family f); ///< "Contrastive (MCMC negatives)", ...

/// What an objective takes from the trainer besides the data batch.
struct Needs {
    bool negatives = false; ///< MCMC negatives x⁻ from the chains (replay buffer, sampler)
    bool noise = false;     ///< noise samples and their log-density (and learns log Z)
    int derivativeOrder = 0; ///< highest x-derivative of E the loss uses (0, 1 or 2)
};

struct ObjectiveInfo {
    std::string name;       ///< "cd", "ssm", "hinge", ... (CLI, files)
    std::string label;      ///< "Contrastive divergence"
    std::string shortLabel; ///< "CD" (legends, chart series)
    std::string help;       ///< one line for tooltips and --help
    Family family = Family::Contrastive;
    Needs needs;
    /// Its expected gradient is zero when exp(−E) is the target's density: CD (up to its chains' bias),
    /// exact and sliced SM, NCE; DSM at the density smoothed by its noise σ. False for LeCun's margin
    /// losses, which keep pushing a model that fits (docs/math.md, "The target is not their fixed point");
    /// the stuck-run diagnostic says so.
    bool fitsDensity = true;
    bool plane = true, image = true; ///< model kinds it supports
    bool supports(ModelKind k) const { return k == ModelKind::Plane ? plane : image; }
};

/// What the trainer hands an objective for one step.
struct StepContext {
    const EnergyModel<float>& model;
    const Matf& data; ///< d x B data batch x⁺
    const ParamSet& params;
    TrainingDomain& domain;
    Rng& rng;
    float logZ = 0; ///< the learned log-normaliser c (noise-contrastive objectives)

    /// Negatives for this batch (chains from the replay buffer, advanced by the sampler). Call once.
    Matf negatives();
    // Filled in by the calls above / the objective, for the views and the step statistics:
    Matf usedNegatives, usedNoise;
    double acceptRate = 1.0;
};

class Objective {
public:
    virtual ~Objective() = default;
    virtual const ObjectiveInfo& info() const = 0;
    /// The hyperparameters for a model kind (ranges and defaults may differ between 2D and images).
    virtual Schema schema(ModelKind kind) const = 0;
    /// The loss on ctx.data; ADDS dLoss/dθ into grad (sized numParams()) and dLoss/dc into gradC.
    virtual float lossGrad(StepContext& ctx, Vecf& grad, float& gradC) const = 0;
};

/// The registered objectives, in the order of the method lists and keys 1–9.
const std::vector<const Objective*>& objectives();
/// The objective named name; throws InvalidArgument listing the valid names.
const Objective& objective(const std::string& name);
/// The objective named name, or nullptr.
const Objective* findObjective(const std::string& name);
/// Names of the objectives that support kind, in registry order.
std::vector<std::string> objectiveNames(ModelKind kind);

/// Keys every objective's schema may use, read by the trainer itself: the learning rate as a multiple of
/// the optimiser's ("lr_scale", default 1), and whether it follows the trainer's decay ("decay_lr"; a
/// schema without it, like the image methods', follows it).
inline constexpr const char* kLearningRateScaleKey = "lr_scale";
inline constexpr const char* kDecayKey = "decay_lr";

/// The hyperparameter values of every objective that supports a model kind, each starting at its
/// schema's defaults. Switching the method keeps each method's values.
class MethodParams {
public:
    explicit MethodParams(ModelKind kind = ModelKind::Plane);
    ModelKind kind() const { return m_kind; }
    /// The values for method; throws InvalidArgument for an unknown method.
    const ParamSet& of(const std::string& method) const;
    double get(const std::string& method, const std::string& key) const;
    /// Sets one value; throws InvalidArgument for an unknown method or key, or a value out of range.
    void set(const std::string& method, const std::string& key, double value);
    /// Parses "key=value" (or "method.key=value") for method; throws InvalidArgument.
    void setText(const std::string& method, const std::string& assignment);
    void validate() const;
    bool operator==(const MethodParams&) const = default;

private:
    ModelKind m_kind;
    std::map<std::string, ParamSet> m_values;
};

} // namespace ebm::core
