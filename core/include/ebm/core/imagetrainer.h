#pragma once
/// @file imagetrainer.h
/// ImageTrainer: trains an image energy (MLP or conv net) on an ImageSet with CD (short-run Langevin and
/// a replay buffer), denoising or sliced score matching, or NCE against a Gaussian fitted to the data;
/// the method can change between steps without resetting the model. Pixels live in [0, 1].
#include <ebm/core/convnet.h>
#include <ebm/core/imageset.h>
#include <ebm/core/optimizer.h>
#include <ebm/core/trainer.h>

#include <functional>
#include <memory>

namespace ebm::core {

enum class ImageModelKind { Mlp, Conv };
std::string imageModelName(ImageModelKind k);            ///< "mlp" | "conv"
ImageModelKind parseImageModel(const std::string& name); ///< throws InvalidArgument

/// Image Langevin, the form used by image-EBM papers: x' = clip(x − λ∇ₓE(x) + σ ξ, 0, 1). It is ULA
/// (docs/math.md) with ε = σ²/2 at inverse temperature β = 2λ/σ², clipped to the pixel range after each step.
struct ImageLangevinOptions {
    int steps = 20;        ///< K steps per training step
    float stepSize = 1.0f; ///< λ (pixel units per unit of energy gradient)
    float noise = 0.005f;  ///< σ (pixel units)
    void validate() const; ///< throws InvalidArgument
};

/// Runs `steps` steps of image Langevin (λ, σ from o) on the columns of X in place. With clamp (same
/// shape as X, 1 = known pixel, 0 = free), known pixels keep their values at every step: Langevin on the
/// conditional p(free | known), which is how inpainting and denoising with an EBM work. observe, if set,
/// is called before the first step and after each step with the step index (0..steps), X and E(X).
void imageLangevin(const EnergyModel<float>& model, Matf& X, const ImageLangevinOptions& o, int steps,
                   Rng& rng, const Matf* clamp = nullptr,
                   const std::function<void(int step, const Matf& X, const Rowf& E)>& observe = {});

struct ImageCdOptions {
    ImageLangevinOptions langevin;
    int bufferSize = 10000;      ///< replay buffer capacity (images), starts as uniform noise
    float freshFraction = 0.05f; ///< of each negative batch, the fraction restarted from uniform noise
    float energyReg = 0.1f;      ///< α, weight of mean E(x⁺)² + mean E(x⁻)²
    void validate() const;
};

struct ImageTrainerOptions {
    Method method = Method::ContrastiveDivergence; ///< cd, ssm, dsm or nce (exact SM needs d second
                                                   ///< derivatives per image and is refused)
    std::uint64_t seed = 1;
    Index batchSize = 64; ///< data images per step
    ImageModelKind model = ImageModelKind::Conv;
    ConvNetOptions conv;                               ///< width/height are set from the data
    MlpOptions mlp{256, {256, 256}, Activation::SiLU}; ///< inputDim is set from the data
    OptimizerOptions optimizer{OptimizerKind::Adam, 1e-3f, 0.5f, 0.999f, 1e-8f, 0.0f, 0.0f};
    ImageCdOptions cd;
    float dsmSigma = 0.5f;   ///< DSM noise std (pixel units)
    float nceNoiseRatio = 1; ///< ν
    /// NCE noise q = (1 − f) N(μ, diag σ²) + f U[0, 1]^d, μ and σ fitted per pixel (σ ≥ 0.05). The uniform
    /// part puts noise images into q: with the Gaussian alone, NCE never sees (and does not raise the
    /// energy of) images far from both the data and the Gaussian, such as uniform noise.
    float nceUniformFraction = 0.5f;
    void validate() const; ///< throws InvalidArgument
};

class ImageTrainer {
public:
    /// data must hold at least one image; pixels in [0, 1]. Throws InvalidArgument.
    ImageTrainer(std::shared_ptr<const ImageSet> data, const ImageTrainerOptions& options);

    /// One step. NaN/Inf or |E| > 1e6 rolls the step back (StepStats::diverged).
    StepStats step();
    /// Switches the method; the model, optimiser state and replay buffer carry on.
    void setMethod(Method m);
    /// Applies new options between steps. Model, optimiser and buffer are re-initialised (reset()) only if
    /// the model kind, its architecture or the seed changed; a new buffer size refills the buffer with
    /// noise; everything else (method, learning rate, Langevin, α, σ, ν) carries on with the same model.
    void setOptions(const ImageTrainerOptions& o);
    /// Re-initialises model, optimiser, buffer and generator from the options' seed.
    void reset();
    /// Replaces θ (e.g. a saved model of the same architecture) and restarts the optimiser's moments; the
    /// step count and buffer carry on. Throws InvalidArgument if the size differs or θ is not finite.
    void setParameters(const Vecf& theta);

    const ImageTrainerOptions& options() const { return m_o; }
    const ImageSet& data() const { return *m_data; }
    const EnergyModel<float>& model() const { return *m_model; }
    std::int64_t stepCount() const { return m_step; }
    /// The replay buffer (d x bufferSize): the persistent chains' current states.
    const Matf& buffer() const { return m_buffer; }
    const Matf& lastNegatives() const { return m_lastNeg; }
    float logZEstimate() const { return m_c; }

    /// Runs steps of image Langevin (options().cd.langevin's λ, σ) on X in place with rng.
    void langevin(Matf& X, int steps, Rng& rng) const;
    /// Log-density of NCE's noise (the fitted diagonal Gaussian mixed with uniform noise) at X (d x n).
    Rowf noiseLogDensity(const Matf& X) const;

private:
    std::shared_ptr<const ImageSet> m_data;
    ImageTrainerOptions m_o;
    std::unique_ptr<EnergyModel<float>> m_model;
    std::unique_ptr<Optimizer> m_opt;
    Rng m_rng;
    Matf m_buffer, m_lastNeg;
    Vecf m_noiseMean, m_noiseStd;
    float m_c = 0;
    std::int64_t m_step = 0;
};

} // namespace ebm::core
