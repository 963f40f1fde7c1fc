// Contrastive divergence / maximum likelihood with MCMC negatives (docs/math.md, "Contrastive divergence").
#include <ebm/core/losses.h>
#include <ebm/core/pairobjective.h>

namespace ebm::core {

namespace {
class ContrastiveDivergence final : public Objective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "cd",
            .label = "Contrastive divergence",
            .shortLabel = "CD",
            .help = "Maximum likelihood with MCMC negatives: lowers E on data, raises it on the chains' samples",
            .family = Family::Contrastive,
            .needs = {.negatives = true, .derivativeOrder = 0},
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        Schema s{{.key = "energy_reg",
                  .label = "Energy regulariser α",
                  .min = 0,
                  .max = 100,
                  .def = kind == ModelKind::Plane ? 0.07 : 0.1,
                  .help = "Weight of mean E(x⁺)² + mean E(x⁻)²: keeps the energies near 0 so they cannot drift"}};
        const Schema rate = contrastiveRateParams(kind);
        s.insert(s.end(), rate.begin(), rate.end());
        return s;
    }

    float lossGrad(StepContext& ctx, Vecf& grad, float& gradC) const override {
        const Matf neg = ctx.negatives();
        return cdLoss<float>(ctx.model, ctx.data, neg, ctx.params.real("energy_reg"), grad);
    }
};
} // namespace

const Objective& contrastiveDivergenceObjective() {
    static const ContrastiveDivergence o;
    return o;
}

} // namespace ebm::core
