// LeCun's square-square loss on energies (docs/math.md, "Margin losses"): l = ([E(x⁺)]⁺)² + ([m − E(x⁻)]⁺)².
#include <ebm/core/pairobjective.h>

namespace ebm::core {

namespace {
class SquareSquare final : public PairObjective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "square-square",
            .label = "Square-square loss",
            .shortLabel = "Sq-sq",
            .help = "([E(x⁺)]⁺)² + ([m − E(x⁻)]⁺)²: like the hinge, with pushes that fade near their targets",
            .family = Family::Contrastive,
            .needs = {.negatives = true, .derivativeOrder = 0},
            .fitsDensity = false,
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        Schema s{marginParam(8.0)};
        const Schema rate = contrastiveRateParams(kind);
        s.insert(s.end(), rate.begin(), rate.end());
        return s;
    }

    PairTerm term(double ePos, double eNeg, const ParamSet& p) const override {
        const double up = ePos > 0 ? ePos : 0,
                     un = p.value("margin") - eNeg > 0 ? p.value("margin") - eNeg : 0;
        return {up * up + un * un, 2 * up, -2 * un};
    }
};
} // namespace

const Objective& squareSquareObjective() {
    static const SquareSquare o;
    return o;
}

} // namespace ebm::core
