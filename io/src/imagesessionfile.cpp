#include "jsonreader.h"
#include "trainingjson.h"

#include <ebm/io/atomicfile.h>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/modelfile.h>
#include <ebm/io/session.h>

#include <sstream>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using detail::ojson;
using detail::Reader;

namespace {
constexpr double kBig = 1e30;
constexpr Index kMaxLiveChains = 4096;

ojson langevinJson(const core::ImageLangevinOptions& l) {
    return {{"steps", l.steps}, {"step_size", l.stepSize}, {"noise", l.noise}};
}

core::ImageLangevinOptions readLangevin(const Reader& r) {
    core::ImageLangevinOptions l;
    l.steps = int(r.integer("steps", 0, 10000));
    l.stepSize = r.single("step_size", 0, kBig);
    l.noise = r.single("noise", 0, kBig);
    try {
        l.validate();
    } catch (const InvalidArgument& e) {
        r.fail("", e.what());
    }
    return l;
}

ojson optionsJson(const core::ImageTrainerOptions& o) {
    ojson model = {{"kind", core::imageModelName(o.model)}};
    if (o.model == core::ImageModelKind::Conv) {
        ojson layers = ojson::array();
        for (const auto& l : o.conv.layers)
            layers.push_back({{"channels", l.channels}, {"stride", l.stride}});
        model["width"] = o.conv.width;
        model["height"] = o.conv.height;
        model["layers"] = std::move(layers);
        model["activation"] = core::activationName(o.conv.activation);
    } else {
        model["input_dim"] = o.mlp.inputDim;
        model["hidden"] = o.mlp.hidden;
        model["activation"] = core::activationName(o.mlp.activation);
    }
    ojson j;
    detail::writeCommonOptions(o, j);
    j["model"] = std::move(model);
    j["chains"] = {{"langevin", langevinJson(o.chains.langevin)},
                   {"buffer_size", o.chains.bufferSize},
                   {"fresh_fraction", o.chains.freshFraction},
                   {"guard", o.chains.guard}};
    j["methods"] = detail::methodsJson(o.params);
    return j;
}

core::Activation readActivation(const Reader& m) {
    try {
        return core::parseActivation(m.string("activation", 32));
    } catch (const InvalidArgument& e) {
        m.fail("activation", e.what());
    }
}

core::ImageTrainerOptions readOptions(const Reader& r, int size) {
    core::ImageTrainerOptions o;
    detail::readCommonOptions(r, core::ModelKind::Image, 65536, o);
    const Reader m = r.object("model");
    try {
        o.model = core::parseImageModel(m.string("kind", 16));
    } catch (const InvalidArgument& e) {
        m.fail("kind", e.what());
    }
    if (o.model == core::ImageModelKind::Conv) {
        o.conv.width = int(m.integer("width", size, size));
        o.conv.height = int(m.integer("height", size, size));
        const auto& layers = m.array("layers", 8);
        o.conv.layers.clear();
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const Reader l = m.element(layers[i], i, "layers");
            o.conv.layers.push_back({int(l.integer("channels", 1, 512)), int(l.integer("stride", 1, 2))});
        }
        o.conv.activation = readActivation(m);
    } else {
        o.mlp.inputDim = int(m.integer("input_dim", Index(size) * size, Index(size) * size));
        const auto& hidden = m.array("hidden", 16);
        o.mlp.hidden.clear();
        for (const auto& h : hidden) {
            if (!h.is_number_integer() || h.get<std::int64_t>() < 1 || h.get<std::int64_t>() > 4096)
                m.fail("hidden", "widths must be integers in 1..4096");
            o.mlp.hidden.push_back(int(h.get<std::int64_t>()));
        }
        o.mlp.activation = readActivation(m);
    }
    const Reader c = r.object("chains");
    o.chains.langevin = readLangevin(c.object("langevin"));
    o.chains.bufferSize = int(c.integer("buffer_size", 1, 1'000'000));
    o.chains.freshFraction = c.single("fresh_fraction", 0, 1);
    // Files written before the chain guard have no key; the guard changes nothing until a run loses its
    // chains, so they load with it on, like a new session.
    o.chains.guard = !c.has("guard") || c.boolean("guard");
    detail::readMethods(r.object("methods"), o.params);
    try {
        o.validate();
    } catch (const InvalidArgument& e) {
        r.fail("", std::string("are not valid image trainer options: ") + e.what());
    }
    return o;
}

