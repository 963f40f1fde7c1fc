// `train --images`: trains an image energy (conv net or MLP) on embedded digits, Fashion-MNIST or a
// folder of PNGs, then reports sample quality (imagequality.h) of the replay buffer's chains.
#include "args.h"
#include "commands.h"
#include "methodargs.h"
#include <ebm/io/imagedata.h>

#include <ebm/core/imagequality.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>
#include <ebm/io/atomicfile.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/png.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace ebm::cli {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr const char* kHelp =
    R"(usage: ebmlab-cli train --images digits|fashion-mnist|DIR --method {methods} [options]

Trains an image energy on small grey-scale images and reports the quality of its samples.

data (--images):
  digits           6000 embedded digits 0-9 drawn from stroke skeletons (seeded; no files needed)
  fashion-mnist    Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
  DIR              a folder of PNG files (subfolders = classes), grey-scaled and resized

options:
  --model M          conv (default: 4 conv layers 16-32-64-64 channels, 3x3, SiLU) or mlp (256-256)
  --method M         the training method (required; listed below and by ebmlab-cli methods)
  --set KEY=VALUE    a hyperparameter of the method (repeatable; METHOD.KEY=VALUE for another
                     method's); the keys, defaults and ranges for images are below
  --steps N          training steps (default 1000)
  --seed S           seed of everything random (default 1)
  --size P           image size P x P (default 16; digits 8..64, others 4..64)
  --count N          images to use (default: digits 6000, fashion-mnist 10000, DIR all)
  --batch B          data images per step (default 64)
  --lr X             Adam learning rate (default 1e-3)
  --lr-decay-steps N the learning rate decays 10x over N steps, then holds (default 0: constant)
  --langevin-steps K chains (MCMC negatives): Langevin steps per training step (default 20)
  --step-size L      chains: Langevin gradient step λ (default 4)
  --noise S          chains: Langevin noise σ (default 0.005)
  --alpha A          the method's energy regulariser α: the same as --set energy_reg=A
  --buffer N         chains: replay buffer size in images (default 10000)
  --fresh F          chains: fraction restarted from uniform noise at each step (default 0.2)
  --no-guard         CD: do not rewind a run whose chains are lost (mean E(x-) - E(x+) past a
                     quarter of 1/alpha); by default it goes back to an earlier checkpoint and halves
                     the learning rate
  --channels LIST    conv net: channels per 3x3 layer, the first stride 1, the rest stride 2
                     (default 16,32,64,64)
  --threads T        worker threads (default: all cores)
  --json             one JSON object per step, then a last line with steps_per_s and the sample quality
  --samples-out F    write a 10 x 10 grid of samples as PNG
  --save FILE        write the model's parameters (JSON: architecture, method, params)

Samples: the replay buffer's chains for methods with MCMC negatives; for the others (and those as well) 100
chains started from
uniform noise and run for 200 Langevin steps. Sample quality (labelled data only): a 10-nearest-neighbour
classifier on the training images; "confident" = at least 8 of the 10 neighbours agree; "near" = also as
close to the data as 95% of held-out images are. Energies: mean over held-out images and uniform noise.

)";

struct Config {
    std::string images;
    core::ImageTrainerOptions options;
    std::int64_t steps = 1000;
    int size = 16;
    core::Index count = 0;
    bool json = false;
    std::optional<std::string> samplesOut, save;
};

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

void addQuality(Json& j, const std::string& prefix, const core::SampleQuality& q, const io::ImageData& d) {
    if (d.labelled) {
        j[prefix + "confident_fraction"] = q.confidentFraction;
        j[prefix + "confident_near_fraction"] = q.confidentNearFraction;
        j[prefix + "distinct_classes"] = q.distinctClasses;
    }
    j[prefix + "energy_samples"] = q.meanEnergySamples;
}

