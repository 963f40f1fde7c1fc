#pragma once
/// @file imagetrainer.h
/// ImageTrainer: trains an image energy (MLP or conv net) on an ImageSet with CD (short-run Langevin and
/// a replay buffer), denoising or sliced score matching, or NCE against a Gaussian fitted to the data;
/// the method can change between steps without resetting the model. Pixels live in [0, 1].
#include <ebm/core/convnet.h>
#include <ebm/core/imageset.h>
#include <ebm/core/mlp.h>
#include <ebm/core/modeltrainer.h>
#include <ebm/core/optimizer.h>

#include <functional>
#include <limits>
#include <memory>

namespace ebm::core {

enum class ImageModelKind { Mlp, Conv };
std::string imageModelName(ImageModelKind k);            ///< "mlp" | "conv"
ImageModelKind parseImageModel(const std::string& name); ///< throws InvalidArgument

/// Image Langevin, the form used by image-EBM papers: x' = clip(x − λ∇ₓE(x) + σ ξ, 0, 1). It is ULA
/// (docs/math.md) with ε = σ²/2 at inverse temperature β = 2λ/σ², clipped to the pixel range after each step.
struct ImageLangevinOptions {
    int steps = 20; ///< K steps per training step
    /// λ (pixel units per unit of energy gradient). 4 rather than the usual 1: with the 16-32-64-64 conv
    /// net, CD on the digits lost its chains — their energy rose above the data's until the regulariser's
    /// bound (|E| ≤ 1/(2α)) and every chain became the same noisy pattern — after about 8000 steps at λ = 1
    /// (seed 1; 2000 at λ = 0.5; at a learning rate of 10⁻³ or 5·10⁻⁴ alike) and after 11000
    /// at λ = 2 (seed 3). At λ = 4 all three seeds keep up for 15000 steps, but seed 3 still lost them at
    /// step 25000 of a 30000-step run: a larger λ delays the loss, it does not prevent it (the chain guard,
    /// ImageChainOptions::guard, rewinds such a run and halves the learning rate; doubling λ instead lost
    /// the chains again within 250 steps). The chains' speed
    /// is λ times the energy's slope, which α scales: α = 1 lost them from the start (docs/images.md, "The
    /// default run, measured").
    float stepSize = 4.0f;
    float noise = 0.005f;  ///< σ (pixel units)
    void validate() const; ///< throws InvalidArgument
};

/// Langevin steps for repairing images (inpainting, denoising) and for fresh chains from noise, in
/// `ebmlab-cli eval --image-model` and the image window's repair panel alike. At CD's λ = 4, chains from
/// noise are digits within about 60 steps (λK = 240, near the 200 steps at λ = 1 used before), and longer
/// runs walk away from the image they repair: on the seed-1 default model, inpainting / denoising ended at
/// 0.194 / 0.053 after 20 steps, 0.138 / 0.090 after 60, 0.135 / 0.114 after 100 and 0.147 / 0.147 after
/// 200 (black 0.148; noisy start 0.134).
constexpr int kImageRepairSteps = 60;

/// Runs `steps` steps of image Langevin (λ, σ from o) on the columns of X in place. With clamp (same
/// shape as X, 1 = known pixel, 0 = free), known pixels keep their values at every step: Langevin on the
/// conditional p(free | known), which is how inpainting and denoising with an EBM work. observe, if set,
/// is called before the first step and after each step with the step index (0..steps), X and E(X).
void imageLangevin(const EnergyModel<float>& model, Matf& X, const ImageLangevinOptions& o, int steps,
                   Rng& rng, const Matf* clamp = nullptr,
                   const std::function<void(int step, const Matf& X, const Rowf& E)>& observe = {});

/// The persistent chains that give the contrastive objectives their negative images.
struct ImageChainOptions {
    ImageLangevinOptions langevin; ///< the sampler of every chain (training negatives)
    int bufferSize = 10000;        ///< replay buffer capacity (images), starts as uniform noise
    /// Of each negative batch, the fraction restarted from uniform noise. 0.2 rather than the usual 0.05:
    /// inpainting and the window's repairs start the erased pixels from uniform noise, and only a model
    /// that often sees chains come out of noise learns to pull them onto the right strokes (15000 steps on
    /// the digits, seeds 1-3: the erased lower half ends at 0.134 / 0.133 / 0.135 mean |error| with 0.2,
    /// below filling it with black, 0.148 / 0.152 / 0.149; 0.171 with 0.05 after 10000 steps). Sample
    /// quality is the same within the seeds' spread (docs/images.md, "The default run, measured").
    float freshFraction = 0.2f;
    /// The chain guard (contrastive divergence only): every kGuardEvery steps the trainer measures the gap
    /// mean E(x⁻) − mean E(x⁺) on the step's batches. A run whose chains are lost has this gap near the
    /// regulariser's bound 1/α (E⁺ at −1/(2α), E⁻ at +1/(2α)); when its running mean passes a quarter of
    /// that bound the guard rewinds θ, the optimiser and the buffer to a checkpoint taken at least
    /// kCheckpointEvery steps earlier while the gap was small, and halves the learning rate: the model
    /// then changes more slowly than the chains that follow it (docs/images.md, "The chain guard"). After
    /// kGuardMaxRewinds rewinds to the same checkpoint it stops and says so. Nothing changes, bit for bit,
    /// while the gap stays below the bound.
    bool guard = true;
    void validate() const;
};

struct ImageTrainerOptions : TrainingOptions {
    /// Image defaults: 64 images per batch, Adam with β₁ = 0.5 at 10⁻³ and a constant rate, |E| up to 10⁶,
    /// the methods' image hyperparameters (exact score matching needs d second derivatives per image and
    /// is not offered).
    ImageTrainerOptions();
    ImageModelKind model = ImageModelKind::Conv;
    ConvNetOptions conv;                               ///< width/height are set from the data
    MlpOptions mlp{256, {256, 256}, Activation::SiLU}; ///< inputDim is set from the data
    ImageChainOptions chains;
    void validate() const; ///< throws InvalidArgument
};

/// Everything needed to continue training an image model bit for bit.
struct ImageTrainerState : TrainingState {
    ImageTrainerOptions options;
};

class ImageTrainer : public ModelTrainer {
public:
    /// data must hold at least one image; pixels in [0, 1]. Throws InvalidArgument.
    ImageTrainer(std::shared_ptr<const ImageSet> data, const ImageTrainerOptions& options);

