// --method, --set and `ebmlab-cli methods`: everything is generated from the objective registry.
#include "methodargs.h"
#include "commands.h"

#include <iostream>
#include <set>
#include <sstream>

namespace ebm::cli {

using Json = nlohmann::ordered_json;

namespace {
std::string rangeText(const core::ParamSpec& s) {
    switch (s.type) {
    case core::ParamType::Flag:
        return "true|false";
    case core::ParamType::Choice: {
        std::string t;
        for (const std::string& c : s.choices)
            t += (t.empty() ? "" : "|") + c;
        return t;
    }
    default:
        return core::formatParamValue(s, s.min) + ".." + core::formatParamValue(s, s.max) +
               (s.unit.empty() ? "" : " " + s.unit);
    }
}

Json valueJson(const core::ParamSpec& s, double v) {
    switch (s.type) {
    case core::ParamType::Integer:
        return std::int64_t(v);
    case core::ParamType::Flag:
        return v != 0;
    case core::ParamType::Choice:
        return core::formatParamValue(s, v);
    default:
        return v;
    }
}

Json specJson(const core::ParamSpec& s) {
    Json j;
    j["key"] = s.key;
    j["label"] = s.label;
    j["type"] = core::paramTypeName(s.type);
    j["default"] = valueJson(s, s.def);
    if (s.type == core::ParamType::Integer || s.type == core::ParamType::Real) {
        j["min"] = valueJson(s, s.min);
        j["max"] = valueJson(s, s.max);
    }
    if (s.type == core::ParamType::Choice) j["choices"] = s.choices;
    j["unit"] = s.unit;
    j["log_scale"] = s.logScale;
    j["help"] = s.help;
    return j;
}

constexpr core::ModelKind kKinds[] = {core::ModelKind::Plane, core::ModelKind::Image};
} // namespace

std::string methodArg(const Args& a, core::ModelKind kind, const std::optional<std::string>& fallback) {
    return a.choice("method", core::objectiveNames(kind), "method", fallback);
}

void applySets(const Args& a, core::MethodParams& params, const std::string& method) {
    for (const std::string& text : a.values("set")) {
        try {
            params.setText(method, text);
        } catch (const core::InvalidArgument& e) {
            throw UsageError("--set " + text + ": " + e.what());
        }
    }
}

void applySetsToAll(const Args& a, core::MethodParams& params) {
    for (const std::string& text : a.values("set")) {
        const auto eq = text.find('=');
        const std::string key = text.substr(0, eq);
        std::vector<std::string> targets;
        std::set<std::string> keys;
        if (eq != std::string::npos && key.find('.') != std::string::npos) {
            targets.push_back(key.substr(0, key.find('.')));
        } else {
            for (const std::string& m : core::objectiveNames(params.kind()))
                for (const core::ParamSpec& s : core::objective(m).schema(params.kind())) {
                    keys.insert(s.key);
                    if (s.key == key) targets.push_back(m);
                }
            if (eq == std::string::npos) targets.assign(1, core::objectiveNames(params.kind()).front());
        }
        if (targets.empty()) {
            std::string list;
            for (const std::string& k : keys)
                list += (list.empty() ? "" : ", ") + k;
            throw UsageError("--set " + text + ": no " + core::modelKindName(params.kind()) +
                             " method has a hyperparameter \"" + key + "\" (keys: " + list + ")");
        }
        for (const std::string& m : targets) {
            try {
                params.setText(m, text);
            } catch (const core::InvalidArgument& e) {
                throw UsageError("--set " + text + ": " + e.what());
            }
        }
    }
}

void applyAlias(const Args& a, const std::string& flag, core::MethodParams& params, const std::string& method,
                const std::string& key) {
    const auto v = a.value(flag);
    if (!v) return;
    const core::Schema schema = core::objective(method).schema(params.kind());
    const core::ParamSpec* spec = core::findParam(schema, key);
    if (!spec) return;
    try {
        params.set(method, key, core::parseParamValue(*spec, *v));
    } catch (const core::InvalidArgument& e) {
        throw UsageError("--" + flag + " (" + method + "." + key + "): " + e.what());
    }
}

std::string methodChoices(core::ModelKind kind) {
    std::string s;
    for (const std::string& n : core::objectiveNames(kind))
        s += (s.empty() ? "" : "|") + n;
    return s;
}

std::string methodsHelp(core::ModelKind kind) {
    std::ostringstream os;
    os << "methods (--method NAME; --set key=value or --set method.key=value sets a hyperparameter):\n";
    for (const core::Objective* o : core::objectives()) {
        const core::ObjectiveInfo& info = o->info();
        if (!info.supports(kind)) continue;
        os << "  " << info.name << std::string(info.name.size() < 14 ? 14 - info.name.size() : 1, ' ')
           << info.label << ": " << info.help << "\n";
        for (const core::ParamSpec& s : o->schema(kind)) {
            std::string head = "      " + s.key + "=" + core::formatParamValue(s, s.def);
            if (head.size() < 30)
                head.resize(30, ' ');
            else
                head += "  ";
            os << head << "[" << rangeText(s) << "] " << s.help << "\n";
        }
    }
    return os.str();
}

Json methodJson(const core::Objective& o) {
    const core::ObjectiveInfo& info = o.info();
    Json j;
    j["name"] = info.name;
    j["label"] = info.label;
    j["short_label"] = info.shortLabel;
    j["help"] = info.help;
    j["family"] = core::familyName(info.family);
    j["family_label"] = core::familyLabel(info.family);
    Json kinds = Json::array();
    for (core::ModelKind k : kKinds)
        if (info.supports(k)) kinds.push_back(core::modelKindName(k));
    j["model_kinds"] = kinds;
    j["needs"] = {{"negatives", info.needs.negatives},
                  {"noise", info.needs.noise},
                  {"derivative_order", info.needs.derivativeOrder}};
    j["fits_density"] = info.fitsDensity;
    Json params = Json::object();
    for (core::ModelKind k : kKinds) {
        if (!info.supports(k)) continue;
        Json list = Json::array();
        for (const core::ParamSpec& s : o.schema(k))
            list.push_back(specJson(s));
        params[core::modelKindName(k)] = list;
    }
    j["params"] = params;
    return j;
}

Json paramsJson(const core::MethodParams& params, const std::string& method) {
    Json j = Json::object();
    for (const core::ParamSpec& s : core::objective(method).schema(params.kind()))
        j[s.key] = valueJson(s, params.get(method, s.key));
    return j;
}

std::string paramsText(const core::MethodParams& params, const std::string& method) {
    std::string t;
    for (const core::ParamSpec& s : core::objective(method).schema(params.kind()))
        t += (t.empty() ? "" : ", ") + s.key + "=" + core::formatParamValue(s, params.get(method, s.key));
    return t;
}

namespace {
constexpr const char* kMethodsHelp = R"(usage: ebmlab-cli methods [--json]

Lists the registered training methods (objectives): name, label, family, the model kinds it trains
(2d, image), what it needs from the trainer (MCMC negatives, noise samples, the derivative order of E)
and each hyperparameter per model kind with its type, default, range, unit and help. The names and
keys are what --method and --set take.

options:
  --json   one JSON object per method (docs/cli.md: name, label, short_label, help, family,
           family_label, model_kinds, needs, params {"2d": [...], "image": [...]})
)";

void printMethodText(const core::Objective& o) {
    const core::ObjectiveInfo& info = o.info();
    std::string kinds;
    for (core::ModelKind k : kKinds)
        if (info.supports(k)) kinds += (kinds.empty() ? "" : ", ") + core::modelKindName(k);
    std::string needs = info.needs.negatives ? "MCMC negatives" : "";
    if (info.needs.noise) needs += std::string(needs.empty() ? "" : ", ") + "noise samples";
    if (info.needs.derivativeOrder > 0)
        needs +=
            (needs.empty() ? "" : ", ") + std::string(info.needs.derivativeOrder == 1 ? "∇ₓE" : "∇ₓE, ∇²ₓE");
    std::cout << info.name << " — " << info.label << " (" << core::familyName(info.family) << "; " << kinds
              << "; needs " << (needs.empty() ? "the data only" : needs) << ")\n  " << info.help << "\n";
    for (core::ModelKind k : kKinds) {
        if (!info.supports(k)) continue;
        const core::Schema schema = o.schema(k);
        std::cout << "  " << core::modelKindName(k) << ":" << (schema.empty() ? " no hyperparameters" : "")
                  << "\n";
        for (const core::ParamSpec& s : schema) {
            std::string head = "    " + s.key + " (" + core::paramTypeName(s.type) + ")";
            if (head.size() < 30)
                head.resize(30, ' ');
            else
                head += "  ";
            std::string def = "default " + core::formatParamValue(s, s.def);
            if (def.size() < 18) def.resize(18, ' ');
            std::cout << head << def << "  [" << rangeText(s) << "]  " << s.help << "\n";
        }
    }
}
} // namespace

int cmdMethods(const Tokens& t) {
    Args a("methods", t, {}, {"json"});
    if (a.help()) {
        std::cout << kMethodsHelp;
        return 0;
    }
    const bool json = a.flag("json");
    bool first = true;
    for (const core::Objective* o : core::objectives()) {
        if (json) {
            std::cout << methodJson(*o).dump() << "\n";
        } else {
            if (!first) std::cout << "\n";
            printMethodText(*o);
        }
        first = false;
    }
    std::cout.flush();
    return 0;
}

} // namespace ebm::cli
