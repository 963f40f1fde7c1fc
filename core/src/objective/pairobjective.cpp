// Losses on pairs of energies (pairobjective.h, docs/math.md "Margin losses").
#include <ebm/core/pairobjective.h>

namespace ebm::core {

template <typename S>
S pairLoss(const EnergyModel<S>& m, const MatX<S>& pos, const MatX<S>& neg, const PairFunction& l, VecX<S>& grad) {
    if (pos.rows() != m.dim() || neg.rows() != m.dim() || pos.cols() != neg.cols() || pos.cols() == 0)
        throw InvalidArgument("pairLoss: positives and negatives must be d x n with the same n > 0");
    const Index n = pos.cols();
    // The pairs' derivatives need both energies, which the chunks of the back-propagation pass do not see
    // together: a forward pass first, then the pass that back-propagates the precomputed seeds.
    const RowX<S> ePos = m.energy(pos), eNeg = m.energy(neg);
    RowX<S> seed(2 * n);
    S loss = 0;
    const S inv = S(1) / S(n);
    for (Index i = 0; i < n; ++i) {
        const PairTerm t = l(double(ePos(i)), double(eNeg(i)));
        loss += S(t.value) * inv;
        seed(i) = S(t.dPos) * inv;
        seed(n + i) = S(t.dNeg) * inv;
    }
    MatX<S> X(pos.rows(), 2 * n);
    X << pos, neg;
    const LossHead<S> head = [&](const EnergyJet<S>& jet, Index col0, JetSeeds<S>& seeds) {
        seeds.energy = seed.segment(col0, jet.energy.size());
        return S(0);
    };
    m.lossGrad(X, {}, head, grad);
    return loss;
}

template float pairLoss<float>(const EnergyModel<float>&, const Matf&, const Matf&, const PairFunction&, Vecf&);
template double pairLoss<double>(const EnergyModel<double>&, const Matd&, const Matd&, const PairFunction&, Vecd&);

float PairObjective::lossGrad(StepContext& ctx, Vecf& grad, float&) const {
    const Matf neg = ctx.negatives();
    const ParamSet& p = ctx.params;
    return pairLoss<float>(ctx.model, ctx.data, neg, [&](double a, double b) { return term(a, b, p); }, grad);
}

ParamSpec marginParam(double def) {
    return {.key = "margin",
            .label = "Margin m",
            .min = 1e-3,
            .max = 1000,
            .def = def,
            .unit = "energy units",
            .help = "How far above the data's energy (0) the negatives' energy is pushed",
            .logScale = true};
}

Schema contrastiveRateParams(ModelKind kind) {
    if (kind != ModelKind::Plane) return {};
    // A ~3x larger, decaying rate leaves the first ring-shaped phase sooner (measured for CD, eight
    // gaussians, K = 10, seeds 1-3: KL < 0.1 after 1100-1500 steps; at 1x, still a ring for seed 3).
    return {{.key = kLearningRateScaleKey,
             .label = "LR ×",
             .min = 0.001,
             .max = 1000,
             .def = 3.0,
             .help = "This method's learning rate as a multiple of the optimiser's",
             .logScale = true},
            // With the 3x rate, the decay settles the modes (constant: KL jumps between 0.11 and 0.31).
            {.key = kDecayKey,
             .label = "Decay learning rate",
             .type = ParamType::Flag,
             .def = 1,
             .help = "Follow the trainer's learning-rate decay (10x over the phase's first steps)"}};
}

} // namespace ebm::core
