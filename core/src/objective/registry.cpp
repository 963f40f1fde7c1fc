// The registry of training objectives: the one list that the trainer, the panels, the CLI, the session
// files, the bench and the window's keys 1–9 read. Adding an objective: its file in this folder, one
// line in each list below.
#include <ebm/core/objective.h>

namespace ebm::core {

const Objective& contrastiveDivergenceObjective();
const Objective& exactScoreMatchingObjective();
const Objective& slicedScoreMatchingObjective();
const Objective& denoisingScoreMatchingObjective();
const Objective& noiseContrastiveObjective();
const Objective& hingeObjective();
const Objective& logLossObjective();
const Objective& squareSquareObjective();

const std::vector<const Objective*>& objectives() {
    static const std::vector<const Objective*> all{
        &contrastiveDivergenceObjective(),
        &exactScoreMatchingObjective(),
        &slicedScoreMatchingObjective(),
        &denoisingScoreMatchingObjective(),
        &noiseContrastiveObjective(),
        &hingeObjective(),
        &logLossObjective(),
        &squareSquareObjective(),
    };
    return all;
}

const Objective* findObjective(const std::string& name) {
    for (const Objective* o : objectives())
        if (o->info().name == name) return o;
    return nullptr;
}

const Objective& objective(const std::string& name) {
    if (const Objective* o = findObjective(name)) return *o;
    std::string names;
    for (const Objective* o : objectives())
        names += (names.empty() ? "" : ", ") + o->info().name;
    throw InvalidArgument("unknown method \"" + name + "\" (use " + names + ")");
}

std::vector<std::string> objectiveNames(ModelKind kind) {
    std::vector<std::string> names;
    for (const Objective* o : objectives())
        if (o->info().supports(kind)) names.push_back(o->info().name);
    return names;
}

std::string familyName(Family f) {
    switch (f) {
    case Family::Contrastive:
        return "contrastive";
    case Family::ScoreMatching:
        return "score-matching";
    case Family::NoiseContrastive:
        return "noise-contrastive";
    }
    return "?";
}

std::string familyLabel(Family f) {
    switch (f) {
    case Family::Contrastive:
        return "Contrastive (MCMC negatives)";
    case Family::ScoreMatching:
        return "Score matching";
    case Family::NoiseContrastive:
        return "Noise-contrastive";
    }
    return "?";
}

std::string modelKindName(ModelKind k) {
    return k == ModelKind::Plane ? "2d" : "image";
}

Matf StepContext::negatives() {
    usedNegatives = domain.negatives(model, data, rng, acceptRate);
    return usedNegatives;
}

MethodParams::MethodParams(ModelKind kind) : m_kind(kind) {
    for (const Objective* o : objectives())
        if (o->info().supports(kind)) m_values.emplace(o->info().name, ParamSet(o->schema(kind)));
}

const ParamSet& MethodParams::of(const std::string& method) const {
    const auto it = m_values.find(method);
    if (it != m_values.end()) return it->second;
    objective(method); // throws for an unknown name
    throw InvalidArgument("method " + method + " is not available for " + modelKindName(m_kind) + " models");
}

double MethodParams::get(const std::string& method, const std::string& key) const {
    return of(method).value(key);
}

void MethodParams::set(const std::string& method, const std::string& key, double value) {
    of(method); // throws for an unknown method
    const Schema schema = objective(method).schema(m_kind);
    const ParamSpec* spec = findParam(schema, key);
    if (!spec) {
        std::string keys;
        for (const ParamSpec& s : schema)
            keys += (keys.empty() ? "" : ", ") + s.key;
        throw InvalidArgument("method " + method + " has no hyperparameter \"" + key + "\"" +
                              (keys.empty() ? std::string(" (it has none)") : " (it has " + keys + ")"));
    }
    checkParamValue(*spec, value, method);
    m_values[method].set(key, value);
}

void MethodParams::setText(const std::string& method, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw InvalidArgument("--set expects key=value, got \"" + assignment + "\"");
    std::string m = method, key = assignment.substr(0, eq);
    if (const auto dot = key.find('.'); dot != std::string::npos) {
        m = key.substr(0, dot);
        key = key.substr(dot + 1);
    }
    of(m);
    const Schema schema = objective(m).schema(m_kind);
    const ParamSpec* spec = findParam(schema, key);
    if (!spec) {
        set(m, key, 0); // throws the message naming the valid keys
        return;
    }
    set(m, key, parseParamValue(*spec, assignment.substr(eq + 1)));
}

void MethodParams::validate() const {
    for (const auto& [name, values] : m_values)
        validateParams(objective(name).schema(m_kind), values, name);
}

} // namespace ebm::core
