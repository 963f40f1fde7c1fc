// Animated GIF through libcgif: frames are kept until finish(), which builds one palette from all of them
// (palette.h), dithers each frame onto it and streams the GIF into an io::AtomicFile.
#include "encoders.h"

#include <ebm/exporter/palette.h>
#include <ebm/io/atomicfile.h>

#include <cgif.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace ebm::exporter {

namespace {
// 255 colours: cgif's transparency optimisation (unchanged pixels become transparent) needs a free entry.
constexpr int kGifColors = 255;
constexpr std::size_t kMaxKeptBytes = std::size_t(1) << 30;

int writeToStream(void* context, const std::uint8_t* data, const size_t n) {
    auto* out = static_cast<std::ostream*>(context);
    out->write(reinterpret_cast<const char*>(data), std::streamsize(n));
    return *out ? 0 : -1;
}

class GifEncoder final : public Encoder {
public:
    GifEncoder(std::string path, const EncoderOptions& o, const EncodeControl& c)
        : m_path(std::move(path)), m_o(o), m_control(c) {
        if (o.width > 65535 || o.height > 65535)
            throw core::InvalidArgument("GIF frames are at most 65535 px");
    }

    void addFrame(const render::Image& frame) override {
        m_control.check();
        checkFrameSize(frame, m_o);
        // The frames are kept for the animation-wide palette: bound the memory that takes.
        if (double(m_count + 1) * double(frame.rgb.size()) > double(kMaxKeptBytes))
            throw core::RuntimeError("too many frames for a GIF (over 1 GiB of pixels); use MP4 or WebM, or "
                                     "fewer or smaller frames");
        m_frames.push_back(frame);
        ++m_count;
    }

    int frameCount() const override { return m_count; }

    void finish() override {
        m_control.check();
        if (m_frames.empty()) throw core::RuntimeError("no frames to write");
        PaletteMapper mapper(medianCutPalette(m_frames, kGifColors));
        std::vector<std::uint8_t> pal(size_t(kGifColors) * 3, 0);
        for (size_t i = 0; i < mapper.palette().size(); ++i) {
            pal[3 * i] = mapper.palette()[i].r;
            pal[3 * i + 1] = mapper.palette()[i].g;
            pal[3 * i + 2] = mapper.palette()[i].b;
        }
        io::AtomicFile file(m_path);
        CGIF_Config cfg;
        std::memset(&cfg, 0, sizeof cfg);
        cfg.pGlobalPalette = pal.data();
        cfg.numGlobalPaletteEntries = std::uint16_t(kGifColors);
        cfg.attrFlags = CGIF_ATTR_IS_ANIMATED;
        cfg.width = std::uint16_t(m_o.width);
        cfg.height = std::uint16_t(m_o.height);
        cfg.numLoops = CGIF_INFINITE_LOOP;
        cfg.pWriteFn = writeToStream;
        cfg.pContext = &file.stream();
        CGIF* gif = cgif_newgif(&cfg);
        if (!gif) throw core::RuntimeError("the GIF encoder failed to start (out of memory or write error)");
        std::vector<std::uint8_t> indices;
        const int n = int(m_frames.size());
        int result = CGIF_OK;
        try {
            for (int i = 0; i < n && result == CGIF_OK; ++i) {
                m_control.check();
                mapper.dither(m_frames[size_t(i)], indices);
                CGIF_FrameConfig fc;
                std::memset(&fc, 0, sizeof fc);
                fc.pImageData = indices.data();
                fc.genFlags = CGIF_FRAME_GEN_USE_TRANSPARENCY | CGIF_FRAME_GEN_USE_DIFF_WINDOW;
                // Delays in 1/100 s, rounded so that they add up to the right total.
                const auto at = [&](int k) { return std::lround(100.0 * k / m_o.fps); };
                fc.delay = std::uint16_t(std::max(1L, at(i + 1) - at(i)));
                result = cgif_addframe(gif, &fc);
                if (m_control.progress) m_control.progress(i + 1, n);
            }
        } catch (...) {
            cgif_close(gif);
            throw;
        }
        const int closed = cgif_close(gif);
        if (result != CGIF_OK || closed != CGIF_OK)
            throw core::RuntimeError("writing the GIF '" + m_path + "' failed (cgif error " +
                                     std::to_string(result != CGIF_OK ? result : closed) + ")");
        file.commit();
        m_frames.clear();
    }

private:
    std::string m_path;
    EncoderOptions m_o;
    const EncodeControl& m_control;
    std::vector<render::Image> m_frames;
    int m_count = 0;
};
} // namespace

std::unique_ptr<Encoder> makeGifEncoder(const std::string& path, const EncoderOptions& o,
                                        const EncodeControl& control) {
    return std::make_unique<GifEncoder>(path, o, control);
}

} // namespace ebm::exporter
