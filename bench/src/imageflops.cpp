#include <ebm/bench/imageflops.h>

#include "counting.h"

namespace ebm::bench {

using core::Index;
using core::Matf;

ImageDims imageDims(const core::ImageTrainerOptions& o) {
    ImageDims d;
    const std::vector<LayerGemm> layers = imageLayerGemms(o);
    for (const LayerGemm& l : layers)
        d.P += double(l.rows) * double(l.inner) * double(l.colsPerImage);
    d.P1 = double(layers.front().rows) * double(layers.front().inner) * double(layers.front().colsPerImage);
    if (o.model == core::ImageModelKind::Conv) {
        const core::ConvNet<float> net(o.conv);
        const auto& g = net.geometry().back();
        d.H = double(g.outW) * g.outH * g.outC;
    } else {
        d.H = o.mlp.hidden.back();
    }
    return d;
}

std::vector<LayerGemm> imageLayerGemms(const core::ImageTrainerOptions& o) {
    std::vector<LayerGemm> v;
    if (o.model == core::ImageModelKind::Conv) {
        const core::ConvNet<float> net(o.conv);
        for (const auto& g : net.geometry())
            v.push_back({g.outC, Index(9) * g.inC, Index(g.outW) * g.outH, 0.0});
    } else {
        Index in = o.mlp.inputDim;
        for (int h : o.mlp.hidden) {
            v.push_back({h, in, 1, 0.0});
            in = h;
        }
    }
    for (LayerGemm& l : v)
        l.flopsPerImage = 2.0 * double(l.rows) * double(l.inner) * double(l.colsPerImage);
    return v;
}

namespace {
// The formulas of flops.h with P, P1, H per image (w images).
double flopsE(const ImageDims& d, double w) {
    return 2.0 * w * (d.P + d.H);
}
double flopsEGrad(const ImageDims& d, double w) {
    return flopsE(d, w) + 2.0 * w * d.P;
}
double flopsLoss(const ImageDims& d, double w) {
    return flopsE(d, w) + 4.0 * w * d.H + 2.0 * w * d.P + 2.0 * w * (d.P - d.P1);
}

struct Log {
    ImageDims dims;
    StepWork work;
    Index negatives = 0;
};

// Forwards to a copy of the trainer's domain; the chains run on the counting model, so their passes are
// recorded like the loss's.
class CountingDomain : public ForwardingDomain {
public:
    CountingDomain(std::unique_ptr<core::TrainingDomain> d, Log& log)
        : ForwardingDomain(std::move(d)), m_log(log) {}
    std::unique_ptr<core::TrainingDomain> clone() const override {
        return std::make_unique<CountingDomain>(cloneInner(), m_log);
    }
    Matf negatives(const core::EnergyModel<float>& model, const Matf& data, core::Rng& rng,
                   double& acceptRate) override {
        Matf neg = ForwardingDomain::negatives(model, data, rng, acceptRate);
        m_log.negatives += neg.cols();
        return neg;
    }

private:
    Log& m_log;
};
} // namespace

StepWork imageStepWork(const core::ImageTrainer& trainer, Index* negatives) {
    const core::ImageTrainerOptions& o = trainer.options();
    Log log;
    log.dims = imageDims(o);
    const ImageDims& dims = log.dims;
    const PassCosts costs{[&](Index n) { return flopsE(dims, double(n)); },
                          [&](Index n) { return flopsEGrad(dims, double(n)); },
                          [&](Index n, int blocks) { return flopsE(dims, double(n * blocks)); },
                          [&](Index n, int blocks) { return flopsLoss(dims, double(n * blocks)); }};
    const CountingModel model(trainer.energyModel(), costs, log.work);
    CountingDomain domain(trainer.domain().clone(), log);
    core::Rng rng(o.seed ^ 0xB5ADull);
    const Matf data = domain.sampleData(o.batchSize, rng);
    core::StepContext ctx{model, data, o.params.of(o.method), domain, rng, trainer.logZEstimate()};
    core::Vecf grad = core::Vecf::Zero(model.numParams());
    float gradC = 0;
    trainer.currentObjective().lossGrad(ctx, grad, gradC);
    if (negatives) *negatives = log.negatives;
    return log.work;
}

} // namespace ebm::bench
