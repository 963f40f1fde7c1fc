#pragma once
// Reading a validated record from JSON: every accessor checks the type and range of one field and throws
// core::InvalidArgument naming the file and the field's path ("trainer.options.cd.steps"), so a bad file
// gets one message that says where the problem is. Internal to ebm::io.
#include <ebm/core/types.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace ebm::io::detail {

/// Parses text as JSON with at most maxDepth levels of nesting; throws core::RuntimeError (not JSON) or
/// core::InvalidArgument (too deep) naming source.
nlohmann::json parseJson(const std::string& text, const std::string& source, int maxDepth);

/// base64 (RFC 4648, no line breaks) of little-endian float32 / float64 values.
std::string encodeFloats(const float* data, std::size_t n);
/// Decodes exactly n floats; returns false if the text is not base64 of exactly 4n bytes.
bool decodeFloats(const std::string& text, std::size_t n, std::vector<float>& out);

class Reader {
public:
    Reader(const nlohmann::json& j, std::string source, std::string path = {});

    Reader object(const char* key) const;
    bool has(const char* key) const;
    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const;
    double number(const char* key, double lo, double hi) const; ///< finite, in [lo, hi]
    float single(const char* key, double lo, double hi) const;  ///< finite single precision, in [lo, hi]
    bool boolean(const char* key) const;
    std::string string(const char* key, std::size_t maxLength) const;
    const nlohmann::json& array(const char* key, std::size_t maxSize) const;
    /// A base64 float32 array of exactly n values (n from fields already checked), all finite (or NaN,
    /// where allowNaN; never infinite).
    std::vector<float> floats(const char* key, std::size_t n, bool allowNaN = false) const;
    core::Box box(const char* key) const; ///< [x0, x1, y0, y1], finite, non-empty
    Reader element(const nlohmann::json& e, std::size_t index, const char* arrayKey) const;

    /// The object's keys, in the file's order.
    std::vector<std::string> keys() const;
    [[noreturn]] void fail(const std::string& key, const std::string& what) const;
    const std::string& source() const { return m_source; }

private:
    const nlohmann::json& m_j;
    std::string m_source, m_path;
    const nlohmann::json& field(const char* key) const;
    std::string where(const std::string& key) const;
};

} // namespace ebm::io::detail
