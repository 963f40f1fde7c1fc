// libFuzzer target for the image model file (io::parseImageModelJson: ebmlab-cli eval --image-model, the
// image window's File ▸ Open model). An accepted file must write back and read again to the same text.
#include "fuzzing.h"

#include <ebm/io/imagemodelfile.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ebm::io::ImageModelFile m;
    if (!ebm::fuzz::accepts([&] { m = ebm::io::parseImageModelJson(text, "fuzz input"); })) return 0;
    if (!m.model || m.width < 1 || m.height < 1) ebm::fuzz::broken("an accepted image model has no network");
    const std::string again = ebm::io::toJson(m);
    if (ebm::io::toJson(ebm::io::parseImageModelJson(again, "rewritten")) != again)
        ebm::fuzz::broken("an image model file does not survive its own round trip");
    return 0;
}
