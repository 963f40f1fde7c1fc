// Denoising score matching (docs/math.md, "Score matching").
#include <ebm/core/imagelosses.h>
#include <ebm/core/losses.h>
#include <ebm/core/objective.h>

namespace ebm::core {

namespace {
class DenoisingScoreMatching final : public Objective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "dsm",
            .label = "Denoising score matching",
            .shortLabel = "DSM",
            .help = "Matches −∇E at noisy data x + σn to the direction back to x: first derivatives only",
            .family = Family::ScoreMatching,
            .needs = {.derivativeOrder = 1},
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        Schema s{{.key = "sigma",
                  .label = "Noise σ",
                  .min = 1e-4,
                  .max = 100,
                  .def = kind == ModelKind::Plane ? 0.1 : 0.5,
                  .unit = kind == ModelKind::Plane ? "data units" : "pixel units",
                  .help = "Std of the noise added to the data; the model learns the score of the noised density",
                  .logScale = true}};
        if (kind == ModelKind::Plane) {
            s.push_back({.key = "draws",
                         .label = "Noise draws per point",
                         .type = ParamType::Integer,
                         .min = 1,
                         .max = 64,
                         .def = 8,
                         .help = "Noise draws per data point (less variance; the cost grows linearly)"});
            s.push_back({.key = kDecayKey,
                         .label = "Decay learning rate",
                         .type = ParamType::Flag,
                         .def = 1,
                         .help = "Follow the trainer's learning-rate decay (10x over the phase's first steps)"});
        }
        return s;
    }

    float lossGrad(StepContext& ctx, Vecf& grad, float&) const override {
        const float sigma = ctx.params.real("sigma");
        const Index draws = Index(ctx.params.valueOr("draws", 1));
        Matf N(ctx.data.rows(), ctx.data.cols() * draws);
        fillNormal(N, ctx.rng);
        if (ctx.domain.kind() == ModelKind::Image)
            return denoisingScoreMatchingLossHd<float>(ctx.model, ctx.data + sigma * N, N, sigma, grad);
        const Matf clean = ctx.data.replicate(1, draws);
        return denoisingScoreMatchingLoss<float>(ctx.model, clean + sigma * N, N, sigma, grad);
    }
};
} // namespace

const Objective& denoisingScoreMatchingObjective() {
    static const DenoisingScoreMatching o;
    return o;
}

} // namespace ebm::core
