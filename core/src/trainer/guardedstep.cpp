#include "guardedstep.h"

#include <cmath>

namespace ebm::core {

void guardedStep(EnergyModel<float>& model, float& c, Optimizer& opt, float loss, const Vecf& grad,
                 float gradC, const Matf& data, float limit, std::int64_t step, const std::string& method,
                 StepStats& s) {
    const Vecf before = model.parameters();
    const float cBefore = c;
    const OptimizerState optBefore = opt.state();
    auto rollback = [&](const std::string& why) {
        model.setParameters(before);
        c = cBefore;
        opt.setState(optBefore);
        s.diverged = true;
        s.message = "step " + std::to_string(step + 1) + " (" + method + "): " + why +
                    "; rolled back to the last good parameters";
    };
    if (!std::isfinite(loss) || !grad.allFinite() || !std::isfinite(gradC)) {
        rollback("the loss or its gradient is not finite");
        return;
    }
    Vecf full(grad.size() + 1), theta(before.size() + 1);
    full << grad, gradC;
    theta << before, c;
    s.gradNorm = opt.step(theta, full);
    model.setParameters(theta.head(before.size()));
    c = theta(before.size());
    const Rowf E = model.energy(data);
    const float maxAbs = E.size() ? E.cwiseAbs().maxCoeff() : 0.0f;
    if (!theta.allFinite() || !std::isfinite(maxAbs))
        rollback("the parameters became non-finite");
    else if (maxAbs > limit)
        rollback("energies exploded (|E| = " + std::to_string(maxAbs) + " > limit " + std::to_string(limit) +
                 ")");
}

} // namespace ebm::core
