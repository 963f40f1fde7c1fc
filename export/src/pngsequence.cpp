// A PNG frame sequence (frame_00000.png, ...) through libpng's simplified API, written into a temporary
// directory next to the target that is renamed to it by finish().
#include "encoders.h"
#include "tempoutput.h"

#include <png.h>

#include <cstdio>
#include <cstring>

namespace ebm::exporter {

namespace {
class PngSequence final : public Encoder {
public:
    PngSequence(const std::string& path, const EncoderOptions& o, const EncodeControl& c)
        : m_dir(path, TempOutput::Kind::Directory), m_o(o), m_control(c) {}

    void addFrame(const render::Image& img) override {
        m_control.check();
        checkFrameSize(img, m_o);
        char name[32];
        std::snprintf(name, sizeof name, "/frame_%05d.png", m_count);
        const std::string file = m_dir.path() + name;
        png_image pi;
        std::memset(&pi, 0, sizeof pi);
        pi.version = PNG_IMAGE_VERSION;
        pi.width = png_uint_32(img.width);
        pi.height = png_uint_32(img.height);
        pi.format = PNG_FORMAT_RGB;
        if (!png_image_write_to_file(&pi, file.c_str(), 0, img.rgb.data(), img.width * 3, nullptr)) {
            const std::string msg = pi.message;
            png_image_free(&pi);
            throw core::RuntimeError("writing '" + file + "' failed: " + msg);
        }
        ++m_count;
    }

    int frameCount() const override { return m_count; }

    void finish() override {
        m_control.check();
        if (m_count == 0) throw core::RuntimeError("no frames to write");
        m_dir.commit();
        if (m_control.progress) m_control.progress(m_count, m_count);
    }

private:
    TempOutput m_dir;
    EncoderOptions m_o;
    const EncodeControl& m_control;
    int m_count = 0;
};
} // namespace

std::unique_ptr<Encoder> makePngSequence(const std::string& path, const EncoderOptions& o,
                                         const EncodeControl& control) {
    return std::make_unique<PngSequence>(path, o, control);
}

} // namespace ebm::exporter
