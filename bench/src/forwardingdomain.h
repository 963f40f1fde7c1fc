#pragma once
/// @file forwardingdomain.h
/// A TrainingDomain that forwards every call to a copy of the trainer's domain. The FLOP counters derive
/// from it and override what they record (the negatives); clone() is theirs to write.
#include <ebm/core/domain.h>

#include <memory>

namespace ebm::bench {

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
