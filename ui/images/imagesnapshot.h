#pragma once
/// @file imagesnapshot.h
/// What the image worker publishes for the image window to draw (immutable once published).
#include <QMetaType>
#include <cstdint>
#include <ebm/core/imagetrainer.h>
#include <limits>
#include <memory>
#include <string>

namespace ebm::ui {

struct ImageSnapshot {
    std::int64_t step = 0, serial = 0;
    std::string method = core::TrainingOptions{}.method; ///< a registered objective's name
    std::string dataName;
    int width = 0, height = 0;
    bool playing = false;
    double loss = std::numeric_limits<double>::quiet_NaN(); ///< mean over the steps since the last snapshot
    double stepsPerSecond = 0;
    int threads = 1; ///< threads the training's batch operations use (core::threadCount() on its thread)
    int stepsInChunk = 0;
    bool diverged = false;
    std::string message;
    /// Actions of CD's chain guard since the model was last reset, what the latest one did, and the
    /// learning rate the trainer runs with now (the guard halves it).
    int guardEvents = 0;
    std::string guardMessage;
    float learningRate = 0;

    /// The chains: a contrastive method's negatives x⁻ of the last step (64 replay-buffer chains after K
    /// Langevin steps); for the other methods, 64 persistent Langevin chains run under the current model.
    core::Matf chains;
    bool chainsAreNegatives = true;
    core::Matf buffer;                                ///< 64 fixed replay-buffer slots
    std::shared_ptr<const core::Matf> data;           ///< 64 fixed training images
    core::Rowf energyData, energyChains, energyNoise; ///< E of held-out images, the chains, uniform noise
};
using ImageSnapshotPtr = std::shared_ptr<const ImageSnapshot>;

} // namespace ebm::ui

Q_DECLARE_METATYPE(ebm::ui::ImageSnapshotPtr)