/// "16,32,64,64": one 3 x 3 convolution per entry, the first with stride 1, the others with stride 2.
std::vector<core::ConvLayerSpec> parseChannels(const std::string& text) {
    std::vector<core::ConvLayerSpec> layers;
    for (int channels : integerList(text, 1, 512, 8, false,
                                    "--channels takes 1 to 8 channel counts in 1..512 separated by commas, "
                                    "e.g. 16,32,64,64"))
        layers.push_back({channels, layers.empty() ? 1 : 2});
    return layers;
}

std::string help() {
    std::string h = kHelp;
    const std::string key = "{methods}";
    h.replace(h.find(key), key.size(), methodChoices(core::ModelKind::Image));
    return h + methodsHelp(core::ModelKind::Image);
}

Config parseConfig(const Args& a) {
    Config c;
    c.images = a.required("images");
    core::ImageTrainerOptions& o = c.options;
    o.model = core::parseImageModel(a.choice("model", {"conv", "mlp"}, "model", "conv"));
    o.method = methodArg(a, core::ModelKind::Image, std::nullopt);
    c.steps = a.integer("steps", 1, 100'000'000, 1000);
    o.seed = a.seed("seed", 1);
    c.size = int(a.integer("size", 4, 64, 16));
    c.count = a.integer("count", 1, 1'000'000, 0);
    o.batchSize = a.integer("batch", 1, 4096, o.batchSize);
    o.optimizer.learningRate = float(a.positive("lr", 1.0, o.optimizer.learningRate));
    o.lrDecaySteps = int(a.integer("lr-decay-steps", 0, 100'000'000, o.lrDecaySteps));
    o.chains.langevin.steps = int(a.integer("langevin-steps", 0, 10000, o.chains.langevin.steps));
    o.chains.langevin.stepSize = float(a.positive("step-size", 1e6, o.chains.langevin.stepSize));
    o.chains.langevin.noise = float(a.positive("noise", 10.0, o.chains.langevin.noise));
    o.chains.bufferSize = int(a.integer("buffer", 1, 1'000'000, o.chains.bufferSize));
    o.chains.freshFraction = float(a.fraction("fresh", o.chains.freshFraction));
    o.chains.guard = !a.flag("no-guard");
    if (const auto ch = a.value("channels")) {
        if (o.model != core::ImageModelKind::Conv)
            throw UsageError("--channels sets the conv net's layers; it does not apply to --model mlp");
        o.conv.layers = parseChannels(*ch);
    }
    applyAlias(a, "alpha", o.params, o.method, "energy_reg");
    applySets(a, o.params, o.method);
    c.json = a.flag("json");
    c.samplesOut = a.value("samples-out");
    c.save = a.value("save");
    if (c.samplesOut) io::checkWritableLocation(*c.samplesOut);
    if (c.save) io::checkWritableLocation(*c.save);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    return c;
}

struct TrainResult {
    double seconds = 0, lastLoss = NAN;
    std::int64_t diverged = 0, guardEvents = 0;
    float finalLearningRate = 0; ///< at the end (the guard halves it at each rewind)
};

TrainResult trainLoop(core::ImageTrainer& trainer, const Config& c) {
    TrainResult r;
    for (std::int64_t s = 1; s <= c.steps; ++s) {
        const auto t0 = Clock::now();
        const core::StepStats st = trainer.step();
        r.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        r.lastLoss = st.loss;
        if (st.diverged) ++r.diverged;
        if (st.guardEvent) ++r.guardEvents;
        if (c.json) {
            Json j;
            j["step"] = s;
            j["loss"] = st.loss;
            j["grad_norm"] = st.gradNorm;
            if (s % core::ImageTrainer::kGuardEvery == 0 && std::isfinite(trainer.chainGap()))
                j["chain_gap"] = trainer.chainGap();
            if (st.diverged) j["diverged"] = true;
            if (st.guardEvent) j["guard"] = st.message;
            std::cout << j.dump() << "\n";
        } else if (st.diverged || st.guardEvent) {
            std::cout << "step " << s << ": " << st.message << std::endl;
        } else if (s % std::max<std::int64_t>(1, c.steps / 10) == 0 || s == c.steps) {
            std::cout << "step " << s << "/" << c.steps << "  loss " << fmt("%.4f", st.loss) << "  |grad| "
                      << fmt("%.3g", st.gradNorm) << "  " << fmt("%.2f", double(s) / r.seconds) << " steps/s"
                      << std::endl;
        }
    }
    r.finalLearningRate = trainer.options().optimizer.learningRate;
    return r;
}

