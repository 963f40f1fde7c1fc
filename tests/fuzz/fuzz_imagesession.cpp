// libFuzzer target for the image session file (io::parseImageSessionJson: the image window's File ▸ Open
// session). An accepted file must write back and read again to the same text.
#include "fuzzing.h"

#include <ebm/io/imagesessionfile.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ebm::io::ImageSessionFile s;
    if (!ebm::fuzz::accepts([&] { s = ebm::io::parseImageSessionJson(text, "fuzz input"); })) return 0;
    const std::string again = ebm::io::toJson(s);
    if (ebm::io::toJson(ebm::io::parseImageSessionJson(again, "rewritten")) != again)
        ebm::fuzz::broken("an image session does not survive its own round trip");
    return 0;
}
