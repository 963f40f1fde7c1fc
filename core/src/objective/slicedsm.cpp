// Sliced score matching (docs/math.md, "Score matching").
#include <ebm/core/imagelosses.h>
#include <ebm/core/losses.h>
#include <ebm/core/objective.h>

namespace ebm::core {

namespace {
class SlicedScoreMatching final : public Objective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "ssm",
            .label = "Sliced score matching",
            .shortLabel = "SSM",
            .help = "Score matching along random projections v: needs vᵀ∇²E v, not the whole Laplacian",
            .family = Family::ScoreMatching,
            .needs = {.derivativeOrder = 2},
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        // Images: one Rademacher projection per image, variance-reduced (the one-extra-pass loss).
        if (kind == ModelKind::Image) return {};
        return {{.key = "slices",
                 .label = "Projections per point",
                 .type = ParamType::Integer,
                 .min = 1,
                 .max = 64,
                 .def = 4,
                 .help = "Random projections per data point (less variance; the cost grows linearly)"},
                {.key = "projection",
                 .label = "Projections",
                 .type = ParamType::Choice,
                 .def = 0,
                 .help = "Distribution of the projections v: random signs or standard normal",
                 .choices = {"rademacher", "gaussian"}},
                {.key = "variance_reduced",
                 .label = "Variance reduction",
                 .type = ParamType::Flag,
                 .def = 1,
                 .help = "Replace ½(vᵀ∇E)² by its mean over v, ½‖∇E‖² (valid as E[vvᵀ] = I)"},
                {.key = kDecayKey,
                 .label = "Decay learning rate",
                 .type = ParamType::Flag,
                 .def = 1,
                 .help = "Follow the trainer's learning-rate decay (10x over the phase's first steps)"}};
    }

    float lossGrad(StepContext& ctx, Vecf& grad, float&) const override {
        const ParamSet& p = ctx.params;
        const int slices = int(p.valueOr("slices", 1));
        const bool gaussian = p.valueOr("projection", 0) == 1;
        const Matf points = slices == 1 ? ctx.data : Matf(ctx.data.replicate(1, slices));
        Matf V(points.rows(), points.cols());
        if (!gaussian) {
            std::bernoulli_distribution coin(0.5);
            for (Index i = 0; i < V.size(); ++i)
                V.data()[i] = coin(ctx.rng) ? 1.0f : -1.0f;
        } else {
            fillNormal(V, ctx.rng);
        }
        if (ctx.domain.kind() == ModelKind::Image) return slicedScoreMatchingLossHd<float>(ctx.model, points, V, grad);
        return slicedScoreMatchingLoss<float>(ctx.model, points, V, p.flag("variance_reduced"), grad);
    }
};
} // namespace

const Objective& slicedScoreMatchingObjective() {
    static const SlicedScoreMatching o;
    return o;
}

} // namespace ebm::core
