#pragma once
/// @file domain.h
/// TrainingDomain: what the one trainer needs to know about the space the model lives on — the 2D plane
/// (a target density on a box) or images (pixels in [0, 1]). It draws data batches, keeps the replay
/// buffer of persistent chains and advances them with the domain's sampler (negatives), and draws
/// noise from a distribution fitted to the data (noise-contrastive objectives).
#include <ebm/core/model.h>
#include <ebm/core/params.h>

#include <memory>

namespace ebm::core {

enum class ModelKind { Plane, Image };
std::string modelKindName(ModelKind k); ///< "2d" | "image"

/// Noise samples and the noise log-density at the data and at the noise.
struct NoiseBatch {
    Matf samples;             ///< d x n
    Rowf logqData, logqNoise; ///< 1 x B, 1 x n
};

class TrainingDomain {
public:
    virtual ~TrainingDomain() = default;
    virtual std::unique_ptr<TrainingDomain> clone() const = 0;
    virtual ModelKind kind() const = 0;
    virtual int dim() const = 0;

    /// A d x n data batch.
    virtual Matf sampleData(Index n, Rng& rng) const = 0;

    /// Negatives for a batch: one chain per data column, drawn from the replay buffer (some restarted)
    /// and advanced by the domain's sampler; the chains are remembered for keepNegatives(). Sets
    /// acceptRate (1 for samplers without a rejection step).
    virtual Matf negatives(const EnergyModel<float>& model, const Matf& data, Rng& rng,
                           double& acceptRate) = 0;
    /// After a step that was kept: the chains of the last negatives() go back into the buffer.
    virtual void keepNegatives(const Matf& chains) = 0;
    /// Forgets the chains of the last negatives() (a rolled-back step, or a step without negatives).
    virtual void forgetNegatives() = 0;
    /// Refills the replay buffer (uniform noise over the domain).
    virtual void resetChains(Rng& rng) = 0;
    virtual const Matf& buffer() const = 0;
    /// Replaces the buffer; throws InvalidArgument if its shape is not d x buffer size or it is not finite.
    virtual void setBuffer(const Matf& buffer) = 0;

    /// n noise samples for a noise-contrastive objective with hyperparameters nce (the domain's noise
    /// family: its keys are read here), and the log-density at data and noise.
    virtual NoiseBatch noise(const ParamSet& nce, const Matf& data, Index n, Rng& rng) const = 0;
    /// The noise log-density at X (1 x n).
    virtual Rowf noiseLogDensity(const ParamSet& nce, const Matf& X) const = 0;
};

} // namespace ebm::core
