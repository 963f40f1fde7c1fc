#pragma once
// Test helper: decodes a GIF, MP4, WebM or PNG sequence with FFmpeg's libavformat/libavcodec (the
// libraries the encoders use) into RGB24 frames.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace ebm::test {

struct Decoded {
    std::string error; ///< empty on success
    std::string codec;
    int width = 0, height = 0;
    std::vector<std::vector<std::uint8_t>> frames; ///< RGB24, width * height * 3 each
};

/// path: a file, or for PNG frames a pattern like "dir/frame_%05d.png" (image2 demuxer).
inline Decoded decodeAll(const std::string& path) {
    Decoded d;
    AVFormatContext* fmt = nullptr;
    if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) {
        d.error = "cannot open " + path;
        return d;
    }
    AVCodecContext* ctx = nullptr;
    SwsContext* sws = nullptr;
    AVPacket* pkt = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    const auto cleanup = [&] {
        sws_freeContext(sws);
        av_frame_free(&frame);
        av_packet_free(&pkt);
        avcodec_free_context(&ctx);
        avformat_close_input(&fmt);
    };
    const AVCodec* codec = nullptr;
    int stream = -1;
    if (avformat_find_stream_info(fmt, nullptr) < 0 ||
        (stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)) < 0) {
        d.error = "no video stream in " + path;
        cleanup();
        return d;
    }
    ctx = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(ctx, fmt->streams[stream]->codecpar);
    if (avcodec_open2(ctx, codec, nullptr) < 0) {
        d.error = "cannot open the decoder";
        cleanup();
        return d;
    }
    d.codec = codec->name;
    const auto take = [&] {
        while (avcodec_receive_frame(ctx, frame) == 0) {
            d.width = frame->width;
            d.height = frame->height;
            sws = sws_getCachedContext(sws, frame->width, frame->height, AVPixelFormat(frame->format),
                                       frame->width, frame->height, AV_PIX_FMT_RGB24, SWS_BICUBIC, nullptr,
                                       nullptr, nullptr);
            // swscale's SIMD paths want aligned rows with slack at the end: convert into a padded buffer.
            const int row = frame->width * 3, stride = (row + 63) / 64 * 64;
            std::vector<std::uint8_t> padded(std::size_t(stride) * (frame->height + 1) + 64);
            std::uint8_t* dst[1] = {padded.data()};
            const int strides[1] = {stride};
            sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, strides);
            std::vector<std::uint8_t> rgb(std::size_t(row) * frame->height);
            for (int y = 0; y < frame->height; ++y)
                std::copy_n(padded.data() + std::size_t(y) * stride, row, rgb.data() + std::size_t(y) * row);
            d.frames.push_back(std::move(rgb));
            av_frame_unref(frame);
        }
    };
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == stream && avcodec_send_packet(ctx, pkt) == 0) take();
        av_packet_unref(pkt);
    }
    avcodec_send_packet(ctx, nullptr);
    take();
    cleanup();
    return d;
}

/// Mean absolute difference per channel of two RGB24 buffers of the same size (-1 if the sizes differ).
inline double meanAbs(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
    if (a.size() != b.size() || a.empty()) return -1;
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        s += std::abs(int(a[i]) - int(b[i]));
    return s / double(a.size());
}

} // namespace ebm::test
