#include <ebm/io/atomicfile.h>
#include <ebm/io/modelfile.h>

#include <nlohmann/json.hpp>

#include <cmath>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using core::RuntimeError;
using nlohmann::json;

Index parameterCount(const core::MlpOptions& a) {
    Index n = 0;
    Index in = a.inputDim;
    for (int h : a.hidden) {
        n += Index(h) * in + h;
        in = h;
        if (n > kMaxParams) return -1;
    }
    n += in + 1;
    return n > kMaxParams ? -1 : n;
}

core::Mlp<float> ModelFile::toMlp() const {
    core::Mlp<float> mlp(architecture);
    mlp.setParameters(params);
    return mlp;
}

ModelFile ModelFile::fromMlp(const core::Mlp<float>& mlp) {
    ModelFile m;
    m.architecture = mlp.options();
    m.params = mlp.params();
    return m;
}

namespace {
std::string architectureText(const core::MlpOptions& a) {
    std::string s = std::to_string(a.inputDim);
    for (int h : a.hidden)
        s += "-" + std::to_string(h);
    return s + "-1";
}

void checkRecord(const ModelFile& m, const std::string& source) {
    const auto err = [&](const std::string& what) { return InvalidArgument(source + ": " + what); };
    if (m.architecture.inputDim < 1 || m.architecture.inputDim > kMaxInputDim)
        throw err("input_dim must be in 1.." + std::to_string(kMaxInputDim) + ", got " +
                  std::to_string(m.architecture.inputDim));
    try {
        m.architecture.validate();
    } catch (const InvalidArgument& e) {
        throw err(e.what());
    }
    const Index expected = parameterCount(m.architecture);
    if (expected < 0)
        throw err("the network is too large (more than " + std::to_string(kMaxParams) + " parameters)");
    if (m.params.size() != expected)
        throw err("\"params\" has " + std::to_string(m.params.size()) + " numbers, but the architecture " +
                  architectureText(m.architecture) + " needs " + std::to_string(expected));
    for (Index i = 0; i < m.params.size(); ++i)
        if (!std::isfinite(m.params(i)))
            throw err("parameter " + std::to_string(i) + " is not a finite number");
    if (m.steps < 0) throw err("\"steps\" must be >= 0");
}
} // namespace

std::string toJson(const ModelFile& m) {
    checkRecord(m, "model");
    // Floats are stored as the (exactly equal) double; nlohmann prints the shortest text that reads back
    // to the same double, hence to the same float bits.
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (Index i = 0; i < m.params.size(); ++i)
        params.push_back(double(m.params(i)));
    nlohmann::ordered_json j; // keeps "format" and "version" first, params last
    j["format"] = kModelFormat;
    j["version"] = kModelVersion;
    j["input_dim"] = m.architecture.inputDim;
    j["hidden"] = m.architecture.hidden;
    j["activation"] = core::activationName(m.architecture.activation);
    if (std::isfinite(m.logZEstimate))
        j["log_z_estimate"] = m.logZEstimate;
    else
        j["log_z_estimate"] = nullptr;
    j["target"] = m.target;
    j["method"] = m.method;
    j["steps"] = m.steps;
    j["params"] = std::move(params);
    return j.dump() + "\n";
}

namespace {
json parseText(const std::string& text, const std::string& source) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 5: ..."; keep the tail.
        std::string msg = e.what();
        if (const auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
        throw RuntimeError(source + " is not valid JSON (truncated or corrupt?): " + msg);
    }
}

/// Typed access to the top-level fields, each problem one message naming the file and the field.
class Fields {
public:
    Fields(const json& j, const std::string& source) : m_j(j), m_source(source) {
        if (!m_j.is_object()) throw err("expected a JSON object");
    }
    InvalidArgument err(const std::string& what) const { return InvalidArgument(m_source + ": " + what); }
    const json& j() const { return m_j; }

    const json& field(const char* key) const {
        const auto it = m_j.find(key);
        if (it == m_j.end()) throw err(std::string("missing field \"") + key + "\"");
        return *it;
    }

    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const {
        const json& v = field(key);
        if (!v.is_number_integer())
            throw err(std::string("\"") + key + "\" must be an integer, got " + v.dump().substr(0, 40));
        std::int64_t x = 0;
        bool inRange = true;
        if (v.is_number_unsigned()) {
            const std::uint64_t u = v.get<std::uint64_t>();
            inRange = u <= std::uint64_t(hi);
            x = inRange ? std::int64_t(u) : hi;
        } else {
            x = v.get<std::int64_t>();
        }
        if (!inRange || x < lo || x > hi)
            throw err(std::string("\"") + key + "\" must be in " + std::to_string(lo) + ".." +
                      std::to_string(hi) + ", got " + v.dump());
        return x;
    }

