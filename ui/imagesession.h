#pragma once
/// @file imagesession.h
/// The image mode's worker-thread state, without threading: the data, an ImageTrainer, live Langevin
/// chains, fixed probe images (held-out data, uniform noise) for the energy histogram, and the snapshots
/// the image window draws. ImageWorker drives one from its thread; tests can drive one directly.
#include <QMetaType>
#include <chrono>
#include <ebm/core/imagetrainer.h>
#include <ebm/io/imagedata.h>
#include <ebm/io/imagemodelfile.h>
#include <map>
#include <memory>
#include <string>

namespace ebm::ui {

/// Everything the image window can set. Like WorkerSettings, the whole struct is sent on every change
/// and the session applies only the difference (a new method keeps the model; new data, architecture or
/// seed re-initialise it).
struct ImageSettings {
    std::string data = "digits";       ///< "digits", "fashion-mnist" or a folder of PNG images
    int size = 16;                     ///< images are size x size
    core::ImageTrainerOptions trainer; ///< trainer.cd.langevin: the sampler of the current method
    bool training = true;              ///< play / pause
    /// The Langevin sampler remembered per method, swapped in by withMethod. CD takes the short-run
    /// recipe (λ = 1, σ = 0.005); score matching and NCE learn much steeper energies (|∇E| of tens per
    /// pixel early on), where λ = 1 overshoots into checkerboards above the energy of noise, so they
    /// start at λ = 0.01 (measured on the digits after 150 steps: chains from noise then go downhill).
    std::map<core::Method, core::ImageLangevinOptions> samplers = defaultSamplers();
    static constexpr int kGridImages = 64;   ///< images per grid (8 x 8)
    static constexpr int kProbeImages = 256; ///< held-out and noise images in the energy histogram

    /// These settings with method m: the current sampler is remembered for the current method and m's
    /// is taken.
    ImageSettings withMethod(core::Method m) const;
    static std::map<core::Method, core::ImageLangevinOptions> defaultSamplers();
};

struct ImageSnapshot {
    std::int64_t step = 0, serial = 0;
    core::Method method = core::Method::ContrastiveDivergence;
    std::string dataName;
    int width = 0, height = 0;
    bool playing = false;
    double loss = std::numeric_limits<double>::quiet_NaN(); ///< mean over the steps since the last snapshot
    double stepsPerSecond = 0;
    int stepsInChunk = 0;
    bool diverged = false;
    std::string message;

    /// The chains: CD's negatives x⁻ of the last step (64 replay-buffer chains after K Langevin steps);
    /// for the other methods, 64 persistent Langevin chains run under the current model.
    core::Matf chains;
    bool chainsAreNegatives = true;
    core::Matf buffer;                                ///< 64 fixed replay-buffer slots
    std::shared_ptr<const core::Matf> data;           ///< 64 fixed training images
    core::Rowf energyData, energyChains, energyNoise; ///< E of held-out images, the chains, uniform noise
};
using ImageSnapshotPtr = std::shared_ptr<const ImageSnapshot>;

/// One Langevin trajectory from a start image: frames.col(t) after t steps, energy(t) = E(frames.col(t)).
struct ChainTrajectory {
    core::Matf frames;
    core::Rowf energy;
    int width = 0, height = 0;
};

/// An image ranked by energy in the anomaly demo.
struct RankedImage {
    enum Kind { HeldOut, Noise, Corrupted, OutOfDistribution, Edited };
    Kind kind;
    float energy;
    core::Vecf pixels;
};
QString rankedKindName(RankedImage::Kind k);

class ImageSession {
public:
    /// Builds a session on loaded data (io::loadImageData). Throws InvalidArgument on bad options.
    ImageSession(const ImageSettings& s, io::ImageData data);

    /// Applies the difference between s and the current settings. New data must be loaded by the caller
    /// (withData) — loading can fail, and then nothing here changes.
    void apply(const ImageSettings& s);
    /// Replaces the data (and re-initialises the model, which was fitted to the old images).
    void setData(const ImageSettings& s, io::ImageData data);
    void reset();
    void requestSteps(int n) { m_pendingSteps += n; }
    /// Installs a saved model: the settings take its architecture and the trainer its parameters. Throws
    /// InvalidArgument (nothing changed) if its image size differs from the data's.
    void loadModel(const io::ImageModelFile& f);
    /// The current model as a file record.
    io::ImageModelFile modelFile() const;

    bool wantsToRun() const { return m_s.training || m_pendingSteps > 0; }
    /// One training step (when playing or a step is pending); the live chains follow.
    void advance();
    ImageSnapshotPtr snapshot();

    /// Langevin from x0 for `steps` steps with the training sampler's λ and σ (demo generator).
    ChainTrajectory trajectory(const core::Vecf& x0, int steps);
    /// Langevin on x with the pixels where clamp = 1 held fixed; returns every `every`-th frame.
    ChainTrajectory repair(const core::Vecf& x, const core::Vecf& clamp, int steps, float stepSize,
                           float noise);
    /// Held-out images, uniform noise, noisy held-out images, out-of-distribution images (digits under a
    /// Fashion-MNIST model, Fashion-MNIST under any other, when installed) and `extra`, sorted by energy.
    std::vector<RankedImage> rankByEnergy(const core::Vecf* extra, int perKind);
    /// A held-out image (cycling through them).
    core::Vecf heldOutImage(int index) const;

    const ImageSettings& settings() const { return m_s; }
    const core::ImageTrainer& trainer() const { return *m_trainer; }
    const io::ImageData& data() const { return m_data; }

private:
    ImageSettings m_s;
    io::ImageData m_data;
    std::unique_ptr<core::ImageTrainer> m_trainer;
    core::Rng m_rng;
    core::Matf m_chains, m_noise, m_heldOut;
    std::shared_ptr<const core::Matf> m_dataGrid;
    std::vector<core::Index> m_bufferSlots;
    int m_pendingSteps = 0;
    std::int64_t m_serial = 0;
    double m_lossSum = 0;
    int m_steps = 0;
    bool m_diverged = false;
    std::string m_message;
    std::chrono::steady_clock::time_point m_rateStart = std::chrono::steady_clock::now();
    std::int64_t m_rateSteps = 0;
    double m_stepsPerSecond = 0;

    void initProbes();
};

} // namespace ebm::ui

Q_DECLARE_METATYPE(ebm::ui::ImageSnapshotPtr)
