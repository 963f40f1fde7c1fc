#pragma once
// Images as a training domain (internal to core/src/trainer): data drawn from an ImageSet, persistent
// chains advanced by image Langevin (clipped to [0, 1]), NCE noise from a per-pixel Gaussian fitted to the
// data mixed with uniform noise.
#include <ebm/core/domain.h>
#include <ebm/core/imagetrainer.h>

namespace ebm::core {

class ImageDomain final : public TrainingDomain {
public:
    ImageDomain(std::shared_ptr<const ImageSet> data, const ImageChainOptions& chains);
    std::unique_ptr<TrainingDomain> clone() const override { return std::make_unique<ImageDomain>(*this); }
    ModelKind kind() const override { return ModelKind::Image; }
    int dim() const override { return int(m_data->dim()); }

    /// New chain options; a new buffer size refills the buffer from rng.
    void setChains(const ImageChainOptions& chains, Rng& rng);

    Matf sampleData(Index n, Rng& rng) const override;
    Matf negatives(const EnergyModel<float>& model, const Matf& data, Rng& rng, double& acceptRate) override;
    void keepNegatives(const Matf& chains) override;
    void forgetNegatives() override { m_slots.clear(); }
    void resetChains(Rng& rng) override;
    const Matf& buffer() const override { return m_buffer; }
    void setBuffer(const Matf& buffer) override;
    NoiseBatch noise(const ParamSet& nce, const Matf& data, Index n, Rng& rng) const override;
    Rowf noiseLogDensity(const ParamSet& nce, const Matf& X) const override;

private:
    std::shared_ptr<const ImageSet> m_data;
    ImageChainOptions m_chains;
    Matf m_buffer;
    std::vector<Index> m_slots;
    Vecf m_noiseMean, m_noiseStd;
};

} // namespace ebm::core
