// Hyperparameter schemas: parsing, formatting and checking values.
#include <ebm/core/params.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ebm::core {

std::string paramTypeName(ParamType t) {
    switch (t) {
    case ParamType::Integer:
        return "integer";
    case ParamType::Real:
        return "real";
    case ParamType::Flag:
        return "flag";
    case ParamType::Choice:
        return "choice";
    }
    return "?";
}

const ParamSpec* findParam(const Schema& schema, const std::string& key) {
    for (const ParamSpec& p : schema)
        if (p.key == key) return &p;
    return nullptr;
}

namespace {
std::string number(double v) {
    // The shortest text that reads back as the same double.
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string rangeText(const ParamSpec& s) {
    switch (s.type) {
    case ParamType::Flag:
        return "true or false";
    case ParamType::Choice: {
        std::string t;
        for (size_t i = 0; i < s.choices.size(); ++i)
            t += (i ? (i + 1 == s.choices.size() ? " or " : ", ") : "") + s.choices[i];
        return t;
    }
    default:
        return "a" + std::string(s.type == ParamType::Integer ? "n integer" : " number") + " in " +
               number(s.min) + ".." + number(s.max);
    }
}
} // namespace

void checkParamValue(const ParamSpec& s, double v, const std::string& context) {
    bool ok = std::isfinite(v);
    switch (s.type) {
    case ParamType::Flag:
        ok = ok && (v == 0 || v == 1);
        break;
    case ParamType::Choice:
        ok = ok && v == std::floor(v) && v >= 0 && v < double(s.choices.size());
        break;
    case ParamType::Integer:
        ok = ok && v == std::floor(v) && v >= s.min && v <= s.max;
        break;
    case ParamType::Real:
        ok = ok && v >= s.min && v <= s.max;
        break;
    }
    if (!ok)
        throw InvalidArgument((context.empty() ? "" : context + ": ") + s.key + " must be " + rangeText(s) + ", got " +
                              (s.type == ParamType::Choice && std::isfinite(v) ? number(v) : formatParamValue(s, v)));
}

double parseParamValue(const ParamSpec& s, const std::string& text) {
    const std::string context = "hyperparameter " + s.key;
    if (s.type == ParamType::Flag) {
        if (text == "true" || text == "1" || text == "on" || text == "yes") return 1;
        if (text == "false" || text == "0" || text == "off" || text == "no") return 0;
        throw InvalidArgument(context + " must be true or false, got \"" + text + "\"");
    }
    if (s.type == ParamType::Choice) {
        for (size_t i = 0; i < s.choices.size(); ++i)
            if (s.choices[i] == text) return double(i);
        throw InvalidArgument(context + " must be " + rangeText(s) + ", got \"" + text + "\"");
    }
    double v = 0;
    const char* end = text.data() + text.size();
    const auto r = std::from_chars(text.data(), end, v);
    if (text.empty() || r.ec != std::errc() || r.ptr != end)
        throw InvalidArgument(context + " must be " + rangeText(s) + ", got \"" + text + "\"");
    checkParamValue(s, v, "");
    return v;
}

std::string formatParamValue(const ParamSpec& s, double v) {
    switch (s.type) {
    case ParamType::Flag:
        return v != 0 ? "true" : "false";
    case ParamType::Choice:
        if (v >= 0 && v < double(s.choices.size()) && v == std::floor(v)) return s.choices[size_t(v)];
        return number(v);
    default:
        return number(v);
    }
}

ParamSet::ParamSet(const Schema& schema) {
    for (const ParamSpec& p : schema)
        m_values[p.key] = p.def;
}

double ParamSet::value(const std::string& key) const {
    const auto it = m_values.find(key);
    if (it == m_values.end()) throw InvalidArgument("no value for hyperparameter " + key);
    return it->second;
}

double ParamSet::valueOr(const std::string& key, double fallback) const {
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

void validateParams(const Schema& schema, const ParamSet& values, const std::string& context) {
    for (const auto& [key, v] : values.values()) {
        const ParamSpec* s = findParam(schema, key);
        if (!s) throw InvalidArgument(context + ": unknown hyperparameter " + key);
        checkParamValue(*s, v, context);
    }
    for (const ParamSpec& s : schema)
        if (!values.has(s.key)) throw InvalidArgument(context + ": no value for " + s.key);
}

} // namespace ebm::core
