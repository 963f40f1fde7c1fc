#pragma once
/// @file modelfile.h
/// The model file written by `ebmlab-cli train --save` and read by `eval`/`sample` (docs/model-file.md):
///   {"format": "ebmlab-model", "version": 1, "input_dim": 2, "hidden": [128, 128], "activation": "silu",
///    "params": [...], "log_z_estimate": 1.23 | null, "target": "eight-gaussians", "method": "cd", "steps":
///    3000}
/// params is θ in Mlp's flat layout (mlp.h), written with enough digits that loading gives the same bits.
#include <ebm/core/mlp.h>

#include <cstdint>
#include <limits>
#include <string>

namespace ebm::io {

inline constexpr const char* kModelFormat = "ebmlab-model";
inline constexpr int kModelVersion = 1;
/// Sane limits checked on load (before anything is allocated from the file's numbers).
inline constexpr int kMaxInputDim = 64;
inline constexpr core::Index kMaxParams = core::Index(1) << 24;
inline constexpr std::size_t kMaxModelFileBytes = std::size_t(512) << 20;

struct ModelFile {
    core::MlpOptions architecture;
    core::Vecf params;                                              ///< θ, Mlp layout
    double logZEstimate = std::numeric_limits<double>::quiet_NaN(); ///< NCE's c; NaN = none (null in JSON)
    std::string target; ///< preset the model was trained on ("" if unknown)
    std::string method; ///< "cd" | "sm" | ... ("" if unknown)
    std::int64_t steps = 0;

    /// Builds the network (architecture and params must agree; checked by load/parse already).
    core::Mlp<float> toMlp() const;
    /// The record for a trained network.
    static ModelFile fromMlp(const core::Mlp<float>& mlp);
};

/// Number of parameters of an architecture, or -1 if it exceeds kMaxParams (no overflow).
core::Index parameterCount(const core::MlpOptions& architecture);

/// Serialises to JSON text (one object, newline-terminated). Throws InvalidArgument if the record is
/// inconsistent (params size vs architecture, non-finite params).
std::string toJson(const ModelFile& m);
/// Parses and validates everything (format, version, sizes, finite numbers, limits). `source` names the
/// file in messages. Throws core::InvalidArgument (bad content) or core::RuntimeError (not JSON).
ModelFile parseModelJson(const std::string& text, const std::string& source = "model file");

/// Writes atomically (temporary file + rename). Throws core::RuntimeError on I/O failure.
void saveModel(const ModelFile& m, const std::string& path);
/// Reads and validates. Throws core::RuntimeError (unreadable, not JSON) or core::InvalidArgument.
ModelFile loadModel(const std::string& path);

} // namespace ebm::io
