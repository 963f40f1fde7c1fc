#include "args.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace ebm::cli {

namespace {
std::string quoted(const std::string& s) {
    std::string t = s.size() > 60 ? s.substr(0, 60) + "..." : s;
    for (char& c : t)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return "\"" + t + "\"";
}

bool parseDouble(const std::string& text, double& out) {
    const char* b = text.data();
    const char* e = b + text.size();
    if (b != e && *b == '+') ++b; // from_chars rejects a leading '+'
    const auto [p, ec] = std::from_chars(b, e, out);
    return ec == std::errc() && p == e && b != e;
}
} // namespace

std::string joinNames(const std::vector<std::string>& names) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0) s += (i + 1 == names.size()) ? " or " : ", ";
        s += names[i];
    }
    return s;
}

Args::Args(std::string command, const std::vector<std::string>& tokens,
           const std::vector<std::string>& valueFlags, const std::vector<std::string>& boolFlags,
           const std::vector<std::string>& repeatFlags)
    : m_command(std::move(command)) {
    const auto isIn = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    for (size_t i = 0; i < tokens.size(); ++i) {
        const std::string& t = tokens[i];
        if (t == "-h" || t == "--help") {
            m_bools["help"] = true;
            continue;
        }
        if (t.rfind("--", 0) != 0 || t.size() == 2)
            throw UsageError(m_command + ": unexpected argument " + quoted(t) + " (options start with --)");
        std::string name = t.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (isIn(boolFlags, name)) {
            if (inlineValue) throw UsageError("--" + name + " takes no value");
            if (m_bools.count(name)) throw UsageError("--" + name + " is given twice");
            m_bools[name] = true;
        } else if (isIn(repeatFlags, name)) {
            if (!inlineValue && i + 1 >= tokens.size()) throw UsageError("--" + name + " needs a value");
            m_repeated[name].push_back(inlineValue ? *inlineValue : tokens[++i]);
        } else if (isIn(valueFlags, name)) {
            if (m_values.count(name)) throw UsageError("--" + name + " is given twice");
            if (inlineValue) {
                m_values[name] = *inlineValue;
            } else {
                if (i + 1 >= tokens.size()) throw UsageError("--" + name + " needs a value");
                m_values[name] = tokens[++i];
            }
        } else {
            throw UsageError("unknown option --" + name + " for '" + m_command + "' (see ebmlab-cli " +
                             m_command + " --help)");
        }
    }
}

