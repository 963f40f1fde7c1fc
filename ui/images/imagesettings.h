#pragma once
/// @file imagesettings.h
/// The image mode's settings, as the image window sends them to the worker.
#include <ebm/core/imagetrainer.h>
#include <map>
#include <string>

namespace ebm::ui {

/// Everything the image window can set. Like WorkerSettings, the whole struct is sent on every change
/// and the session applies only the difference (a new method keeps the model; new data, architecture or
/// seed re-initialise it).
struct ImageSettings {
    std::string data = "digits";       ///< "digits", "fashion-mnist" or a folder of PNG images
    int size = 16;                     ///< images are size x size
    core::ImageTrainerOptions trainer; ///< trainer.chains.langevin: the sampler of the current method
    bool training = true;              ///< play / pause
    /// The Langevin sampler remembered per method (by name), swapped in by withMethod. A method with MCMC
    /// negatives (CD) takes the image default (core::ImageLangevinOptions: λ = 4, σ = 0.005); the others
    /// (score matching, NCE) learn much steeper energies (|∇E| of tens per pixel early on), where λ = 1
    /// already overshoots into checkerboards above the energy of noise, so they start at λ = 0.01 (measured
    /// on the digits after 150 steps: chains from noise then go downhill).
    std::map<std::string, core::ImageLangevinOptions> samplers = defaultSamplers();
    /// How many actions of CD's chain guard the window had seen when it sent these settings. The guard
    /// halves the learning rate on the worker; settings sent before the window heard of it carry the old
    /// rate, and the worker keeps its own (ImageSession::apply).
    int guardEventsSeen = 0;
    static constexpr int kGridImages = 64;   ///< images per grid (8 x 8)
    static constexpr int kProbeImages = 256; ///< held-out and noise images in the energy histogram

    /// These settings with method m: the current sampler is remembered for the current method and m's
    /// is taken.
    ImageSettings withMethod(const std::string& m) const;
    static std::map<std::string, core::ImageLangevinOptions> defaultSamplers();
};

} // namespace ebm::ui
