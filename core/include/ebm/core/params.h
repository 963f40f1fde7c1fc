#pragma once
/// @file params.h
/// Hyperparameter schemas and values. A training objective describes its hyperparameters by a Schema
/// (name, type, range, default, unit, one-line help); the values live in a ParamSet keyed by name.
/// Everything that shows or stores hyperparameters (the control panels, `ebmlab-cli --set`, the session
/// and model files, `ebmlab-cli methods`) works from the schema, so a new objective needs no edit there.
#include <ebm/core/types.h>

#include <map>
#include <string>
#include <vector>

namespace ebm::core {

enum class ParamType { Integer, Real, Flag, Choice };
std::string paramTypeName(ParamType t); ///< "integer" | "real" | "flag" | "choice"

struct ParamSpec {
    std::string key;   ///< machine name, e.g. "energy_reg" (lower case, '_')
    std::string label; ///< short label for a form, e.g. "Energy regulariser α"
    ParamType type = ParamType::Real;
    double min = 0, max = 1; ///< inclusive range (Integer, Real)
    double def = 0;          ///< default (Choice: index into choices; Flag: 0 or 1)
    std::string unit;        ///< e.g. "data units", "steps"; "" = dimensionless
    std::string help;        ///< one line: what it does, for tooltips and --help
    std::vector<std::string> choices; ///< Choice: the names, the value is the index
    bool logScale = false;            ///< a positive Real best edited in factors (widgets step by ×)
};
using Schema = std::vector<ParamSpec>;

/// The spec for key, or nullptr.
const ParamSpec* findParam(const Schema& schema, const std::string& key);
/// Parses text for spec: a number, true/false/1/0/on/off for flags, a choice's name. Throws
/// InvalidArgument naming the key, the accepted values and the range.
double parseParamValue(const ParamSpec& spec, const std::string& text);
/// The value as text ("0.07", "true", "uniform"); parseParamValue reads it back exactly.
std::string formatParamValue(const ParamSpec& spec, double value);
/// Throws InvalidArgument ("<context>: <key> must be in a..b, got v") if value is not valid for spec.
void checkParamValue(const ParamSpec& spec, double value, const std::string& context);

/// Values by key. Reals are stored as double and read as float by the objectives (a float default such
/// as 0.07 reads back as the float literal 0.07f).
class ParamSet {
public:
    ParamSet() = default;
    /// The schema's defaults.
    explicit ParamSet(const Schema& schema);

    bool has(const std::string& key) const { return m_values.count(key) > 0; }
    /// The value; throws InvalidArgument if there is none.
    double value(const std::string& key) const;
    float real(const std::string& key) const { return float(value(key)); }
    int integer(const std::string& key) const { return int(value(key)); }
    bool flag(const std::string& key) const { return value(key) != 0; }
    /// The value, or fallback if the set has none (a parameter that a model kind does not expose).
    double valueOr(const std::string& key, double fallback) const;
    void set(const std::string& key, double value) { m_values[key] = value; }

    const std::map<std::string, double>& values() const { return m_values; }
    bool operator==(const ParamSet&) const = default;

private:
    std::map<std::string, double> m_values;
};

/// Throws InvalidArgument if a value is missing, unknown to the schema or out of range.
void validateParams(const Schema& schema, const ParamSet& values, const std::string& context);

} // namespace ebm::core