    /// Applies new options between steps. Model, optimiser and buffer are re-initialised (reset()) only if
    /// the model kind, its architecture or the seed changed; a new buffer size refills the buffer with
    /// noise; everything else (method, learning rate, Langevin, hyperparameters) carries on.
    void setOptions(const ImageTrainerOptions& o);
    /// Re-initialises model, optimiser, buffer and generator from the options' seed.
    void reset();
    /// Replaces θ (e.g. a saved model of the same architecture) and restarts the optimiser's moments; the
    /// step count and buffer carry on. Throws InvalidArgument if the size differs or θ is not finite.
    void setParameters(const Vecf& theta);

    const ImageTrainerOptions& options() const { return m_o; }
    const ImageSet& data() const { return *m_data; }
    std::shared_ptr<const ImageSet> dataPtr() const { return m_data; }
    const EnergyModel<float>& model() const { return energyModel(); }

    /// Runs steps of image Langevin (options().chains.langevin's λ, σ) on X in place with rng.
    void langevin(Matf& X, int steps, Rng& rng) const;

    /// The chain guard's running mean of E(x⁻) − E(x⁺), measured with CD whether or not the guard is on
    /// (NaN before its first measurement or with other methods), and how often the guard has acted
    /// (rewound the run, or given up) since the last reset.
    double chainGap() const { return m_gapMean; }
    int guardEvents() const { return m_guardEvents; }
    static constexpr int kGuardEvery = 10;        ///< steps between two measurements of the gap
    static constexpr int kGuardSettle = 5;        ///< measurements before the guard may act
    static constexpr int kCheckpointEvery = 500;  ///< steps between two checkpoints
    static constexpr double kGuardHealthy = 0.05; ///< a checkpoint is taken only below this · 1/α
    static constexpr double kGuardLost = 0.25;    ///< the guard rewinds above this · 1/α
    static constexpr int kGuardMaxRewinds = 4;    ///< rewinds to one checkpoint before the guard gives up

    ImageTrainerState state() const;
    /// Continues from s (options, θ, optimiser, buffer, steps, generator) on this trainer's images. Throws
    /// InvalidArgument and changes nothing if s does not fit them.
    void restore(const ImageTrainerState& s);

protected:
    const TrainingOptions& trainingOptions() const override { return m_o; }
    TrainingOptions& mutableTrainingOptions() override { return m_o; }
    ModelKind kind() const override { return ModelKind::Image; }
    std::unique_ptr<EnergyModel<float>> makeModel(Rng& rng) const override;
    void afterStep(StepStats& s) override;

private:
    std::shared_ptr<const ImageSet> m_data;
    ImageTrainerOptions m_o;
    // The chain guard: the latest healthy checkpoint and the one before it (the one a rewind returns to).
    TrainingState m_checkpoint, m_olderCheckpoint;
    double m_gapMean = std::numeric_limits<double>::quiet_NaN();
    int m_gapCount = 0; ///< measurements in m_gapMean
    int m_guardEvents = 0;
    /// Rewinds since the newest checkpoint was taken; kGuardMaxRewinds + 1 once the guard has given up.
    int m_rewindsToCheckpoint = 0;
    void forgetGuard(bool countsToo);
    /// The options with the model's input size set from the data.
    ImageTrainerOptions fitted(const ImageTrainerOptions& o) const;
};

} // namespace ebm::core
