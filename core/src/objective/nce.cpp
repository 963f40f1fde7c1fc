// Noise-contrastive estimation with a learned log Z (docs/math.md, "Noise-contrastive estimation").
#include <ebm/core/losses.h>
#include <ebm/core/objective.h>

#include <cmath>

namespace ebm::core {

namespace {
class NoiseContrastive final : public Objective {
public:
    const ObjectiveInfo& info() const override {
        static const ObjectiveInfo i{
            .name = "nce",
            .label = "Noise-contrastive estimation",
            .shortLabel = "NCE",
            .help = "Logistic regression of data against known noise; learns log Z as a parameter c",
            .family = Family::NoiseContrastive,
            .needs = {.noise = true, .derivativeOrder = 0},
        };
        return i;
    }

    Schema schema(ModelKind kind) const override {
        Schema s;
        if (kind == ModelKind::Plane)
            s.push_back({.key = "noise",
                         .label = "Noise",
                         .type = ParamType::Choice,
                         .def = 0,
                         .help = "The noise q: a Gaussian fitted to the data (mean, covariance), or uniform on the box",
                         .choices = {"gaussian", "uniform"}});
        s.push_back({.key = "noise_ratio",
                     .label = "Noise ratio ν",
                     .min = 0.01,
                     .max = 64,
                     .def = 1,
                     .help = "Noise samples per data sample",
                     .logScale = true});
        if (kind == ModelKind::Plane) {
            s.push_back({.key = "noise_scale",
                         .label = "Noise width ×",
                         .min = 0.01,
                         .max = 100,
                         .def = 1,
                         .help = "Widens the fitted Gaussian's standard deviation by this factor",
                         .logScale = true});
            // With the Gaussian alone nothing raises the energy where neither the data nor the Gaussian
            // go (the box's corners): left running, a model can grow a well there that takes the mass
            // (the funnel in the window: KL 0.02 → 9.5 nats by step 100000 at the constant rate).
            s.push_back({.key = "uniform_fraction",
                         .label = "Uniform fraction",
                         .min = 0,
                         .max = 0.99,
                         .def = 0.1,
                         .help = "Fraction of the Gaussian noise drawn uniformly on the box instead (its "
                                 "density is the mixture's)"});
            // Off: NCE's classifier signal is weak and a decayed rate stalls it (eight gaussians, 3000 steps:
            // KL 0.03 at a constant rate, 0.33 decayed).
            s.push_back({.key = kDecayKey,
                         .label = "Decay learning rate",
                         .type = ParamType::Flag,
                         .def = 0,
                         .help = "Follow the trainer's learning-rate decay (10x over the phase's first steps)"});
        } else {
            // With the Gaussian alone, NCE never sees (and does not raise the energy of) images far from
            // both the data and the Gaussian, such as uniform noise.
            s.push_back({.key = "uniform_fraction",
                         .label = "Uniform fraction",
                         .min = 0,
                         .max = 0.99,
                         .def = 0.5,
                         .help = "Fraction of the noise drawn uniformly on [0, 1]^d, the rest from the fitted Gaussian"});
        }
        return s;
    }

    float lossGrad(StepContext& ctx, Vecf& grad, float& gradC) const override {
        const float nu = ctx.params.real("noise_ratio");
        const Index nn = std::max<Index>(1, Index(std::lround(nu * ctx.data.cols())));
        NoiseBatch b = ctx.domain.noise(ctx.params, ctx.data, nn, ctx.rng);
        ctx.usedNoise = b.samples;
        return nceLoss<float>(ctx.model, ctx.data, b.logqData, b.samples, b.logqNoise, nu, ctx.logZ, grad, gradC);
    }
};
} // namespace

const Objective& noiseContrastiveObjective() {
    static const NoiseContrastive o;
    return o;
}

} // namespace ebm::core
