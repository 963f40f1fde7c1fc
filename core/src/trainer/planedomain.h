#pragma once
// The 2D plane as a training domain (internal to core/src/trainer): data from a target density, persistent
// chains on a box advanced by one of the four samplers, NCE noise fitted to the target or uniform on the box.
#include <ebm/core/density.h>
#include <ebm/core/domain.h>
#include <ebm/core/trainer.h>

#include <optional>

namespace ebm::core {

class PlaneDomain final : public TrainingDomain {
public:
    PlaneDomain(std::shared_ptr<const TargetDensity> target, const Box& box, const ChainOptions& chains,
                std::uint64_t seed);
    std::unique_ptr<TrainingDomain> clone() const override { return std::make_unique<PlaneDomain>(*this); }
    ModelKind kind() const override { return ModelKind::Plane; }
    int dim() const override { return 2; }

    /// A new target (refits the noise Gaussian); the chains carry on.
    void setTarget(std::shared_ptr<const TargetDensity> target);
    /// New chain options and box; a new buffer size or box refills the buffer from rng.
    void setChains(const ChainOptions& chains, const Box& box, Rng& rng);

    Matf sampleData(Index n, Rng& rng) const override;
    Matf negatives(const EnergyModel<float>& model, const Matf& data, Rng& rng, double& acceptRate) override;
    void keepNegatives(const Matf& chains) override;
    void forgetNegatives() override { m_slots.clear(); }
    void resetChains(Rng& rng) override;
    const Matf& buffer() const override { return m_buffer; }
    void setBuffer(const Matf& buffer) override;
    /// What the chains run (chainSampler of the options and the target's widths).
    const SamplerOptions& chainSampler() const;
    const FeatureWidths& targetWidths() const;
    NoiseBatch noise(const ParamSet& nce, const Matf& data, Index n, Rng& rng) const override;
    Rowf noiseLogDensity(const ParamSet& nce, const Matf& X) const override;

private:
    std::shared_ptr<const TargetDensity> m_target;
    Box m_box;
    ChainOptions m_chains;
    std::uint64_t m_seed;
    Matf m_buffer;
    std::vector<Index> m_slots;                    ///< where the last negatives go back into the buffer
    mutable std::optional<FeatureWidths> m_widths; ///< measured when first needed, per target
    mutable SamplerOptions m_sampler;              ///< valid with m_widths
    Eigen::Vector2d m_noiseMean; ///< the target's mean and covariance (fitted once per target)
    Eigen::Matrix2d m_noiseCov;
    void fitNoise();
    Eigen::Matrix2f noiseCholesky(const ParamSet& nce) const;
};

} // namespace ebm::core