Index parameterCountOf(const core::ImageTrainerOptions& o) {
    if (o.model == core::ImageModelKind::Mlp) return parameterCount(o.mlp);
    return core::ConvNet<float>(o.conv).numParams();
}
} // namespace

std::string toJson(const ImageSessionFile& s) {
    const auto& t = s.trainer;
    if (!t.theta.allFinite() || !t.buffer.allFinite() || !s.chains.allFinite())
        throw InvalidArgument("image session: holds non-finite numbers");
    const Index d = Index(s.size) * s.size;
    if (t.buffer.rows() != d || (s.chains.size() && s.chains.rows() != d))
        throw InvalidArgument("image session: the buffer and chains must have one row per pixel");
    ojson tr = {{"options", optionsJson(t.options)}};
    detail::writeTrainingState(t, tr);
    ojson samplers = ojson::object();
    for (const auto& [method, l] : s.samplers)
        samplers[method] = langevinJson(l);
    ojson j;
    j["format"] = kImageSessionFormat;
    j["version"] = kImageSessionVersion;
    j["data"] = {{"name", s.data}, {"size", s.size}};
    j["trainer"] = std::move(tr);
    j["samplers"] = std::move(samplers);
    j["training"] = s.training;
    j["live"] = {{"count", s.chains.cols()},
                 {"chains", detail::encodeFloats(s.chains.data(), std::size_t(s.chains.size()))},
                 {"rng", s.liveRngState}};
    return j.dump() + "\n";
}

ImageSessionFile parseImageSessionJson(const std::string& text, const std::string& source) {
    const nlohmann::json j = detail::parseJson(text, source, kMaxJsonDepth);
    const Reader r(j, source);
    if (r.string("format", 64) != kImageSessionFormat)
        r.fail("format", std::string("is not \"") + kImageSessionFormat + "\": not an EBM Lab image session");
    const std::int64_t version = r.integer("version", 0, std::numeric_limits<int>::max());
    if (version != kImageSessionVersion)
        r.fail("version", std::to_string(version) + " is not supported (this EBM Lab reads version " +
                              std::to_string(kImageSessionVersion) + ")");
    ImageSessionFile s;
    const Reader data = r.object("data");
    s.data = data.string("name", 4096);
    if (s.data.empty()) data.fail("name", "must name the images");
    s.size = int(data.integer("size", 8, 64));
    const Index d = Index(s.size) * s.size;

    const Reader t = r.object("trainer");
    core::ImageTrainerState& st = s.trainer;
    st.options = readOptions(t.object("options"), s.size);
    const Index n = parameterCountOf(st.options);
    if (n < 0 || n > kMaxParams) t.fail("options.model", "has too many parameters");
    detail::readTrainingState(t, n, d, st.options.chains.bufferSize, st);

    const Reader samplers = r.object("samplers");
    for (const std::string& method : samplers.keys()) {
        if (!core::findObjective(method) || !core::objective(method).info().supports(core::ModelKind::Image))
            samplers.fail(method, "is not a method for images");
        s.samplers[method] = readLangevin(samplers.object(method.c_str()));
    }
    s.training = r.boolean("training");
    const Reader live = r.object("live");
    const Index count = live.integer("count", 0, kMaxLiveChains);
    const std::vector<float> chains = live.floats("chains", std::size_t(d * count));
    s.chains = Eigen::Map<const core::Matf>(chains.data(), d, count);
    s.liveRngState = live.string("rng", 20000);
    core::Rng rng;
    std::istringstream is(s.liveRngState);
    is >> rng;
    if (is.fail()) live.fail("rng", "is not a random generator state");
    return s;
}

void saveImageSession(const ImageSessionFile& s, const std::string& path) {
    writeFileAtomically(path, toJson(s));
}

ImageSessionFile loadImageSession(const std::string& path) {
    return parseImageSessionJson(readFile(path, kMaxImageSessionFileBytes),
                                 "image session file '" + path + "'");
}

} // namespace ebm::io
