#pragma once
/// @file counting.h
/// What the 2D and the image FLOP counters share: a model that forwards every pass to the real model and
/// records its FLOPs by the counter's own cost formulas, and a TrainingDomain that forwards every call to
/// a copy of the trainer's domain (the counters override negatives() and clone()).
#include <ebm/bench/flops.h>
#include <ebm/core/domain.h>

#include <functional>
#include <memory>

namespace ebm::bench {

/// FLOPs of each kind of model pass on n columns (jet and lossGrad: in `blocks` column blocks each).
struct PassCosts {
    std::function<double(core::Index n)> energy, energyAndGrad;
    std::function<double(core::Index n, int blocks)> jet, lossGrad;
};

/// Forwards to the real model and adds each call's FLOPs (costs) at its width (columns · blocks) to work.
class CountingModel : public core::EnergyModel<float> {
public:
    CountingModel(const core::EnergyModel<float>& m, PassCosts costs, StepWork& work)
        : m_m(m), m_costs(std::move(costs)), m_work(work) {}
    int dim() const override { return m_m.dim(); }
    core::Index numParams() const override { return m_m.numParams(); }
    core::Vecf parameters() const override { return m_m.parameters(); }
    void setParameters(const core::Vecf&) override {
        throw core::InvalidArgument("bench: the counting model is read-only");
    }
    core::Rowf energy(const core::Matf& X) const override {
        m_work.add(X.cols(), m_costs.energy(X.cols()));
        return m_m.energy(X);
    }
    void energyAndGrad(const core::Matf& X, core::Rowf& E, core::Matf& G) const override {
        m_work.add(X.cols(), m_costs.energyAndGrad(X.cols()));
        m_m.energyAndGrad(X, E, G);
    }
    void jet(const core::Matf& X, const std::vector<core::Matf>& dirs, core::EnergyJet<float>& out,
             int secondOrder) const override {
        const int blocks = lossBlocks(core::Index(dirs.size()), secondOrder);
        m_work.add(X.cols() * blocks, m_costs.jet(X.cols(), blocks));
        m_m.jet(X, dirs, out, secondOrder);
    }
    float lossGrad(const core::Matf& X, const std::vector<core::Matf>& dirs,
                   const core::LossHead<float>& head, core::Vecf& grad, int secondOrder) const override {
        const int blocks = lossBlocks(core::Index(dirs.size()), secondOrder);
        m_work.add(X.cols() * blocks, m_costs.lossGrad(X.cols(), blocks));
        return m_m.lossGrad(X, dirs, head, grad, secondOrder);
    }
    std::unique_ptr<core::EnergyModel<float>> clone() const override {
        return std::make_unique<CountingModel>(*this);
    }

private:
    const core::EnergyModel<float>& m_m;
    PassCosts m_costs;
    StepWork& m_work;
};

class ForwardingDomain : public core::TrainingDomain {
public:
    explicit ForwardingDomain(std::unique_ptr<core::TrainingDomain> d) : m_d(std::move(d)) {}
    core::ModelKind kind() const override { return m_d->kind(); }
    int dim() const override { return m_d->dim(); }
    core::Matf sampleData(core::Index n, core::Rng& rng) const override { return m_d->sampleData(n, rng); }
    core::Matf negatives(const core::EnergyModel<float>& model, const core::Matf& data, core::Rng& rng,
                         double& acceptRate) override {
        return m_d->negatives(model, data, rng, acceptRate);
    }
    void keepNegatives(const core::Matf& chains) override { m_d->keepNegatives(chains); }
    void forgetNegatives() override { m_d->forgetNegatives(); }
    void resetChains(core::Rng& rng) override { m_d->resetChains(rng); }
    const core::Matf& buffer() const override { return m_d->buffer(); }
    void setBuffer(const core::Matf& b) override { m_d->setBuffer(b); }
    core::NoiseBatch noise(const core::ParamSet& nce, const core::Matf& data, core::Index n,
                           core::Rng& rng) const override {
        return m_d->noise(nce, data, n, rng);
    }
    core::Rowf noiseLogDensity(const core::ParamSet& nce, const core::Matf& X) const override {
        return m_d->noiseLogDensity(nce, X);
    }

protected:
    std::unique_ptr<core::TrainingDomain> cloneInner() const { return m_d->clone(); }

private:
    std::unique_ptr<core::TrainingDomain> m_d;
};

} // namespace ebm::bench
