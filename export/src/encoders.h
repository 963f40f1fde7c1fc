#pragma once
// The concrete encoders behind makeEncoder (encoder.h): each in its own file.
#include <ebm/exporter/encoder.h>

namespace ebm::exporter {

std::unique_ptr<Encoder> makeGifEncoder(const std::string& path, const EncoderOptions& o,
                                        const EncodeControl& control);
std::unique_ptr<Encoder> makeVideoEncoder(const std::string& path, Format f, const EncoderOptions& o,
                                          const EncodeControl& control);
std::unique_ptr<Encoder> makePngSequence(const std::string& path, const EncoderOptions& o,
                                         const EncodeControl& control);

/// Throws core::InvalidArgument unless the frame has the encoder's size.
void checkFrameSize(const render::Image& frame, const EncoderOptions& o);

} // namespace ebm::exporter
