#include <ebm/io/atomicfile.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/modelfile.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using core::RuntimeError;
using Json = nlohmann::ordered_json;

std::string toJson(const ImageModelFile& m) {
    Json j;
    j["format"] = kImageModelFormat;
    j["version"] = 1;
    const auto* conv = dynamic_cast<const core::ConvNet<float>*>(m.model.get());
    const auto* mlp = dynamic_cast<const core::Mlp<float>*>(m.model.get());
    if (!conv && !mlp) throw InvalidArgument("image model file: the model must be a conv net or an MLP");
    if (m.width < 1 || m.height < 1 || m.model->dim() != m.width * m.height)
        throw InvalidArgument("image model file: image size does not match the model's input");
    j["model"] = conv ? "conv" : "mlp";
    j["width"] = m.width;
    j["height"] = m.height;
    if (conv) {
        Json layers = Json::array();
        for (const auto& l : conv->options().layers)
            layers.push_back({{"channels", l.channels}, {"stride", l.stride}});
        j["layers"] = std::move(layers);
        j["activation"] = core::activationName(conv->options().activation);
    } else {
        j["hidden"] = mlp->options().hidden;
        j["activation"] = core::activationName(mlp->options().activation);
    }
    j["images"] = m.images;
    j["method"] = m.method;
    j["steps"] = m.steps;
    const core::Vecf p = m.model->parameters();
    if (!p.allFinite()) throw InvalidArgument("image model file: parameters must be finite");
    Json params = Json::array();
    for (Index i = 0; i < p.size(); ++i)
        params.push_back(double(p(i))); // shortest text that reads back to the same double, hence float
    j["params"] = std::move(params);
    return j.dump() + "\n";
}

ImageModelFile parseImageModelJson(const std::string& text, const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw RuntimeError(source + " is not valid JSON (truncated or corrupt?)");
    }
    const auto err = [&](const std::string& what) { return InvalidArgument(source + ": " + what); };
    try {
        if (!j.is_object() || j.value("format", "") != kImageModelFormat)
            throw err("not an EBM Lab image model (\"format\" must be \"ebmlab-image-model\")");
        // nlohmann converts a JSON float to an integer with a C++ cast, undefined beyond the type's range
        // ("version": 4.9e93, found by fuzz_imagemodel): integer fields are read only as written integers.
        const auto integer = [&](const nlohmann::json& v, const std::string& name, std::int64_t lo,
                                 std::int64_t hi) -> std::int64_t {
            if (!v.is_number_integer() ||
                (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(hi)) ||
                v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
                throw err("\"" + name + "\" must be an integer in " + std::to_string(lo) + ".." +
                          std::to_string(hi));
            return v.get<std::int64_t>();
        };
        constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
        if (const auto version = integer(j.at("version"), "version", 0, kIntMax); version != 1)
            throw err("\"version\" " + std::to_string(version) +
                      " is not supported (this EBM Lab reads version 1)");
        ImageModelFile m;
        m.width = int(integer(j.at("width"), "width", 0, kIntMax));
        m.height = int(integer(j.at("height"), "height", 0, kIntMax));
        if (m.width < 1 || m.height < 1 || m.width > 256 || m.height > 256)
            throw err("\"width\" and \"height\" must be in 1..256");
        // Sizes are checked against the parameters the file holds before a network is allocated from them.
        const auto& params = j.at("params");
        if (!params.is_array()) throw err("\"params\" must be an array of numbers");
        const Index stored = Index(params.size());
        const core::Activation act = core::parseActivation(j.at("activation").get<std::string>());
        const std::string kind = j.at("model").get<std::string>();
        std::unique_ptr<core::EnergyModel<float>> model;
        if (kind == "conv") {
            core::ConvNetOptions o;
            o.width = m.width;
            o.height = m.height;
            o.activation = act;
            o.layers.clear();
            for (const auto& l : j.at("layers"))
                o.layers.push_back({int(integer(l.at("channels"), "channels", 0, kIntMax)),
                                    int(integer(l.at("stride"), "stride", 0, kIntMax))});
            o.validate();
            Index weights = 0; // the filters alone; the head adds the last feature map's size
            int in = 1;
            for (const auto& l : o.layers) {
                weights += Index(9) * in * l.channels + l.channels;
                in = l.channels;
            }
            if (weights > stored)
                throw err("\"params\" must hold more than " + std::to_string(weights) +
                          " numbers for these \"layers\"");
            model = std::make_unique<core::ConvNet<float>>(o);
        } else if (kind == "mlp") {
            core::MlpOptions o;
            o.inputDim = m.width * m.height;
            if (!j.at("hidden").is_array()) throw err("\"hidden\" must be an array of layer widths");
            o.hidden.clear();
            for (const auto& h : j.at("hidden"))
                o.hidden.push_back(int(integer(h, "hidden", 1, 65536)));
            o.activation = act;
            const Index n = parameterCount(o);
            if (n < 0)
                throw err("\"hidden\" describes a network of more than " + std::to_string(kMaxParams) +
                          " parameters");
            if (n != stored) throw err("\"params\" must hold " + std::to_string(n) + " numbers");
            model = std::make_unique<core::Mlp<float>>(o);
        } else {
            throw err("\"model\" must be \"conv\" or \"mlp\"");
        }
        if (stored != model->numParams())
            throw err("\"params\" must hold " + std::to_string(model->numParams()) + " numbers");
        core::Vecf theta(model->numParams());
        for (Index i = 0; i < theta.size(); ++i) {
            const auto& v = params[size_t(i)];
            // Finite as a double is not enough: 1e39 overflows float32 (found by fuzz_imagemodel).
            if (!v.is_number() || !std::isfinite(v.get<double>()) ||
                std::abs(v.get<double>()) > double(std::numeric_limits<float>::max()))
                throw err("parameter " + std::to_string(i) + " is not a finite single-precision number");
            theta(i) = float(v.get<double>());
        }
        model->setParameters(theta);
        m.model = std::move(model);
        m.images = j.value("images", "");
        m.method = j.value("method", "");
        m.steps = j.contains("steps")
                      ? integer(j.at("steps"), "steps", 0, std::numeric_limits<std::int64_t>::max())
                      : 0;
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw err(std::string("missing or mistyped field (") + e.what() + ")");
    } catch (const InvalidArgument& e) {
        const std::string w = e.what();
        if (w.rfind(source, 0) == 0) throw;
        throw err(w);
    }
}

void saveImageModel(const ImageModelFile& m, const std::string& path) {
    writeFileAtomically(path, toJson(m));
}

ImageModelFile loadImageModel(const std::string& path) {
    return parseImageModelJson(readFile(path, std::size_t(512) << 20), "\"" + path + "\"");
}

} // namespace ebm::io
