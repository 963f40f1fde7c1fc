// Exact (Hyvärinen) score matching (docs/math.md, "Score matching").
#include <ebm/core/losses.h>
#include <ebm/core/objective.h>

namespace ebm::core {

namespace {
class ExactScoreMatching final : public Objective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "sm",
            .label = "Exact score matching",
            .shortLabel = "SM",
            .help = "Hyvärinen's ½‖∇E‖² − ΔE on data: no samples, but d second derivatives per point",
            .family = Family::ScoreMatching,
            .needs = {.derivativeOrder = 2},
            // d second derivatives per image: use ssm or dsm for images.
            .image = false,
        };
        return i;
    }

    Schema schema(ModelKind) const override {
        // Score matching's gradients are noisy; the decay removes that noise at the end of a phase (eight
        // gaussians: KL 0.026 with it, 0.081 without).
        return {{.key = kDecayKey,
                 .label = "Decay learning rate",
                 .type = ParamType::Flag,
                 .def = 1,
                 .help = "Follow the trainer's learning-rate decay (10x over the phase's first steps)"}};
    }

    float lossGrad(StepContext& ctx, Vecf& grad, float&) const override {
        return exactScoreMatchingLoss<float>(ctx.model, ctx.data, grad);
    }
};
} // namespace

const Objective& exactScoreMatchingObjective() {
    static const ExactScoreMatching o;
    return o;
}

} // namespace ebm::core