std::optional<std::string> Args::value(const std::string& name) const {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::values(const std::string& name) const {
    const auto it = m_repeated.find(name);
    return it == m_repeated.end() ? std::vector<std::string>{} : it->second;
}

std::string Args::required(const std::string& name) const {
    const auto v = value(name);
    if (!v) throw UsageError(m_command + ": missing required option --" + name);
    if (v->empty()) throw UsageError("--" + name + " must not be empty");
    return *v;
}

std::int64_t Args::parseInteger(const std::string& name, const std::string& text, std::int64_t lo,
                                std::int64_t hi) const {
    const std::string kind = lo == 1   ? "a positive integer"
                             : lo == 0 ? "a non-negative integer"
                                       : "an integer";
    std::int64_t v = 0;
    const char* b = text.data();
    const char* e = b + text.size();
    if (b != e && *b == '+') ++b;
    const auto [p, ec] = std::from_chars(b, e, v);
    if (b == e || p != e || (ec != std::errc() && ec != std::errc::result_out_of_range))
        throw UsageError("--" + name + " must be " + kind + ", got " + quoted(text));
    if (ec == std::errc::result_out_of_range || v < lo || v > hi) {
        if (ec != std::errc::result_out_of_range && v < lo)
            throw UsageError("--" + name + " must be " + kind + (lo > 1 ? " >= " + std::to_string(lo) : "") +
                             ", got " + quoted(text));
        throw UsageError("--" + name + " must be " + kind + " of at most " + std::to_string(hi) + ", got " +
                         quoted(text));
    }
    return v;
}

std::int64_t Args::integer(const std::string& name, std::int64_t lo, std::int64_t hi,
                           std::int64_t fallback) const {
    const auto v = value(name);
    return v ? parseInteger(name, *v, lo, hi) : fallback;
}

std::int64_t Args::requiredInteger(const std::string& name, std::int64_t lo, std::int64_t hi) const {
    return parseInteger(name, required(name), lo, hi);
}

std::uint64_t Args::seed(const std::string& name, std::uint64_t fallback) const {
    const auto v = value(name);
    if (!v) return fallback;
    std::uint64_t s = 0;
    const char* b = v->data();
    const char* e = b + v->size();
    const auto [p, ec] = std::from_chars(b, e, s);
    if (b == e || p != e || ec != std::errc())
        throw UsageError("--" + name + " must be an integer in 0..18446744073709551615, got " + quoted(*v));
    return s;
}

double Args::positive(const std::string& name, double hi, double fallback) const {
    const auto v = value(name);
    if (!v) return fallback;
    double x = 0;
    if (!parseDouble(*v, x) || !std::isfinite(x) || x <= 0)
        throw UsageError("--" + name + " must be a positive number, got " + quoted(*v));
    if (x > hi) {
        char buf[32];
        const auto r = std::to_chars(buf, buf + sizeof buf, hi);
        throw UsageError("--" + name + " must be at most " + std::string(buf, r.ptr) + ", got " + quoted(*v));
    }
    return x;
}

double Args::fraction(const std::string& name, double fallback) const {
    const auto v = value(name);
    if (!v) return fallback;
    double x = 0;
    if (!parseDouble(*v, x) || !std::isfinite(x) || x < 0 || x > 1)
        throw UsageError("--" + name + " must be a number from 0 to 1, got " + quoted(*v));
    return x;
}

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> pieces;
    size_t start = 0;
    while (true) {
        const size_t comma = text.find(',', start);
        pieces.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) return pieces;
        start = comma + 1;
    }
}

std::vector<int> integerList(const std::string& text, int lo, int hi, std::size_t maxCount, bool increasing,
                             const std::string& usage) {
    const std::vector<std::string> items = splitCommas(text);
    std::vector<int> values;
    for (const std::string& item : items) {
        char* stop = nullptr;
        const long v = std::strtol(item.c_str(), &stop, 10);
        if (item.empty() || *stop != '\0' || v < lo || v > hi || items.size() > maxCount ||
            (increasing && !values.empty() && v <= values.back()))
            throw UsageError(usage + "; got " + quoted(text));
        values.push_back(int(v));
    }
    return values;
}

core::Box Args::box(const std::string& name, const core::Box& fallback) const {
    const auto v = value(name);
    if (!v) return fallback;
    std::vector<double> parts;
    for (const std::string& piece : splitCommas(*v)) {
        double x = 0;
        if (!parseDouble(piece, x) || !std::isfinite(x))
            throw UsageError("--" + name + " must be four numbers x0,x1,y0,y1, got " + quoted(*v));
        parts.push_back(x);
    }
    if (parts.size() != 4)
        throw UsageError("--" + name + " must be four numbers x0,x1,y0,y1, got " + quoted(*v));
    const core::Box b{parts[0], parts[1], parts[2], parts[3]};
    if (!b.valid() || std::abs(parts[0]) > 1e6 || std::abs(parts[1]) > 1e6 || std::abs(parts[2]) > 1e6 ||
        std::abs(parts[3]) > 1e6)
        throw UsageError("--" + name + " needs x0 < x1 and y0 < y1 (|values| <= 1e6), got " + quoted(*v));
    return b;
}

std::string Args::choice(const std::string& name, const std::vector<std::string>& names,
                         const std::string& what, const std::optional<std::string>& fallback) const {
    const auto v = value(name);
    if (!v) {
        if (fallback) return *fallback;
        return required(name); // throws
    }
    if (std::find(names.begin(), names.end(), *v) == names.end())
        throw UsageError("unknown " + what + " " + quoted(*v) + " for --" + name +
                         " (valid: " + joinNames(names) + ")");
    return *v;
}

} // namespace ebm::cli
