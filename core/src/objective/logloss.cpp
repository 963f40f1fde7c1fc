// LeCun's log loss on energies (docs/math.md, "Margin losses"): l = log(1 + exp(E(x⁺) − E(x⁻))).
#include <ebm/core/pairobjective.h>

#include <cmath>

namespace ebm::core {

namespace {
class LogLoss final : public PairObjective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "log-loss",
            .label = "Log loss",
            .shortLabel = "Log loss",
            .help =
                "log(1 + exp(E(x⁺) − E(x⁻))): a soft margin that never stops pushing, weakly once E⁻ ≫ E⁺",
            .family = Family::Contrastive,
            .needs = {.negatives = true, .derivativeOrder = 0},
            .fitsDensity = false,
        };
        return i;
    }

    Schema schema(ModelKind kind) const override { return contrastiveRateParams(kind); }

    PairTerm term(double ePos, double eNeg, const ParamSet&) const override {
        const double u = ePos - eNeg;
        // softplus(u) and its derivative σ(u), computed without overflow for large |u|.
        const double softplus = u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u));
        const double sigmoid = u >= 0 ? 1 / (1 + std::exp(-u)) : std::exp(u) / (1 + std::exp(u));
        return {softplus, sigmoid, -sigmoid};
    }
};
} // namespace

const Objective& logLossObjective() {
    static const LogLoss o;
    return o;
}

} // namespace ebm::core
