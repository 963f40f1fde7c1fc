#pragma once
/// @file imagesession.h
/// The image mode's worker-thread state, without threading: the data, an ImageTrainer, live Langevin
/// chains, fixed probe images (held-out data, uniform noise) for the energy histogram, and the snapshots
/// the image window draws. ImageWorker drives one from its thread; tests can drive one directly.
#include "chaintrajectory.h"
#include "imagesettings.h"
#include "imagesnapshot.h"
#include "rankedimage.h"

#include <chrono>
#include <ebm/core/imagetrainer.h>
#include <ebm/io/imagedata.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/imagesessionfile.h>
#include <memory>
#include <string>

namespace ebm::ui {

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
    /// The whole scene (settings, trainer state, samplers, live chains and their generator) as an image
    /// session file record.
    io::ImageSessionFile sessionFile() const;
    /// Continues from a saved scene on data (loaded by the caller from f.data and f.size): training,
    /// the live chains and their generator go on bit for bit. Throws InvalidArgument and changes nothing
    /// if f does not fit the data.
    void restore(const io::ImageSessionFile& f, io::ImageData data);

    /// Training or a requested step, or steps taken that no snapshot has shown yet: the worker publishes
    /// only when the GUI took the last snapshot, so the last of a few requested steps would otherwise never
    /// be shown once training stops.
    bool wantsToRun() const { return busy() || m_unshown; }
    /// Training runs flat out whenever it runs (no set speed), so the worker paces nothing else.
    bool busy() const { return m_s.training || m_pendingSteps > 0; }
    /// One training step (when playing or a step is pending); the live chains follow. They move only
    /// with training, so whether a snapshot follows (publishing) changes nothing here.
    void advance(bool publishing = true);
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
    bool m_unshown = false; // a step was taken after the last snapshot
    std::int64_t m_serial = 0;
    double m_lossSum = 0;
    int m_steps = 0;
    bool m_diverged = false;
    std::string m_guardMessage; ///< what the chain guard did last (a rewind, or giving up)
    std::string m_message;
    std::chrono::steady_clock::time_point m_rateStart = std::chrono::steady_clock::now();
    std::int64_t m_rateSteps = 0;
    double m_stepsPerSecond = 0;

    void initProbes();
};

} // namespace ebm::ui
