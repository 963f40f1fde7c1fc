// libFuzzer target for the 2D model file (io::parseModelJson: ebmlab-cli eval / sample / render --model).
// An accepted file must write back and read again to the same text, and a small network must build.
#include "fuzzing.h"

#include <ebm/io/modelfile.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    ebm::io::ModelFile m;
    if (!ebm::fuzz::accepts([&] { m = ebm::io::parseModelJson(text, "fuzz input"); })) return 0;
    const std::string again = ebm::io::toJson(m);
    if (ebm::io::toJson(ebm::io::parseModelJson(again, "rewritten")) != again)
        ebm::fuzz::broken("a model file does not survive its own round trip");
    if (m.params.size() <= 20000) {
        const auto mlp = m.toMlp();
        if (mlp.numParams() != m.params.size())
            ebm::fuzz::broken("the network's size differs from the file's");
    }
    return 0;
}
