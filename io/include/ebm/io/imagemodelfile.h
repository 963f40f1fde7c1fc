#pragma once
/// @file imagemodelfile.h
/// The image model file written by `ebmlab-cli train --images ... --save` (docs/images.md):
///   {"format": "ebmlab-image-model", "version": 1, "model": "conv" | "mlp", "width": 16, "height": 16,
///    "layers": [{"channels": 16, "stride": 1}, ...] (conv) | "hidden": [256, 256] (mlp),
///    "activation": "silu", "images": "digits", "method": "cd", "steps": 1500, "params": [...]}
/// params is θ in ConvNet's / Mlp's flat layout, written so that loading gives the same float bits.
#include <ebm/core/convnet.h>

#include <memory>
#include <string>

namespace ebm::io {

inline constexpr const char* kImageModelFormat = "ebmlab-image-model";

struct ImageModelFile {
    std::shared_ptr<const core::EnergyModel<float>> model; ///< a ConvNet<float> or an Mlp<float>
    int width = 0, height = 0;
    std::string images, method; ///< what it was trained on and how ("" if unknown)
    std::int64_t steps = 0;
};

/// Serialises; throws core::InvalidArgument if model is neither a ConvNet nor an Mlp, or the size is wrong.
std::string toJson(const ImageModelFile& m);
/// Parses and validates everything; throws core::RuntimeError (not JSON) or core::InvalidArgument.
ImageModelFile parseImageModelJson(const std::string& text, const std::string& source = "image model file");
/// Atomic write / full read (at most 512 MiB). Errors as above, RuntimeError for I/O.
void saveImageModel(const ImageModelFile& m, const std::string& path);
ImageModelFile loadImageModel(const std::string& path);

} // namespace ebm::io
