// MP4 (H.264 through libx264) and WebM (VP9 through libvpx-vp9) with FFmpeg's libavformat/libavcodec;
// libswscale converts the RGB frames to yuv420p. The muxer writes to a temporary name (TempOutput) that
// is renamed when the trailer is written.
#include "encoders.h"
#include "tempoutput.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <mutex>
#include <vector>

namespace ebm::exporter {

namespace {
std::string avError(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

class VideoEncoder final : public Encoder {
public:
    VideoEncoder(const std::string& path, Format f, const EncoderOptions& o, const EncodeControl& c)
        : m_tmp(path, TempOutput::Kind::File), m_o(o), m_control(c) {
        static std::once_flag quiet;
        std::call_once(quiet, [] { av_log_set_level(AV_LOG_ERROR); }); // no encoder chatter on stderr
        const bool mp4 = f == Format::Mp4;
        const char* muxer = mp4 ? "mp4" : "webm";
        const char* codecName = mp4 ? "libx264" : "libvpx-vp9";
        int r = avformat_alloc_output_context2(&m_fmt, nullptr, muxer, m_tmp.path().c_str());
        if (r < 0 || !m_fmt) fail("the " + std::string(muxer) + " muxer is not available", r);
        const AVCodec* codec = avcodec_find_encoder_by_name(codecName);
        if (!codec) throw core::RuntimeError(std::string("this FFmpeg has no ") + codecName + " encoder");
        m_ctx = avcodec_alloc_context3(codec);
        if (!m_ctx) throw core::RuntimeError("out of memory");
        const AVRational rate = av_d2q(o.fps, 100000);
        m_ctx->width = o.width;
        m_ctx->height = o.height;
        m_ctx->pix_fmt = AV_PIX_FMT_YUV420P;
        m_ctx->framerate = rate;
        m_ctx->time_base = av_inv_q(rate);
        m_ctx->gop_size = std::max(1, int(o.fps * 2));
        m_ctx->thread_count = 2;
        // sRGB content, BT.601 matrix (swscale's default), limited range.
        m_ctx->color_range = AVCOL_RANGE_MPEG;
        m_ctx->colorspace = AVCOL_SPC_SMPTE170M;
        m_ctx->color_primaries = AVCOL_PRI_BT709;
        m_ctx->color_trc = AVCOL_TRC_IEC61966_2_1;
        const std::string crf = std::to_string(o.quality);
        if (mp4) {
            av_opt_set(m_ctx->priv_data, "preset", "faster", 0);
            av_opt_set(m_ctx->priv_data, "crf", crf.c_str(), 0);
        } else {
            m_ctx->bit_rate = 0; // constant quality
            av_opt_set(m_ctx->priv_data, "crf", crf.c_str(), 0);
            av_opt_set(m_ctx->priv_data, "deadline", "realtime", 0);
            av_opt_set(m_ctx->priv_data, "cpu-used", "8", 0);
            av_opt_set(m_ctx->priv_data, "row-mt", "1", 0);
        }
        if (m_fmt->oformat->flags & AVFMT_GLOBALHEADER) m_ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        if ((r = avcodec_open2(m_ctx, codec, nullptr)) < 0) fail(std::string("cannot open ") + codecName, r);
        m_stream = avformat_new_stream(m_fmt, nullptr);
        if (!m_stream) throw core::RuntimeError("out of memory");
        m_stream->time_base = m_ctx->time_base;
        m_stream->avg_frame_rate = rate;
        if ((r = avcodec_parameters_from_context(m_stream->codecpar, m_ctx)) < 0) fail("codec parameters", r);
        if ((r = avio_open(&m_fmt->pb, m_tmp.path().c_str(), AVIO_FLAG_WRITE)) < 0)
            fail("cannot open '" + m_tmp.path() + "'", r);
        AVDictionary* opts = nullptr;
        if (mp4) av_dict_set(&opts, "movflags", "+faststart", 0); // playable while downloading
        r = avformat_write_header(m_fmt, &opts);
        av_dict_free(&opts);
        if (r < 0) fail("cannot write the header", r);
        m_sws = sws_getContext(o.width, o.height, AV_PIX_FMT_RGB24, o.width, o.height, AV_PIX_FMT_YUV420P,
                               SWS_BICUBIC, nullptr, nullptr, nullptr);
        m_frame = av_frame_alloc();
        m_packet = av_packet_alloc();
        if (!m_sws || !m_frame || !m_packet) throw core::RuntimeError("out of memory");
        m_frame->format = AV_PIX_FMT_YUV420P;
        m_frame->width = o.width;
        m_frame->height = o.height;
        m_frame->color_range = AVCOL_RANGE_MPEG;
        m_frame->colorspace = AVCOL_SPC_SMPTE170M;
        if ((r = av_frame_get_buffer(m_frame, 0)) < 0) fail("frame buffer", r);
    }

    ~VideoEncoder() override {
        if (m_fmt && m_fmt->pb) avio_closep(&m_fmt->pb);
        avformat_free_context(m_fmt);
        avcodec_free_context(&m_ctx);
        sws_freeContext(m_sws);
        av_frame_free(&m_frame);
        av_packet_free(&m_packet);
        // m_tmp's destructor then removes the unfinished file.
    }

    void addFrame(const render::Image& img) override {
        m_control.check();
        checkFrameSize(img, m_o);
        int r = av_frame_make_writable(m_frame);
        if (r < 0) fail("frame buffer", r);
        // swscale's SIMD paths may read past the end of unaligned rows: hand it aligned, padded rows.
        const int row = img.width * 3, padded = (row + 63) / 64 * 64;
        m_rgb.resize(std::size_t(padded) * std::size_t(img.height + 1) + 64);
        for (int y = 0; y < img.height; ++y)
            std::copy_n(img.rgb.data() + std::size_t(y) * row, row, m_rgb.data() + std::size_t(y) * padded);
        const std::uint8_t* src[1] = {m_rgb.data()};
        const int stride[1] = {padded};
        sws_scale(m_sws, src, stride, 0, img.height, m_frame->data, m_frame->linesize);
        m_frame->pts = m_count++;
        if ((r = avcodec_send_frame(m_ctx, m_frame)) < 0) fail("encoding a frame", r);
        drain();
    }

    int frameCount() const override { return int(m_count); }

    void finish() override {
        m_control.check();
        if (m_count == 0) throw core::RuntimeError("no frames to write");
        int r = avcodec_send_frame(m_ctx, nullptr);
        if (r < 0) fail("flushing the encoder", r);
        drain();
        m_control.check();
        if ((r = av_write_trailer(m_fmt)) < 0) fail("writing the trailer", r);
        if ((r = avio_closep(&m_fmt->pb)) < 0) fail("closing the file", r);
        m_tmp.commit();
        if (m_control.progress) m_control.progress(int(m_count), int(m_count));
    }

private:
    TempOutput m_tmp;
    EncoderOptions m_o;
    const EncodeControl& m_control;
    AVFormatContext* m_fmt = nullptr;
    AVCodecContext* m_ctx = nullptr;
    AVStream* m_stream = nullptr;
    SwsContext* m_sws = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
    std::int64_t m_count = 0;
    std::vector<std::uint8_t> m_rgb; // the frame in aligned rows for swscale

    [[noreturn]] void fail(const std::string& what, int code) const {
        throw core::RuntimeError("video export to '" + m_tmp.finalPath() + "': " + what +
                                 (code < 0 ? " (" + avError(code) + ")" : std::string()));
    }

    void drain() {
        for (;;) {
            int r = avcodec_receive_packet(m_ctx, m_packet);
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
            if (r < 0) fail("encoding", r);
            av_packet_rescale_ts(m_packet, m_ctx->time_base, m_stream->time_base);
            m_packet->stream_index = m_stream->index;
            r = av_interleaved_write_frame(m_fmt, m_packet); // takes the packet's reference
            if (r < 0) fail("writing (disk full?)", r);
        }
    }
};
} // namespace

std::unique_ptr<Encoder> makeVideoEncoder(const std::string& path, Format f, const EncoderOptions& o,
                                          const EncodeControl& control) {
    return std::make_unique<VideoEncoder>(path, f, o, control);
}

} // namespace ebm::exporter
