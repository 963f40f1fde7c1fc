// `train` and `demo`: a training loop that prints progress, evaluates metrics every K steps (their
// time is excluded from steps/s) and optionally saves the model.
#include "args.h"
#include "commands.h"
#include "methodargs.h"
#include "textplot.h"

#include <ebm/core/parallel.h>
#include <ebm/core/recommended.h>
#include <ebm/core/trainer.h>
#include <ebm/io/atomicfile.h>
#include <ebm/io/modelfile.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

namespace ebm::cli {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr const char* kTrainHelp =
    R"(usage: ebmlab-cli train --target NAME --method {methods} [options]

Trains an MLP energy on a target density (ebmlab-cli targets lists them) and prints progress.
Images: ebmlab-cli train --images digits|fashion-mnist|DIR --help.

options:
  --target NAME      target density (required)
  --method M         the training method (required; listed below and by ebmlab-cli methods)
  --set KEY=VALUE    a hyperparameter of the method (repeatable; METHOD.KEY=VALUE for another
                     method's), e.g. --set lr_scale=1.5; the keys, defaults and ranges are below
  --recommended      start from the settings recommended for this target and method (what the
                     window's "Use recommended settings" applies; docs/convergence.md); the other
                     options given override them
  --sampler S        the MCMC negatives' sampler: ula (default), mala, hmc, mh
  --steps N          training steps (default 3000)
  --seed S           seed of everything random (default {seed})
  --width W          hidden-layer width (default {width})
  --depth D          hidden layers (default {depth})
  --batch B          data samples per step (default {batch})
  --lr X             initial Adam learning rate (default {lr}; each method multiplies it by its
                     lr_scale and, where decay_lr is set, the trainer's schedule decays it)
  --activation A     hidden-layer activation: silu (default), softplus, tanh
  --lr-decay-steps N steps over which the learning rate decays 10x (default {decay}; 0 = constant)
  --lr-floor F       decay on, 10x per those steps, down to F times the rate (default 0.1: held
                     there after them)
  --average N        report and save the parameters averaged over about the last N steps (default
                     {average}; 0 = the last step's); training itself is unchanged (docs/math.md)
  --threads T        worker threads (default: all cores)
  --eval-every K     compute KL / NLL / log Z every K steps (default steps/10; 0 = only at the end)
  --json             one JSON object per step (step, loss, grad_norm, accept_rate; plus kl, nll,
                     log_z, log_z_estimate at evaluation points); the last line holds the final
                     metrics, steps_per_s and seconds (training time, metric evaluation excluded)
  --save FILE        write the trained model (JSON, docs/model-file.md)

The MCMC negatives (cd and the margin losses):
  --chain-steps K    sampler steps per training step (default {chainsteps})
  --step-size E      the sampler's step size ε (default {stepsize}); fitted to the target, at most
                     this, unless --no-fit
  --no-fit           run the chains' sampler and step size as given: by default ULA's step is at
                     most ⅔ w², w the width of the target's thin features, and MALA replaces ULA
                     where those are under half the typical width (docs/convergence.md)
  --buffer N         replay-buffer capacity in particles (default {buffer})
  --restart F        fraction of each negative batch restarted, 0..1 (default {restart})
  --restart-from-data F  of the restarts, the fraction started at data points, 0..1 (default {fromdata})
  --short-run        fresh chains from uniform noise every step instead of the replay buffer

Metrics: quadrature on a 256 x 256 grid over the target's box; NLL on 5000 held-out samples.

)";

constexpr const char* kDemoHelp = R"(usage: ebmlab-cli demo [--method M] [--steps N] [--seed S] [--threads T]

A short training run on eight-gaussians (default: exact score matching, 600 steps) with progress
lines, then the learned density drawn in the terminal next to the target.
)";

std::string trainHelp() {
    const core::TrainerOptions d;
    std::string h = kTrainHelp;
    const auto set = [&](const std::string& key, const std::string& value) {
        if (const auto p = h.find(key); p != std::string::npos) h.replace(p, key.size(), value);
    };
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", double(d.optimizer.learningRate));
    set("{seed}", std::to_string(d.seed));
    set("{width}", std::to_string(d.model.hidden.front()));
    set("{depth}", std::to_string(d.model.hidden.size()));
    set("{batch}", std::to_string(d.batchSize));
    set("{lr}", lr);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", double(d.chains.sampler.stepSize));
    set("{stepsize}", buf);
    std::snprintf(buf, sizeof buf, "%g", double(d.chains.restartFraction));
    set("{restart}", buf);
    std::snprintf(buf, sizeof buf, "%g", double(d.chains.restartFromData));
    set("{fromdata}", buf);
    set("{chainsteps}", std::to_string(d.chains.steps));
    set("{buffer}", std::to_string(d.chains.bufferSize));
    set("{decay}", std::to_string(d.lrDecaySteps));
    set("{average}", std::to_string(d.averageSteps));
    set("{methods}", methodChoices(core::ModelKind::Plane));
    return h + methodsHelp(core::ModelKind::Plane);
}

// The held-out set comes from its own generator so it does not depend on (or disturb) training.
constexpr std::uint64_t kHeldOutSalt = 0x9E3779B97F4A7C15ull;
constexpr core::Index kHeldOut = 5000;
constexpr int kMetricGrid = 256;

struct TrainConfig {
    std::string target;
    core::TrainerOptions options;
    std::int64_t steps = 3000;
    std::int64_t evalEvery = 300;
    bool json = false;
    bool plot = false;
    std::optional<std::string> save;
};

std::string architecture(const core::MlpOptions& m) {
    // Appends only: GCC 12 warns (-Wrestrict, a false positive) on chains of operator+ here.
    std::string s = std::to_string(m.inputDim);
    for (int h : m.hidden)
        s.append("-").append(std::to_string(h));
    s.append("-1 ").append(core::activationName(m.activation));
    return s;
}

std::vector<std::string> samplerNames() {
    return {"ula", "mala", "hmc", "mh"};
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

void addMetrics(Json& j, const core::Metrics& m) {
    j["kl"] = m.kl; // NaN/Inf are written as null by nlohmann
    j["nll"] = m.nll;
    j["log_z"] = m.logZ;
    j["log_z_estimate"] = m.logZEstimate;
}

std::string metricsText(const core::Metrics& m) {
    std::string s =
        "KL " + fmt("%.4f", m.kl) + "  NLL " + fmt("%.4f", m.nll) + "  log Z " + fmt("%.4f", m.logZ);
    if (std::isfinite(m.logZEstimate)) s += " (NCE c " + fmt("%.4f", m.logZEstimate) + ")";
    return s;
}

/// What the training loop measured.
struct RunResult {
    double trainSeconds = 0, evalSeconds = 0, lastLoss = NAN;
    std::int64_t diverged = 0;
    core::Metrics metrics;
    double stepsPerS(std::int64_t steps) const {
        return trainSeconds > 0 ? double(steps) / trainSeconds : 0.0;
    }
};

void printStepJson(const core::StepStats& st, std::int64_t s, const core::Metrics* metrics) {
    Json j;
    j["step"] = s;
    j["loss"] = st.loss;
    j["grad_norm"] = st.gradNorm;
    j["accept_rate"] = st.acceptRate;
    if (st.diverged) {
        j["diverged"] = true;
        j["message"] = st.message;
    }
    if (metrics) addMetrics(j, *metrics);
    std::cout << j.dump() << "\n";
}

/// The steps, with progress lines (or JSON lines) and the metrics every evalEvery steps; the metrics'
/// time is kept apart from the training time.
RunResult trainLoop(core::Trainer& trainer, const TrainConfig& c, const core::Matd& heldOut,
                    const core::GridSpec& grid) {
    RunResult r;
    double lossSum = 0;
    std::int64_t lossCount = 0;
    bool metricsFresh = false;
    const bool negatives = trainer.currentObjective().info().needs.negatives;
    for (std::int64_t s = 1; s <= c.steps; ++s) {
        const auto t0 = Clock::now();
        const core::StepStats st = trainer.step();
        r.trainSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
        r.lastLoss = st.loss;
        if (std::isfinite(st.loss)) {
            lossSum += st.loss;
            ++lossCount;
        }
        if (st.diverged) ++r.diverged;
        const bool evalNow = c.evalEvery > 0 && (s % c.evalEvery == 0 || s == c.steps);
        metricsFresh = false;
        if (evalNow) {
            const auto e0 = Clock::now();
            r.metrics = trainer.metrics(heldOut, grid);
            r.evalSeconds += std::chrono::duration<double>(Clock::now() - e0).count();
            metricsFresh = true;
        }
        if (c.json) {
            printStepJson(st, s, evalNow ? &r.metrics : nullptr);
            continue;
        }
        if (st.diverged)
            std::cout << "step " << s << ": diverged and rolled back: " << st.message << std::endl;
        if (evalNow) {
            const double avg = lossCount > 0 ? lossSum / double(lossCount) : NAN;
            std::cout << "step " << s << "/" << c.steps << "  loss " << fmt("%.4f", avg) << "  |grad| "
                      << fmt("%.3g", st.gradNorm);
            if (negatives) std::cout << "  accept " << fmt("%.3f", st.acceptRate);
            std::cout << "  " << metricsText(r.metrics) << "  " << fmt("%.1f", double(s) / r.trainSeconds)
                      << " steps/s" << std::endl;
            lossSum = 0;
            lossCount = 0;
        }
    }
    if (!metricsFresh) {
        const auto e0 = Clock::now();
        r.metrics = trainer.metrics(heldOut, grid);
        r.evalSeconds += std::chrono::duration<double>(Clock::now() - e0).count();
    }
    return r;
}

void saveModel(const core::Trainer& trainer, const TrainConfig& c) {
    io::ModelFile mf = io::ModelFile::fromMlp(trainer.shownModel());
    mf.logZEstimate = trainer.currentObjective().info().needs.noise ? double(trainer.logZEstimate()) : NAN;
    mf.target = c.target;
    mf.method = trainer.method();
    mf.steps = trainer.stepCount();
    io::saveModel(mf, *c.save);
}

// A float setting as the decimal it was typed as (0.001, not 0.0010000000474974513).
double tidy(float x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", double(x));
    return std::strtod(buf, nullptr);
}

void reportJson(const core::Trainer& trainer, const TrainConfig& c, const RunResult& r) {
    const core::TrainerOptions& o = trainer.options();
    Json j;
    j["final"] = true;
    j["target"] = c.target;
    j["method"] = o.method;
    j["params"] = paramsJson(o.params, o.method);
    if (core::objective(o.method).info().needs.negatives) {
        const core::SamplerOptions run = trainer.chainSampler();
        const core::FeatureWidths w = trainer.targetWidths();
        j["chains"] = {{"sampler", core::samplerKindName(run.kind)},
                       {"steps", o.chains.steps},
                       {"step_size", tidy(run.stepSize)},
                       {"fitted", o.chains.adaptToTarget},
                       {"widths", {tidy(float(w.thin)), tidy(float(w.typical))}},
                       {"persistent", o.chains.persistent},
                       {"buffer", o.chains.bufferSize},
                       {"restart", tidy(o.chains.restartFraction)},
                       {"restart_from_data", tidy(o.chains.restartFromData)}};
    }
    j["model"] = architecture(o.model);
    j["lr"] = tidy(o.optimizer.learningRate);
    j["lr_decay_steps"] = o.lrDecaySteps;
    j["lr_floor"] = tidy(o.lrFloorFactor);
    j["average_steps"] = o.averageSteps;
    j["batch"] = o.batchSize;
    j["steps"] = c.steps;
    addMetrics(j, r.metrics);
    j["loss"] = r.lastLoss;
    j["steps_per_s"] = r.stepsPerS(c.steps);
    j["seconds"] = r.trainSeconds;
    j["eval_seconds"] = r.evalSeconds;
    j["diverged_steps"] = r.diverged;
    j["threads"] = core::threadCount();
    j["seed"] = o.seed;
    if (c.save) j["saved"] = *c.save;
    std::cout << j.dump() << std::endl;
}

void reportText(const core::Trainer& trainer, const TrainConfig& c, const RunResult& r,
                const core::TargetDensity& target) {
    std::cout << "done: " << c.steps << " steps in " << fmt("%.2f", r.trainSeconds) << " s ("
              << fmt("%.1f", r.stepsPerS(c.steps)) << " steps/s, metrics excluded";
    if (r.diverged > 0) std::cout << "; " << r.diverged << " diverged step(s) rolled back";
    std::cout << ")\n" << metricsText(r.metrics) << std::endl;
    if (c.plot) std::cout << "\n" << textPlot(trainer.shownModel(), target, trainer.options().box);
    if (c.save) std::cout << "saved the model to " << *c.save << std::endl;
}

// The chains' sampler as run, and why it differs from the options.
std::string chainsText(const core::Trainer& trainer) {
    const core::ChainOptions& c = trainer.options().chains;
    const core::SamplerOptions run = trainer.chainSampler();
    std::string s = "chains: " + core::samplerKindName(run.kind) + ", " + std::to_string(c.steps) +
                    " steps of " + fmt("%.3g", double(run.stepSize));
    if (!(run == c.sampler)) {
        const core::FeatureWidths w = trainer.targetWidths();
        s += fmt(" (fitted to the target's features, %.3f", w.thin) +
             fmt(" wide at the thin parts, %.3f", w.typical) + " typical; --no-fit keeps " +
             core::samplerKindName(c.sampler.kind) + fmt(" with %g)", double(c.sampler.stepSize));
    }
    return s;
}

int runTraining(const TrainConfig& c) {
    std::shared_ptr<const core::TargetDensity> target = core::makePreset(c.target);
    core::Trainer trainer(target, c.options);
    const core::TrainerOptions& o = trainer.options();
    core::Rng heldRng(o.seed ^ kHeldOutSalt);
    const core::Matd heldOut = target->sample(kHeldOut, heldRng);
    const core::GridSpec grid{o.box, kMetricGrid};
    if (!c.json)
        std::cout << "training " << o.method << " on " << c.target << ": MLP " << architecture(o.model)
                  << ", batch " << o.batchSize << ", " << c.steps << " steps, seed " << o.seed << ", "
                  << core::threadCount() << " thread(s); " << paramsText(o.params, o.method) << std::endl;
    if (!c.json && core::objective(o.method).info().needs.negatives)
        std::cout << chainsText(trainer) << std::endl;
    const RunResult r = trainLoop(trainer, c, heldOut, grid);
    if (c.save) saveModel(trainer, c);
    if (c.json)
        reportJson(trainer, c, r);
    else
        reportText(trainer, c, r, *target);
    return 0;
}

void applyThreads(const Args& a) {
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
}
} // namespace

int cmdTrain(const Tokens& t) {
    for (const std::string& w : t)
        if (w == "--images" || w.rfind("--images=", 0) == 0) return cmdTrainImages(t);
    Args a("train", t, {"target",     "method",         "sampler",    "steps",
                        "seed",       "width",          "depth",      "batch",
                        "lr",         "threads",        "eval-every", "save",
                        "activation", "lr-decay-steps", "lr-floor",   "chain-steps",
                        "step-size",  "buffer",         "restart",    "restart-from-data",
                        "average"},
           {"json", "short-run", "recommended", "no-fit"}, {"set"});
    if (a.help()) {
        std::cout << trainHelp();
        return 0;
    }
    TrainConfig c;
    c.target = a.choice("target", core::presetNames(), "target", std::nullopt);
    core::TrainerOptions& o = c.options;
    o.method = methodArg(a, core::ModelKind::Plane, std::nullopt);
    if (a.flag("recommended")) o = core::recommendedSettings(c.target, o).options; // the flags below override
    applySets(a, o.params, o.method);
    o.chains.sampler.kind = core::parseSamplerKind(
        a.choice("sampler", samplerNames(), "sampler", core::samplerKindName(o.chains.sampler.kind)));
    c.steps = a.integer("steps", 1, 100'000'000, 3000);
    o.seed = a.seed("seed", 1);
    if (a.has("width") || a.has("depth")) {
        const int width = int(a.integer("width", 1, 4096, o.model.hidden.front()));
        const int depth = int(a.integer("depth", 1, 16, std::int64_t(o.model.hidden.size())));
        o.model.hidden.assign(size_t(depth), width);
    }
    if (a.has("activation"))
        o.model.activation = core::parseActivation(
            a.choice("activation", {"silu", "softplus", "tanh"}, "activation", std::nullopt));
    o.batchSize = a.integer("batch", 1, 1 << 20, o.batchSize);
    o.optimizer.learningRate = float(a.positive("lr", 10.0, o.optimizer.learningRate));
    o.lrDecaySteps = int(a.integer("lr-decay-steps", 0, 100'000'000, o.lrDecaySteps));
    o.lrFloorFactor = float(a.positive("lr-floor", double(o.lrFinalFactor), o.lrFloorFactor));
    o.averageSteps = int(a.integer("average", 0, 1'000'000, o.averageSteps));
    o.chains.steps = int(a.integer("chain-steps", 1, 10000, o.chains.steps));
    o.chains.sampler.stepSize = float(a.positive("step-size", 100.0, o.chains.sampler.stepSize));
    o.chains.bufferSize = int(a.integer("buffer", 1, 10'000'000, o.chains.bufferSize));
    o.chains.restartFraction = float(a.fraction("restart", o.chains.restartFraction));
    o.chains.restartFromData = float(a.fraction("restart-from-data", o.chains.restartFromData));
    if (a.flag("short-run")) o.chains.persistent = false;
    if (a.flag("no-fit")) o.chains.adaptToTarget = false;
    c.evalEvery = a.integer("eval-every", 0, 100'000'000, std::max<std::int64_t>(1, c.steps / 10));
    c.json = a.flag("json");
    c.save = a.value("save");
    if (c.save) io::checkWritableLocation(*c.save);
    applyThreads(a);
    o.box = core::makePreset(c.target)->suggestedBox();
    o.validate();
    return runTraining(c);
}

int cmdDemo(const Tokens& t) {
    Args a("demo", t, {"method", "steps", "seed", "threads"}, {});
    if (a.help()) {
        std::cout << kDemoHelp;
        return 0;
    }
    TrainConfig c;
    c.target = "eight-gaussians";
    c.options.method = methodArg(a, core::ModelKind::Plane, "sm");
    c.steps = a.integer("steps", 1, 1'000'000, 600);
    c.options.seed = a.seed("seed", 1);
    c.evalEvery = std::max<std::int64_t>(1, c.steps / 6);
    c.plot = true;
    applyThreads(a);
    c.options.box = core::makePreset(c.target)->suggestedBox();
    c.options.validate();
    std::cout << "EBM Lab demo (the window is not built; scripts/launch runs this instead)\n";
    return runTraining(c);
}

} // namespace ebm::cli
