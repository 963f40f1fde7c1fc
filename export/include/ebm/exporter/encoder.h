#pragma once
/// @file encoder.h
/// Frame sinks: an animation is written by feeding RGB frames to an Encoder and calling finish(). The
/// output appears under its final name only when finish() succeeds; an encoder destroyed before that (an
/// error, a cancel) leaves nothing behind. Cancellation: an atomic flag checked between frames and during
/// the final encode; progress: a callback for the final encode (the GIF's palette and dithering pass).
#include <ebm/core/types.h>
#include <ebm/render/image.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace ebm::exporter {

enum class Format { Gif, Mp4, WebM, PngSequence };
std::string formatName(Format f); ///< "gif" | "mp4" | "webm" | "png"

/// The format of an output path: .gif, .mp4, .webm, or a directory (an existing one, or a path ending
/// in '/') for PNG frames. Throws core::InvalidArgument naming the accepted forms.
Format formatFromPath(const std::string& path);

/// The export was cancelled (nothing was written).
class Cancelled : public core::RuntimeError {
public:
    Cancelled() : core::RuntimeError("export cancelled") {}
};

struct EncodeControl {
    const std::atomic<bool>* cancel = nullptr;         ///< set to true to stop (Cancelled is thrown)
    std::function<void(int done, int total)> progress; ///< during finish(): frames encoded so far
    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void check() const {
        if (cancelled()) throw Cancelled();
    }
};

struct EncoderOptions {
    int width = 640, height = 480; ///< frame size (MP4/WebM: even; GIF: at most 65535)
    double fps = 10;               ///< frames per second (GIF: delays in hundredths of a second)
    int quality = 23;              ///< MP4/WebM constant-quality CRF (lower = better, larger)
};

class Encoder {
public:
    virtual ~Encoder() = default;
    /// Appends a frame (the encoder's size). Throws Cancelled, core::InvalidArgument (wrong size) or
    /// core::RuntimeError (encoder or write failure).
    virtual void addFrame(const render::Image& frame) = 0;
    /// Completes the file and moves it under its final name. Throws like addFrame.
    virtual void finish() = 0;
    virtual int frameCount() const = 0;
};

/// Checks the options for the format (sizes, fps) and that the output can be created, before any work
/// is done. Throws core::InvalidArgument with a one-line message.
void checkOutput(const std::string& path, Format f, const EncoderOptions& o);

/// The encoder for a format (checkOutput first). The control object must outlive the encoder.
std::unique_ptr<Encoder> makeEncoder(const std::string& path, Format f, const EncoderOptions& o,
                                     const EncodeControl& control);

} // namespace ebm::exporter
