// `train --images`: trains an image energy (conv net or MLP) on embedded digits, Fashion-MNIST or a
// folder of PNGs, then reports sample quality (imagequality.h) of the replay buffer's chains.
#include "args.h"
#include "commands.h"
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

using core::Method;
using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr const char* kHelp =
    R"(usage: ebmlab-cli train --images digits|fashion-mnist|DIR --method cd|ssm|dsm|nce [options]

Trains an image energy on small grey-scale images and reports the quality of its samples.

data (--images):
  digits           6000 embedded digits 0-9 drawn from stroke skeletons (seeded; no files needed)
  fashion-mnist    Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
  DIR              a folder of PNG files (subfolders = classes), grey-scaled and resized

options:
  --model M          conv (default: 3 conv layers 16-32-32 channels, 3x3, SiLU) or mlp (256-256)
  --method M         cd (Langevin + replay buffer), ssm, dsm or nce (required)
  --steps N          training steps (default 1000)
  --seed S           seed of everything random (default 1)
  --size P           image size P x P (default 16; digits 8..64, others 4..64)
  --count N          images to use (default: digits 6000, fashion-mnist 10000, DIR all)
  --batch B          data images per step (default 64)
  --lr X             Adam learning rate (default 1e-3)
  --langevin-steps K CD: Langevin steps per training step (default 20)
  --step-size L      CD: Langevin gradient step λ (default 1)
  --noise S          CD: Langevin noise σ (default 0.005)
  --alpha A          CD: energy regulariser α (default 0.1)
  --buffer N         CD: replay buffer size in images (default 10000)
  --threads T        worker threads (default: all cores)
  --json             one JSON object per step, then a last line with steps_per_s and the sample quality
  --samples-out F    write a 10 x 10 grid of samples as PNG
  --save FILE        write the model's parameters (JSON: architecture, method, params)

Samples: the replay buffer's chains for cd; for the other methods (and cd as well) 100 chains started from
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

} // namespace

