#include "jsonreader.h"

extern "C" { // libb64's C headers declare no linkage of their own
#include <b64/cdecode.h>
#include <b64/cencode.h>
}

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace ebm::io::detail {

using core::InvalidArgument;
using core::RuntimeError;
using nlohmann::json;

static_assert(std::endian::native == std::endian::little, "session arrays are stored little-endian");

json parseJson(const std::string& text, const std::string& source, int maxDepth) {
    // nlohmann's parser is iterative, but a hostile file nested a million levels deep still costs memory
    // and time: the callback stops it at the first level past the limit.
    const json::parser_callback_t depthGuard = [&](int depth, json::parse_event_t, json&) {
        if (depth > maxDepth)
            throw InvalidArgument(source + ": nested more than " + std::to_string(maxDepth) +
                                  " levels deep (not a session file)");
        return true;
    };
    try {
        return json::parse(text, depthGuard);
    } catch (const json::exception& e) {
        std::string msg = e.what();
        if (const auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
        throw RuntimeError(source + " is not valid JSON (truncated or corrupt?): " + msg);
    }
}

std::string encodeFloats(const float* data, std::size_t n) {
    const std::size_t bytes = n * sizeof(float);
    std::string out(bytes * 4 / 3 + bytes / 50 + 16, '\0'); // libb64 adds a newline every 72 characters
    base64_encodestate st;
    base64_init_encodestate(&st);
    int len = 0;
    // Blocks of at most 1 MiB keep the int lengths of libb64 far from overflow.
    const char* p = reinterpret_cast<const char*>(data);
    for (std::size_t off = 0; off < bytes; off += std::size_t(1) << 20) {
        const int chunk = int(std::min(bytes - off, std::size_t(1) << 20));
        len += base64_encode_block(p + off, chunk, out.data() + len, &st);
    }
    len += base64_encode_blockend(out.data() + len, &st);
    out.resize(std::size_t(len));
    std::erase(out, '\n');
    return out;
}

bool decodeFloats(const std::string& text, std::size_t n, std::vector<float>& out) {
    // libb64 skips characters outside the alphabet; a strict check first, so garbage is an error.
    const std::size_t bytes = n * sizeof(float);
    if (text.size() != (bytes + 2) / 3 * 4) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                           c == '+' || c == '/';
        if (!alpha && !(c == '=' && i + 2 >= text.size())) return false;
    }
    std::string raw(bytes + 3, '\0');
    base64_decodestate st;
    base64_init_decodestate(&st);
    const int got = base64_decode_block(text.data(), int(text.size()), raw.data(), &st);
    if (got < 0 || std::size_t(got) != bytes) return false;
    out.resize(n);
    if (bytes > 0) std::memcpy(out.data(), raw.data(), bytes); // an empty vector's data() may be null
    return true;
}

Reader::Reader(const json& j, std::string source, std::string path)
    : m_j(j), m_source(std::move(source)), m_path(std::move(path)) {
    if (!m_j.is_object()) fail("", "must be a JSON object");
}

std::string Reader::where(const std::string& key) const {
    if (m_path.empty()) return key.empty() ? std::string("the file") : "\"" + key + "\"";
    return "\"" + m_path + (key.empty() ? "" : "." + key) + "\"";
}

void Reader::fail(const std::string& key, const std::string& what) const {
    throw InvalidArgument(m_source + ": " + where(key) + " " + what);
}

bool Reader::has(const char* key) const {
    return m_j.contains(key);
}

const json& Reader::field(const char* key) const {
    const auto it = m_j.find(key);
    if (it == m_j.end()) fail(key, "is missing");
    return *it;
}

std::vector<std::string> Reader::keys() const {
    std::vector<std::string> k;
    for (auto it = m_j.begin(); it != m_j.end(); ++it)
        k.push_back(it.key());
    return k;
}

Reader Reader::object(const char* key) const {
    const json& v = field(key);
    if (!v.is_object()) fail(key, "must be an object");
    return Reader(v, m_source, m_path.empty() ? key : m_path + "." + key);
}

Reader Reader::element(const json& e, std::size_t index, const char* arrayKey) const {
    const std::string p = (m_path.empty() ? "" : m_path + ".") + arrayKey + "[" + std::to_string(index) + "]";
    if (!e.is_object()) throw InvalidArgument(m_source + ": \"" + p + "\" must be an object");
    return Reader(e, m_source, p);
}

std::int64_t Reader::integer(const char* key, std::int64_t lo, std::int64_t hi) const {
    const json& v = field(key);
    if (!v.is_number_integer()) fail(key, "must be an integer, got " + v.dump().substr(0, 40));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(hi))
        fail(key, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + v.dump());
    const std::int64_t x =
        v.is_number_unsigned() ? std::int64_t(v.get<std::uint64_t>()) : v.get<std::int64_t>();
    if (x < lo || x > hi)
        fail(key, "must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + v.dump());
    return x;
}

double Reader::number(const char* key, double lo, double hi) const {
    const json& v = field(key);
    if (!v.is_number()) fail(key, "must be a number, got " + v.dump().substr(0, 40));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi)
        fail(key, "must be a finite number in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                      "], got " + v.dump());
    return d;
}

float Reader::single(const char* key, double lo, double hi) const {
    const double m = double(std::numeric_limits<float>::max());
    return float(number(key, std::max(lo, -m), std::min(hi, m)));
}

bool Reader::boolean(const char* key) const {
    const json& v = field(key);
    if (!v.is_boolean()) fail(key, "must be true or false");
    return v.get<bool>();
}

std::string Reader::string(const char* key, std::size_t maxLength) const {
    const json& v = field(key);
    if (!v.is_string()) fail(key, "must be a string");
    std::string s = v.get<std::string>();
    if (s.size() > maxLength) fail(key, "is longer than " + std::to_string(maxLength) + " characters");
    return s;
}

const json& Reader::array(const char* key, std::size_t maxSize) const {
    const json& v = field(key);
    if (!v.is_array()) fail(key, "must be an array");
    if (v.size() > maxSize) fail(key, "has more than " + std::to_string(maxSize) + " entries");
    return v;
}

std::vector<float> Reader::floats(const char* key, std::size_t n, bool allowNaN) const {
    const json& v = field(key);
    if (!v.is_string()) fail(key, "must be a base64 string of float32 values");
    std::vector<float> out;
    if (!decodeFloats(v.get_ref<const std::string&>(), n, out))
        fail(key, "must be base64 of exactly " + std::to_string(n) + " float32 values (" +
                      std::to_string(n * 4) + " bytes)");
    for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(out[i]) && !(allowNaN && std::isnan(out[i])))
            fail(key, "holds a non-finite value at index " + std::to_string(i));
    return out;
}

core::Box Reader::box(const char* key) const {
    const json& v = array(key, 4);
    if (v.size() != 4) fail(key, "must be [x0, x1, y0, y1]");
    double c[4];
    for (int i = 0; i < 4; ++i) {
        if (!v[std::size_t(i)].is_number()) fail(key, "must hold four numbers");
        c[i] = v[std::size_t(i)].get<double>();
        if (!std::isfinite(c[i]) || std::abs(c[i]) > 1e6) fail(key, "must hold finite numbers within ±10^6");
    }
    const core::Box b{c[0], c[1], c[2], c[3]};
    if (!b.valid()) fail(key, "must have x0 < x1 and y0 < y1");
    return b;
}

} // namespace ebm::io::detail