/// The samples and their quality: the replay buffer's chains (methods with MCMC negatives) and fresh chains.
struct Assessment {
    bool chainsShown = false; ///< the buffer's chains are the samples shown (the method has negatives)
    core::Matf chains, fresh;
    core::SampleQuality qChains, qFresh;
    double eHeld = 0, eNoise = 0;
    const core::SampleQuality& main() const { return chainsShown ? qChains : qFresh; }
    const core::Matf& shown() const { return chainsShown ? chains : fresh; }
};

Assessment assess(const core::ImageTrainer& trainer, const io::ImageData& d, std::uint64_t seed) {
    Assessment r;
    // Samples: 100 chains from the replay buffer and 100 fresh chains from uniform noise.
    const core::Index n = 100;
    core::Rng sampleRng(seed ^ 0x5DEECE66Dull);
    r.fresh.resize(d.train->dim(), n);
    core::fillUniform(r.fresh, sampleRng);
    trainer.langevin(r.fresh, 200, sampleRng);
    r.chains = trainer.buffer().leftCols(std::min<core::Index>(n, trainer.buffer().cols()));
    r.chainsShown = trainer.currentObjective().info().needs.negatives;
    if (d.labelled) {
        const core::KnnClassifier knn(*d.train, 10);
        if (r.chainsShown)
            r.qChains = core::assessSamples(trainer.model(), knn, *d.heldOut, r.chains, seed + 7);
        r.qFresh = core::assessSamples(trainer.model(), knn, *d.heldOut, r.fresh, seed + 7);
    } else {
        r.qFresh.meanEnergySamples = trainer.model().energy(r.fresh).cast<double>().mean();
    }
    core::Rng noiseRng(seed + 7);
    core::Matf noise(d.train->dim(), d.heldOut->size());
    core::fillUniform(noise, noiseRng);
    r.eHeld = trainer.model().energy(d.heldOut->pixels).cast<double>().mean();
    r.eNoise = trainer.model().energy(noise).cast<double>().mean();
    return r;
}

void saveModel(const core::ImageTrainer& trainer, const Config& c, const io::ImageData& d) {
    io::ImageModelFile mf;
    mf.model = trainer.model().clone();
    mf.width = d.train->width;
    mf.height = d.train->height;
    mf.images = c.images;
    mf.method = trainer.method();
    mf.steps = trainer.stepCount();
    io::saveImageModel(mf, *c.save);
}

void reportJson(const Config& c, const TrainResult& t, const Assessment& q, const io::ImageData& d) {
    const core::ImageTrainerOptions& o = c.options;
    Json j;
    j["final"] = true;
    j["images"] = c.images;
    j["model"] = core::imageModelName(o.model);
    j["method"] = o.method;
    j["params"] = paramsJson(o.params, o.method);
    j["steps"] = c.steps;
    j["loss"] = t.lastLoss;
    j["steps_per_s"] = t.seconds > 0 ? double(c.steps) / t.seconds : 0.0;
    j["seconds"] = t.seconds;
    j["diverged_steps"] = t.diverged;
    j["guard_events"] = t.guardEvents;
    j["final_learning_rate"] = t.finalLearningRate;
    j["energy_held_out"] = q.eHeld;
    j["energy_noise"] = q.eNoise;
    if (d.labelled) {
        j["confident_fraction"] = q.main().confidentFraction;
        j["confident_near_fraction"] = q.main().confidentNearFraction;
        j["distinct_classes"] = q.main().distinctClasses;
        j["class_counts"] = q.main().classCounts;
    }
    j["samples"] = q.chainsShown ? "replay buffer" : "fresh Langevin chains";
    addQuality(j, "fresh_", q.qFresh, d);
    j["threads"] = core::threadCount();
    j["seed"] = o.seed;
    if (c.samplesOut) j["samples_out"] = *c.samplesOut;
    if (c.save) j["saved"] = *c.save;
    std::cout << j.dump() << std::endl;
}

