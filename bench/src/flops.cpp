#include <ebm/bench/flops.h>

namespace ebm::bench {

using core::Index;
using core::Method;

namespace {
// P = Σ_l n_l·n_{l−1} (multiply-adds per column of all hidden-layer products); P1 = the first layer's.
struct Dims {
    double P = 0, P1 = 0, H = 0;
};
Dims dims(const core::MlpOptions& a) {
    Dims d;
    double in = a.inputDim;
    for (int h : a.hidden) {
        d.P += double(h) * in;
        in = h;
    }
    d.P1 = double(a.hidden.front()) * a.inputDim;
    d.H = in;
    return d;
}
} // namespace

double StepWork::flops() const {
    double f = 0;
    for (const auto& p : parts)
        f += p.flops;
    return f;
}

double flopsForward(const core::MlpOptions& a, Index w) {
    const Dims d = dims(a);
    return 2.0 * double(w) * (d.P + d.H);
}

double flopsEnergyGrad(const core::MlpOptions& a, Index w) {
    const Dims d = dims(a);
    return flopsForward(a, w) + 2.0 * double(w) * d.P;
}

double flopsLossGrad(const core::MlpOptions& a, Index n, int blocks) {
    const Dims d = dims(a);
    const double w = double(n) * blocks;
    // forward 2w(P+H); head adjoints 4wH; ∂W_l for every layer 2wP; W_lᵀ z̄_l for l ≥ 2: 2w(P − P1).
    return 2.0 * w * (d.P + d.H) + 4.0 * w * d.H + 2.0 * w * d.P + 2.0 * w * (d.P - d.P1);
}

int lossBlocks(Method m, const core::TrainerOptions& o) {
    const int dim = o.model.inputDim;
    switch (m) {
    case Method::ContrastiveDivergence:
        return 1;
    case Method::ExactScoreMatching:
        return 1 + 2 * dim;
    case Method::SlicedScoreMatching:
        return 1 + 2 + (o.sm.varianceReduced ? dim : 0);
    case Method::DenoisingScoreMatching:
        return 1 + dim;
    case Method::NoiseContrastive:
        return 1;
    }
    return 1;
}

StepWork stepWork(Method m, const core::TrainerOptions& o, Index negatives, Index noise) {
    StepWork w;
    const Index B = o.batchSize;
    const int blocks = lossBlocks(m, o);
    switch (m) {
    case Method::ContrastiveDivergence: {
        const int K = o.cd.steps;
        double sampler = 0;
        switch (o.cd.sampler.kind) {
        case core::SamplerKind::Langevin:
        case core::SamplerKind::Mala:
            sampler = K * flopsEnergyGrad(o.model, negatives);
            break;
        case core::SamplerKind::Hmc:
            sampler = double(K) * o.cd.sampler.leapfrogSteps * flopsEnergyGrad(o.model, negatives);
            break;
        case core::SamplerKind::RandomWalkMH:
            sampler = K * flopsForward(o.model, negatives);
            break;
        }
        w.parts.push_back({negatives, sampler});
        w.parts.push_back({B + negatives, flopsLossGrad(o.model, B + negatives, blocks)});
        break;
    }
    case Method::NoiseContrastive:
        w.parts.push_back({B + noise, flopsLossGrad(o.model, B + noise, blocks)});
        break;
    case Method::DenoisingScoreMatching: {
        const Index n = B * o.sm.dsmDraws; // each data point with dsmDraws noise draws
        w.parts.push_back({n * blocks, flopsLossGrad(o.model, n, blocks)});
        break;
    }
    case Method::SlicedScoreMatching: {
        const Index n = B * o.sm.ssmSlices; // each data point with ssmSlices projections
        w.parts.push_back({n * blocks, flopsLossGrad(o.model, n, blocks)});
        break;
    }
    default:
        w.parts.push_back({B * blocks, flopsLossGrad(o.model, B, blocks)});
        break;
    }
    return w;
}

} // namespace ebm::bench
