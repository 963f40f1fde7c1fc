#include <ebm/exporter/encoder.h>

#include "encoders.h"

#include <ebm/io/atomicfile.h>

#include <cmath>
#include <filesystem>
#include <unistd.h>

namespace ebm::exporter {

std::string formatName(Format f) {
    switch (f) {
    case Format::Gif:
        return "gif";
    case Format::Mp4:
        return "mp4";
    case Format::WebM:
        return "webm";
    case Format::PngSequence:
        return "png";
    }
    return "?";
}

namespace {
bool endsWith(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i])
            return false;
    return true;
}
} // namespace

Format formatFromPath(const std::string& path) {
    std::error_code ec;
    if (!path.empty() && (path.back() == '/' || std::filesystem::is_directory(path, ec)))
        return Format::PngSequence;
    if (endsWith(path, ".gif")) return Format::Gif;
    if (endsWith(path, ".mp4")) return Format::Mp4;
    if (endsWith(path, ".webm")) return Format::WebM;
    throw core::InvalidArgument("cannot tell the format of \"" + path +
                                "\": use a name ending in .gif, .mp4 or .webm, or a directory ending in / "
                                "for PNG frames");
}

void checkFrameSize(const render::Image& frame, const EncoderOptions& o) {
    if (frame.width != o.width || frame.height != o.height)
        throw core::InvalidArgument("frame is " + std::to_string(frame.width) + "x" +
                                    std::to_string(frame.height) + ", the animation " +
                                    std::to_string(o.width) + "x" + std::to_string(o.height));
}

void checkOutput(const std::string& path, Format f, const EncoderOptions& o) {
    if (o.width < 16 || o.height < 16 || o.width > 4096 || o.height > 4096)
        throw core::InvalidArgument("the frame size must be between 16x16 and 4096x4096, got " +
                                    std::to_string(o.width) + "x" + std::to_string(o.height));
    if ((f == Format::Mp4 || f == Format::WebM) && (o.width % 2 || o.height % 2))
        throw core::InvalidArgument(formatName(f) + " needs an even frame size (yuv420p), got " +
                                    std::to_string(o.width) + "x" + std::to_string(o.height));
    if (!(std::isfinite(o.fps) && o.fps >= 1 && o.fps <= 100))
        throw core::InvalidArgument("the frame rate must be between 1 and 100 fps");
    if (f != Format::PngSequence) {
        io::checkWritableLocation(path);
        return;
    }
    std::string dir = path;
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    std::error_code ec;
    if (std::filesystem::exists(dir, ec)) {
        if (!std::filesystem::is_directory(dir, ec))
            throw core::InvalidArgument("'" + dir + "' exists and is not a directory");
        if (!std::filesystem::is_empty(dir, ec))
            throw core::InvalidArgument("the frame directory '" + dir + "' exists and is not empty");
    }
    const auto parent = std::filesystem::path(dir).parent_path();
    const std::string p = parent.empty() ? std::string(".") : parent.string();
    if (!std::filesystem::is_directory(p, ec))
        throw core::InvalidArgument("cannot write '" + dir + "': directory '" + p + "' does not exist");
    if (::access(p.c_str(), W_OK | X_OK) != 0)
        throw core::InvalidArgument("cannot write '" + dir + "': directory '" + p + "' is not writable");
}

std::unique_ptr<Encoder> makeEncoder(const std::string& path, Format f, const EncoderOptions& o,
                                     const EncodeControl& control) {
    checkOutput(path, f, o);
    switch (f) {
    case Format::Gif:
        return makeGifEncoder(path, o, control);
    case Format::Mp4:
    case Format::WebM:
        return makeVideoEncoder(path, f, o, control);
    case Format::PngSequence:
        return makePngSequence(path, o, control);
    }
    throw core::InvalidArgument("unknown format");
}

} // namespace ebm::exporter
