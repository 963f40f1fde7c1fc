#pragma once
/// @file session.h
/// The session file (.ebmlab): the whole scene, so that reopening continues exactly where it stopped —
/// the target (preset or drawing), the trainer's complete state (options, parameters, optimiser moments,
/// replay buffer, step counts, random generator), the live particles and their sampler, the window's view
/// and display settings, and the metric history. JSON; float arrays are stored as base64 of their
/// little-endian IEEE-754 bytes (docs/session-file.md). Qt-free.
#include <ebm/core/drawing.h>
#include <ebm/core/trainer.h>
#include <ebm/io/displaylayers.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ebm::io {

inline constexpr const char* kSessionFormat = "ebmlab-session";
inline constexpr int kSessionVersion =
    2; ///< version 1 (hyperparameters in fixed cd/sm/nce records) is still read
/// Limits checked on load before anything is allocated from the file's numbers.
inline constexpr std::size_t kMaxSessionFileBytes = std::size_t(256) << 20;
inline constexpr int kMaxJsonDepth = 32;
inline constexpr core::Index kMaxBufferSize = 1 << 20;
inline constexpr core::Index kMaxParticles = 100000;
inline constexpr std::size_t kMaxHistory = 1000000;
inline constexpr int kMaxStepsPerSecond = 100000; ///< the largest set training speed a file may hold

/// A drawn target: paint (cells x cells, row 0 at y0, values in [0, 1]) plus Gaussian components.
struct DrawingRecord {
    core::Box box;
    int cells = 256;
    core::Matf paint; ///< (iy, ix)
    struct Gaussian {
        double x = 0, y = 0, sigma = 0.4, weight = 1;
    };
    std::vector<Gaussian> gaussians;
};

/// What the view shows (the window's DisplaySettings, by value so io/ needs no Qt).
struct DisplayRecord : DisplayLayers {
    int source = 0;   ///< 0 model, 1 target, 2 difference, 3 Fisher map
    int quantity = 0; ///< 0 energy, 1 e^{−βE}, 2 density, 3 log-density
    int colorMap = 0; ///< 0 viridis, 1 magma, 2 cool–warm
    int path = 0;     ///< 0 automatic, 1 grid texture, 2 per-pixel shader
};

/// One point of the charts' history.
struct HistoryPoint {
    std::int64_t step = 0;
    double loss = 0, kl = 0, logZ = 0, logZEstimate = 0, acceptRate = 0, liveAcceptRate = 0,
           stepsPerSecond = 0;
};

struct SessionFile {
    core::TrainerState
        trainer; ///< options (method, every hyperparameter, seed, box), θ, optimiser, buffer, …
    std::string target = "eight-gaussians"; ///< a preset name, or "drawing"
    std::optional<DrawingRecord> drawing;   ///< required when target is "drawing"; may be kept otherwise
    core::SamplerOptions live;              ///< the live particles' sampler
    core::Matf particles;                   ///< 2 x n live particles
    std::string liveRngState;               ///< the particles' generator (as written by operator<<)
    int stepsPerSecond = 0;                 ///< training speed; 0 = as fast as possible
    int liveStepsPerChunk = 2;              ///< live sampler steps per snapshot
    bool training = true, particlesRunning = true;
    int gridResolution = 128, arrowsAcross = 28;
    core::Box view; ///< the visible data box (zoom and pan)
    DisplayRecord display;
    std::vector<HistoryPoint> history;
};

/// Serialises (throws core::InvalidArgument if the record is inconsistent, e.g. non-finite numbers).
std::string toJson(const SessionFile& s);
/// Parses and validates everything: format, version, every field's type and range, array lengths,
/// finite numbers, the generator states, the nesting depth. `source` names the file in messages.
/// Throws core::InvalidArgument (bad content) or core::RuntimeError (not JSON).
SessionFile parseSessionJson(const std::string& text, const std::string& source = "session file");

/// The drawing a record describes (paint plus Gaussians). Throws core::InvalidArgument if it is invalid.
core::DensityDrawing drawingOf(const DrawingRecord& r);
/// The density a session trains on: its preset, or its drawing. Throws core::InvalidArgument (e.g. an
/// empty drawing).
std::shared_ptr<const core::TargetDensity> targetOf(const SessionFile& s);

/// Writes atomically (temporary file + rename). Throws core::RuntimeError on I/O failure.
void saveSession(const SessionFile& s, const std::string& path);
/// Reads and validates. Throws core::RuntimeError (unreadable, not JSON) or core::InvalidArgument.
SessionFile loadSession(const std::string& path);

} // namespace ebm::io