    std::string string(const char* key, bool required) const {
        const auto it = m_j.find(key);
        if (it == m_j.end()) {
            if (required) throw err(std::string("missing field \"") + key + "\"");
            return {};
        }
        if (!it->is_string()) throw err(std::string("\"") + key + "\" must be a string");
        std::string s = it->get<std::string>();
        if (s.size() > 256) throw err(std::string("\"") + key + "\" is too long");
        return s;
    }

private:
    const json& m_j;
    const std::string& m_source;
};

void readHeader(const Fields& f) {
    if (f.string("format", true) != kModelFormat)
        throw f.err(std::string("not an EBM Lab model (\"format\" should be \"") + kModelFormat + "\")");
    const std::int64_t version = f.integer("version", 0, std::numeric_limits<int>::max());
    if (version != kModelVersion)
        throw f.err("\"version\" " + std::to_string(version) +
                    " is not supported (this EBM Lab reads version " + std::to_string(kModelVersion) + ")");
}

core::MlpOptions readArchitecture(const Fields& f) {
    core::MlpOptions a;
    a.inputDim = int(f.integer("input_dim", 1, kMaxInputDim));
    const json& hidden = f.field("hidden");
    if (!hidden.is_array() || hidden.empty() || hidden.size() > 16)
        throw f.err("\"hidden\" must be an array of 1..16 layer widths");
    a.hidden.clear();
    for (const json& h : hidden) {
        if (!h.is_number_integer() || h.get<std::int64_t>() < 1 || h.get<std::int64_t>() > 4096)
            throw f.err("each hidden width must be an integer in 1..4096, got " + h.dump().substr(0, 40));
        a.hidden.push_back(int(h.get<std::int64_t>()));
    }
    try {
        a.activation = core::parseActivation(f.string("activation", true));
    } catch (const InvalidArgument& e) {
        throw f.err(e.what());
    }
    return a;
}

core::Vecf readParams(const Fields& f, const core::MlpOptions& a) {
    const Index expected = parameterCount(a);
    if (expected < 0)
        throw f.err("the network is too large (more than " + std::to_string(kMaxParams) + " parameters)");
    const json& params = f.field("params");
    if (!params.is_array()) throw f.err("\"params\" must be an array of numbers");
    if (Index(params.size()) != expected)
        throw f.err("\"params\" has " + std::to_string(params.size()) + " numbers, but the architecture " +
                    architectureText(a) + " needs " + std::to_string(expected));
    core::Vecf theta(expected);
    for (Index i = 0; i < expected; ++i) {
        const json& v = params[std::size_t(i)];
        if (!v.is_number())
            throw f.err("parameter " + std::to_string(i) + " is not a number (" + v.dump().substr(0, 40) +
                        ")");
        const double d = v.get<double>();
        if (!std::isfinite(d) || std::abs(d) > double(std::numeric_limits<float>::max()))
            throw f.err("parameter " + std::to_string(i) + " is not a finite single-precision number");
        theta(i) = float(d);
    }
    return theta;
}

/// The optional fields: log Z estimate, target, method, steps.
void readProvenance(const Fields& f, ModelFile& m) {
    const auto itZ = f.j().find("log_z_estimate");
    if (itZ != f.j().end() && !itZ->is_null()) {
        if (!itZ->is_number() || !std::isfinite(itZ->get<double>()))
            throw f.err("\"log_z_estimate\" must be a finite number or null");
        m.logZEstimate = itZ->get<double>();
    }
    m.target = f.string("target", false);
    m.method = f.string("method", false);
    if (f.j().contains("steps")) m.steps = f.integer("steps", 0, std::numeric_limits<std::int64_t>::max());
}
} // namespace

ModelFile parseModelJson(const std::string& text, const std::string& source) {
    const json j = parseText(text, source);
    const Fields f(j, source);
    readHeader(f);
    ModelFile m;
    m.architecture = readArchitecture(f);
    m.params = readParams(f, m.architecture);
    readProvenance(f, m);
    checkRecord(m, source);
    return m;
}

void saveModel(const ModelFile& m, const std::string& path) {
    writeFileAtomically(path, toJson(m));
}

ModelFile loadModel(const std::string& path) {
    const std::string text = readFile(path, kMaxModelFileBytes);
    return parseModelJson(text, "model file '" + path + "'");
}

} // namespace ebm::io
