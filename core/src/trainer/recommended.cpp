// Recommended settings per preset target and method. Each entry names the values that differ from the
// defaults and why; the figures behind them are in docs/convergence.md (scripts/convergence, 3 seeds).
#include <ebm/core/recommended.h>

#include <ebm/core/objective.h>
#include <ebm/core/sampler.h>
#include <ebm/core/types.h>

#include <cstdio>
#include <sstream>

namespace ebm::core {

namespace {

struct Entry {
    const char* target;
    const char* method; ///< a registered method's name
    /// "key=value" pairs separated by spaces: sampler (ula, mala, hmc, mh), chain_steps, step_size, restart,
    /// restart_from_data, buffer, width, depth, activation, lr, lr_decay_steps, lr_floor, batch, or a
    /// hyperparameter of the method.
    const char* settings;
    const char* reason;
};

// clang-format off
const Entry kEntries[] = {
    // The rings' NCE entry (noise 1.5 times wider) went when NCE's noise gained its uniform part: KL after
    // 10000 steps 0.013 against 0.016 with the defaults, for a much slower start (0.42 against 0.24 after
    // 3000). The thin presets (rings, spirals, squiggle, donut, funnel) need no entry: the chains are fitted to
    // the target by default (ChainOptions::adaptToTarget). Exact and sliced SM on the checkerboard no
    // longer have one: the averaged parameters shown (TrainerOptions::averageSteps) do what their floor at
    // a hundredth did (KL 0.098 and 0.102 with the defaults, 0.110 and 0.106 with the floor). KL after
    // 10000 steps, median of 3 seeds, with the averaged parameters (docs/convergence.md).
    {"checkerboard", "hinge", "lr_floor=0.01",
     "The checkerboard's squares have sharp edges that a smooth network can only approach: at a tenth of "
     "the rate the noisy updates keep blurring them, decaying on to a hundredth lets them settle (KL after "
     "10000 steps 0.33 instead of 0.62)."},
    {"checkerboard", "cd", "restart_from_data=0.9",
     "Of the chains restarted each step, nine in ten start at data points instead of half: more negatives "
     "at the squares' edges, where a smooth network blurs the density. A small gain, lower on each of six "
     "seeds, at no cost (KL after 10000 steps 0.193 instead of 0.221, median of seeds 1-3; 0.200 instead "
     "of 0.211 over seeds 1-6; after 3000, 0.25 instead of 0.32)."},
    {"checkerboard", "nce", "depth=3",
     "The checkerboard's sharp-edged squares need a deeper network than two hidden layers (the best "
     "fit the default network can reach, measured apart from any method, is 0.097 nats): a third hidden "
     "layer of 128 lets NCE reach KL 0.038 after 10000 steps instead of 0.145 (0.079 instead of 0.364 "
     "after 3000), at a little over half the steps per second."},
    {"two-spirals", "sm", "lr_decay_steps=10000",
     "Score matching on the spirals is still learning when the default schedule has cut the rate tenfold "
     "(by step 3000): decaying over 10000 steps instead ends lower (KL after 10000 steps 0.15 instead of "
     "0.27; after 3000, 0.32 instead of 0.55). Measured before the averaged parameters: decaying on to a "
     "hundredth (0.44) or a constant rate (0.42) did worse."},
    {"two-spirals", "ssm", "lr_decay_steps=10000",
     "Sliced score matching on the spirals, like exact SM, is still learning when the default schedule "
     "has cut the rate tenfold: decaying over 10000 steps instead ends lower (KL after 10000 steps 0.19 "
     "instead of 0.22; after 3000, 0.28 instead of 0.41)."},
    {"two-spirals", "hinge", "chain_steps=30",
     "The hinge stops pushing a negative up once its energy is past the margin, so what it learns between "
     "the arms depends on where the chains have put their negatives: 30 Langevin steps per training step "
     "instead of 10 spread them along the arms (KL after 10000 steps 0.16 instead of 0.31; after 3000, "
     "0.16 instead of 0.31), at less than half the steps per second."},
    {"rings", "hinge", "chain_steps=30",
     "The hinge stops pushing a negative up once its energy is past the margin, so what it learns between "
     "the rings depends on where the chains have put their negatives: 30 Langevin steps per training step "
     "instead of 10 carry them across the rings (KL after 10000 steps 0.20 instead of 0.73, one seed in "
     "three 0.45; after 3000, 0.56 instead of 0.80), at less than half the steps per second."},
};
// clang-format on

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string widths(const std::vector<int>& h) {
    std::string s;
    for (size_t i = 0; i < h.size(); ++i)
        s += (i ? "×" : "") + std::to_string(h[i]);
    return s;
}

void apply(TrainerOptions& o, const std::string& key, const std::string& value) {
    const auto real = [&] { return std::stod(value); };
    if (key == "sampler")
        o.chains.sampler.kind = parseSamplerKind(value);
    else if (key == "chain_steps")
        o.chains.steps = std::stoi(value);
    else if (key == "step_size")
        o.chains.sampler.stepSize = float(real());
    else if (key == "restart")
        o.chains.restartFraction = float(real());
    else if (key == "restart_from_data")
        o.chains.restartFromData = float(real());
    else if (key == "buffer")
        o.chains.bufferSize = std::stoi(value);
    else if (key == "width")
        o.model.hidden.assign(o.model.hidden.size(), std::stoi(value));
    else if (key == "depth")
        o.model.hidden.assign(size_t(std::stoi(value)), o.model.hidden.front());
    else if (key == "activation")
        o.model.activation = parseActivation(value);
    else if (key == "lr")
        o.optimizer.learningRate = float(real());
    else if (key == "lr_decay_steps")
        o.lrDecaySteps = std::stoi(value);
    else if (key == "lr_floor")
        o.lrFloorFactor = float(real());
    else if (key == "batch")
        o.batchSize = std::stoi(value);
    else
        o.params.setText(o.method, key + "=" + value);
}

// What differs between a and b, in words.
std::vector<std::string> differences(const TrainerOptions& from, const TrainerOptions& to) {
    std::vector<std::string> out;
    const auto change = [&](const std::string& what, const std::string& a, const std::string& b) {
        if (a != b) out.push_back(what + " " + a + " → " + b);
    };
    const Schema& schema = objective(to.method).schema(to.params.kind());
    for (const ParamSpec& p : schema)
        change(p.label, formatParamValue(p, from.params.get(to.method, p.key)),
               formatParamValue(p, to.params.get(to.method, p.key)));
    if (objective(to.method).info().needs.negatives) {
        change("chain sampler", samplerKindName(from.chains.sampler.kind),
               samplerKindName(to.chains.sampler.kind));
        if (to.chains.sampler.kind == SamplerKind::RandomWalkMH ||
            from.chains.sampler.kind == SamplerKind::RandomWalkMH)
            change("proposal width σ", number(from.chains.sampler.mhSigma),
                   number(to.chains.sampler.mhSigma));
        if (to.chains.sampler.kind == SamplerKind::Hmc || from.chains.sampler.kind == SamplerKind::Hmc)
            change("leapfrog steps", std::to_string(from.chains.sampler.leapfrogSteps),
                   std::to_string(to.chains.sampler.leapfrogSteps));
        change("chains fitted to the target", from.chains.adaptToTarget ? "on" : "off",
               to.chains.adaptToTarget ? "on" : "off");
        change("persistent chains", from.chains.persistent ? "on" : "off",
               to.chains.persistent ? "on" : "off");
        change("chain steps K", std::to_string(from.chains.steps), std::to_string(to.chains.steps));
        change("chain step size ε", number(from.chains.sampler.stepSize), number(to.chains.sampler.stepSize));
        change("restart rate", number(from.chains.restartFraction), number(to.chains.restartFraction));
        change("restarts at data", number(from.chains.restartFromData), number(to.chains.restartFromData));
        change("buffer", std::to_string(from.chains.bufferSize), std::to_string(to.chains.bufferSize));
    }
    change("model", widths(from.model.hidden), widths(to.model.hidden));
    change("activation", activationName(from.model.activation), activationName(to.model.activation));
    change("optimiser", from.optimizer.kind == OptimizerKind::Adam ? "Adam" : "SGD",
           to.optimizer.kind == OptimizerKind::Adam ? "Adam" : "SGD");
    change("learning rate", number(from.optimizer.learningRate), number(to.optimizer.learningRate));
    change("decay steps", std::to_string(from.lrDecaySteps), std::to_string(to.lrDecaySteps));
    change("learning-rate floor", number(from.lrFloorFactor), number(to.lrFloorFactor));
    change("batch", std::to_string(from.batchSize), std::to_string(to.batchSize));
    change("steps averaged", std::to_string(from.averageSteps), std::to_string(to.averageSteps));
    return out;
}

} // namespace

Recommendation recommendedSettings(const std::string& target, const TrainerOptions& current) {
    Recommendation r;
    TrainerOptions& o = r.options;
    o.method = current.method;
    o.seed = current.seed;
    o.box = current.box;
    // The other methods keep their hyperparameters (switching to them later finds what the user set);
    // this method's start from their defaults.
    o.params = current.params;
    for (const ParamSpec& p : objective(o.method).schema(o.params.kind()))
        o.params.set(o.method, p.key, p.def);
    for (const Entry& e : kEntries) {
        if (target != e.target || current.method != e.method) continue;
        std::istringstream in(e.settings);
        for (std::string kv; in >> kv;) {
            const auto eq = kv.find('=');
            apply(o, kv.substr(0, eq), kv.substr(eq + 1));
        }
        r.reason = e.reason;
        r.own = true;
    }
    o.validate();
    r.changes = differences(current, o);
    return r;
}

std::vector<std::string> recommendationKeys() {
    std::vector<std::string> out;
    for (const Entry& e : kEntries)
        out.push_back(std::string(e.target) + "/" + e.method);
    return out;
}

} // namespace ebm::core
