// LeCun's hinge loss on energies (docs/math.md, "Margin losses"): l = [E(x⁺)]⁺ + [m − E(x⁻)]⁺.
#include <ebm/core/pairobjective.h>

namespace ebm::core {

namespace {
class Hinge final : public PairObjective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "hinge",
            .label = "Hinge loss",
            .shortLabel = "Hinge",
            .help = "[E(x⁺)]⁺ + [m − E(x⁻)]⁺: data below 0, negatives above the margin m; no normalisation",
            .family = Family::Contrastive,
            .needs = {.negatives = true, .derivativeOrder = 0},
            .fitsDensity = false,
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        Schema s{marginParam(4.0)};
        const Schema rate = contrastiveRateParams(kind);
        s.insert(s.end(), rate.begin(), rate.end());
        return s;
    }

    PairTerm term(double ePos, double eNeg, const ParamSet& p) const override {
        const double m = p.value("margin");
        PairTerm t;
        if (ePos > 0) t.value += ePos, t.dPos = 1;
        if (m - eNeg > 0) t.value += m - eNeg, t.dNeg = -1;
        return t;
    }
};
} // namespace

const Objective& hingeObjective() {
    static const Hinge o;
    return o;
}

} // namespace ebm::core