int cmdTrainImages(const Tokens& t) {
    Args a("train", t,
           {"images", "model", "method", "steps", "seed", "size", "count", "batch", "lr", "langevin-steps",
            "step-size", "noise", "alpha", "buffer", "threads", "samples-out", "save"},
           {"json"});
    if (a.help()) {
        std::cout << kHelp;
        return 0;
    }
    Config c;
    c.images = a.required("images");
    core::ImageTrainerOptions& o = c.options;
    o.model = core::parseImageModel(a.choice("model", {"conv", "mlp"}, "model", "conv"));
    o.method = core::parseMethod(a.choice("method", {"cd", "ssm", "dsm", "nce"}, "method", std::nullopt));
    c.steps = a.integer("steps", 1, 100'000'000, 1000);
    o.seed = a.seed("seed", 1);
    c.size = int(a.integer("size", 4, 64, 16));
    c.count = a.integer("count", 1, 1'000'000, 0);
    o.batchSize = a.integer("batch", 1, 4096, o.batchSize);
    o.optimizer.learningRate = float(a.positive("lr", 1.0, o.optimizer.learningRate));
    o.cd.langevin.steps = int(a.integer("langevin-steps", 0, 10000, o.cd.langevin.steps));
    o.cd.langevin.stepSize = float(a.positive("step-size", 1e6, o.cd.langevin.stepSize));
    o.cd.langevin.noise = float(a.positive("noise", 10.0, o.cd.langevin.noise));
    o.cd.energyReg = float(a.positive("alpha", 1e6, o.cd.energyReg));
    o.cd.bufferSize = int(a.integer("buffer", 1, 1'000'000, o.cd.bufferSize));
    c.json = a.flag("json");
    c.samplesOut = a.value("samples-out");
    c.save = a.value("save");
    if (c.samplesOut) io::checkWritableLocation(*c.samplesOut);
    if (c.save) io::checkWritableLocation(*c.save);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));

    io::ImageData d;
    try {
        d = io::loadImageData(c.images, c.size, c.count, o.seed);
    } catch (const core::RuntimeError& e) { // a missing or unreadable data file is bad input too
        throw UsageError(e.what());
    }
    core::ImageTrainer trainer(d.train, o);
    if (!c.json)
        std::cout << "training " << core::methodName(o.method) << " on " << c.images << " ("
                  << d.train->size() << " images " << d.train->width << "x" << d.train->height
                  << "): " << core::imageModelName(o.model) << " with " << trainer.model().numParams()
                  << " parameters, batch " << o.batchSize << ", " << c.steps << " steps, seed " << o.seed
                  << ", " << core::threadCount() << " thread(s)" << std::endl;

    double seconds = 0;
    std::int64_t diverged = 0;
    double lastLoss = NAN;
    for (std::int64_t s = 1; s <= c.steps; ++s) {
        const auto t0 = Clock::now();
        const core::StepStats st = trainer.step();
        seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        lastLoss = st.loss;
        if (st.diverged) ++diverged;
        if (c.json) {
            Json j;
            j["step"] = s;
            j["loss"] = st.loss;
            j["grad_norm"] = st.gradNorm;
            if (st.diverged) j["diverged"] = true;
            std::cout << j.dump() << "\n";
        } else if (st.diverged) {
            std::cout << "step " << s << ": " << st.message << std::endl;
        } else if (s % std::max<std::int64_t>(1, c.steps / 10) == 0 || s == c.steps) {
            std::cout << "step " << s << "/" << c.steps << "  loss " << fmt("%.4f", st.loss) << "  |grad| "
                      << fmt("%.3g", st.gradNorm) << "  " << fmt("%.2f", double(s) / seconds) << " steps/s"
                      << std::endl;
        }
    }
    const double stepsPerS = seconds > 0 ? double(c.steps) / seconds : 0.0;

    // Samples: 100 chains from the replay buffer (CD) and 100 fresh chains from uniform noise.
    const core::Index n = 100;
    core::Rng sampleRng(o.seed ^ 0x5DEECE66Dull);
    core::Matf fresh(d.train->dim(), n);
    core::fillUniform(fresh, sampleRng);
    trainer.langevin(fresh, 200, sampleRng);
    core::Matf chains = trainer.buffer().leftCols(std::min<core::Index>(n, trainer.buffer().cols()));
    const bool cd = o.method == Method::ContrastiveDivergence;
    const core::Matf& shown = cd ? chains : fresh;
    core::SampleQuality qChains, qFresh;
    if (d.labelled) {
        const core::KnnClassifier knn(*d.train, 10);
        if (cd) qChains = core::assessSamples(trainer.model(), knn, *d.heldOut, chains, o.seed + 7);
        qFresh = core::assessSamples(trainer.model(), knn, *d.heldOut, fresh, o.seed + 7);
    } else {
        qFresh.meanEnergySamples = trainer.model().energy(fresh).cast<double>().mean();
    }
    core::Rng noiseRng(o.seed + 7);
    core::Matf noise(d.train->dim(), d.heldOut->size());
    core::fillUniform(noise, noiseRng);
    const double eHeld = trainer.model().energy(d.heldOut->pixels).cast<double>().mean();
    const double eNoise = trainer.model().energy(noise).cast<double>().mean();
    if (c.samplesOut) io::writeImageGrid(*c.samplesOut, shown, d.train->width, d.train->height, 10, 10, 4);
    if (c.save) {
        io::ImageModelFile mf;
        mf.model = trainer.model().clone();
        mf.width = d.train->width;
        mf.height = d.train->height;
        mf.images = c.images;
        mf.method = core::methodName(o.method);
        mf.steps = trainer.stepCount();
        io::saveImageModel(mf, *c.save);
    }

    if (c.json) {
        Json j;
        j["final"] = true;
        j["images"] = c.images;
        j["model"] = core::imageModelName(o.model);
        j["method"] = core::methodName(o.method);
        j["steps"] = c.steps;
        j["loss"] = lastLoss;
        j["steps_per_s"] = stepsPerS;
        j["seconds"] = seconds;
        j["diverged_steps"] = diverged;
        j["energy_held_out"] = eHeld;
        j["energy_noise"] = eNoise;
        const core::SampleQuality& main = cd ? qChains : qFresh;
        if (d.labelled) {
            j["confident_fraction"] = main.confidentFraction;
            j["confident_near_fraction"] = main.confidentNearFraction;
            j["distinct_classes"] = main.distinctClasses;
            j["class_counts"] = main.classCounts;
        }
        j["samples"] = cd ? "replay buffer" : "fresh Langevin chains";
        addQuality(j, "fresh_", qFresh, d);
        j["threads"] = core::threadCount();
        j["seed"] = o.seed;
        if (c.samplesOut) j["samples_out"] = *c.samplesOut;
        if (c.save) j["saved"] = *c.save;
        std::cout << j.dump() << std::endl;
    } else {
        std::cout << "done: " << c.steps << " steps in " << fmt("%.1f", seconds) << " s ("
                  << fmt("%.2f", stepsPerS) << " steps/s)\nmean energy: held-out data " << fmt("%.3f", eHeld)
                  << ", uniform noise " << fmt("%.3f", eNoise) << "\n";
        auto line = [&](const char* what, const core::SampleQuality& q) {
            std::cout << what << ": " << fmt("%.0f", 100 * q.confidentFraction)
                      << "% confidently classified, " << q.distinctClasses << " distinct classes among "
                      << q.samples << ", mean energy " << fmt("%.3f", q.meanEnergySamples) << "\n";
        };
        if (d.labelled) {
            if (cd) line("replay-buffer chains", qChains);
            line("fresh chains (200 Langevin steps from noise)", qFresh);
        }
        if (c.samplesOut) std::cout << "wrote " << *c.samplesOut << "\n";
        if (c.save) std::cout << "saved the model to " << *c.save << "\n";
        std::cout.flush();
    }
    return 0;
}

} // namespace ebm::cli
