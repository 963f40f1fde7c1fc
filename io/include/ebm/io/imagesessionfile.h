#pragma once
/// @file imagesessionfile.h
/// The image session file (.ebmlab-images): the image window's whole scene, so that reopening continues
/// bit for bit — which images (name, size), the image trainer's complete state (options with every
/// method's hyperparameters, θ, optimiser moments, replay buffer, steps, generator), the Langevin sampler
/// remembered per method, and the live chains with their generator (docs/session-file.md). Qt-free.
#include <ebm/core/imagetrainer.h>

#include <map>
#include <string>

namespace ebm::io {

inline constexpr const char* kImageSessionFormat = "ebmlab-image-session";
inline constexpr int kImageSessionVersion = 1;
inline constexpr std::size_t kMaxImageSessionFileBytes = std::size_t(1) << 30;

struct ImageSessionFile {
    std::string data = "digits"; ///< "digits", "fashion-mnist" or a folder of PNG images
    int size = 16;               ///< images are size x size
    core::ImageTrainerState trainer;
    /// The Langevin sampler remembered per method (the image window swaps it in with the method).
    std::map<std::string, core::ImageLangevinOptions> samplers;
    bool training = true;
    core::Matf chains;        ///< the live chains (pixels x n)
    std::string liveRngState; ///< their generator (as written by operator<<)
};

/// Serialises; throws core::InvalidArgument if the record is inconsistent (non-finite numbers, sizes).
std::string toJson(const ImageSessionFile& s);
/// Parses and validates every field (types, ranges, array sizes, generator states); `source` names the
/// file in messages. Throws core::InvalidArgument (bad content) or core::RuntimeError (not JSON).
ImageSessionFile parseImageSessionJson(const std::string& text, const std::string& source = "image session file");
/// Atomic write / full read. Errors as above, core::RuntimeError for I/O.
void saveImageSession(const ImageSessionFile& s, const std::string& path);
ImageSessionFile loadImageSession(const std::string& path);

} // namespace ebm::io