void reportText(const Config& c, const TrainResult& t, const Assessment& q, const io::ImageData& d) {
    const double stepsPerS = t.seconds > 0 ? double(c.steps) / t.seconds : 0.0;
    std::cout << "done: " << c.steps << " steps in " << fmt("%.1f", t.seconds) << " s ("
              << fmt("%.2f", stepsPerS) << " steps/s)\n";
    if (t.guardEvents > 0)
        std::cout << "the chain guard acted " << t.guardEvents << " time(s); the learning rate is now "
                  << fmt("%g", t.finalLearningRate) << "\n";
    std::cout << "mean energy: held-out data " << fmt("%.3f", q.eHeld) << ", uniform noise "
              << fmt("%.3f", q.eNoise) << "\n";
    auto line = [&](const char* what, const core::SampleQuality& s) {
        std::cout << what << ": " << fmt("%.0f", 100 * s.confidentFraction) << "% confidently classified, "
                  << s.distinctClasses << " distinct classes among " << s.samples << ", mean energy "
                  << fmt("%.3f", s.meanEnergySamples) << "\n";
    };
    if (d.labelled) {
        if (q.chainsShown) line("replay-buffer chains", q.qChains);
        line("fresh chains (200 Langevin steps from noise)", q.qFresh);
    }
    if (c.samplesOut) std::cout << "wrote " << *c.samplesOut << "\n";
    if (c.save) std::cout << "saved the model to " << *c.save << "\n";
    std::cout.flush();
}

} // namespace

int cmdTrainImages(const Tokens& t) {
    Args a("train", t,
           {"images", "model", "method",         "steps",          "seed",        "size",  "count",
            "batch",  "lr",    "lr-decay-steps", "langevin-steps", "step-size",   "noise", "alpha",
            "buffer", "fresh", "channels",       "threads",        "samples-out", "save"},
           {"json", "no-guard"}, {"set"});
    if (a.help()) {
        std::cout << help();
        return 0;
    }
    const Config c = parseConfig(a);
    const core::ImageTrainerOptions& o = c.options;
    io::ImageData d;
    try {
        d = io::loadImageData(c.images, c.size, c.count, o.seed);
    } catch (const core::RuntimeError& e) { // a missing or unreadable data file is bad input too
        throw UsageError(e.what());
    }
    core::ImageTrainer trainer(d.train, o);
    if (!c.json)
        std::cout << "training " << o.method << " on " << c.images << " (" << d.train->size() << " images "
                  << d.train->width << "x" << d.train->height << "): " << core::imageModelName(o.model)
                  << " with " << trainer.model().numParams() << " parameters, batch " << o.batchSize << ", "
                  << c.steps << " steps, seed " << o.seed << ", " << core::threadCount() << " thread(s); "
                  << paramsText(o.params, o.method) << std::endl;
    const TrainResult r = trainLoop(trainer, c);
    const Assessment q = assess(trainer, d, o.seed);
    if (c.samplesOut)
        io::writeImageGrid(*c.samplesOut, q.shown(), d.train->width, d.train->height, 10, 10, 4);
    if (c.save) saveModel(trainer, c, d);
    if (c.json)
        reportJson(c, r, q, d);
    else
        reportText(c, r, q, d);
    return 0;
}

} // namespace ebm::cli
