// `eval --image-model`: reads a saved image model (train --images ... --save, or the window's File ▸ Save
// image model) and measures what the window's demos show: the energy of held-out data against uniform
// noise and another data set, samples from fresh Langevin chains, and repairs by clamped Langevin
// (the lower half erased and refilled; Gaussian noise removed).
#include "args.h"
#include "commands.h"

#include <ebm/core/digits.h>
#include <ebm/core/imagequality.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>
#include <ebm/io/atomicfile.h>
#include <ebm/io/idx.h>
#include <ebm/io/imagedata.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/png.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace ebm::cli {

using Json = nlohmann::ordered_json;

namespace {
constexpr const char* kHelp =
    R"(usage: ebmlab-cli eval --image-model FILE [options]

Measures a saved image model (from train --images ... --save or the window's File > Save image model).

options:
  --images D        digits, fashion-mnist or DIR (default: what the model was trained on, else digits)
  --count N         held-out images to use (default 200)
  --steps K         Langevin steps of the fresh chains and the repairs (default 200)
  --step-size L     Langevin step λ (default 1, CD's; use about 0.01 for score matching and NCE models)
  --noise S         Langevin noise σ (default 0.005)
  --seed S          seed of the chains, noise and erasures (default 1)
  --threads T       worker threads (default: all cores)
  --json            one JSON object instead of text
  --samples-out F   write a 10 x 10 grid of fresh samples as PNG

Reports: mean energy of held-out data, uniform noise and the other data set (Fashion-MNIST for digits,
digits otherwise) and the share of (held-out, other) pairs in which the held-out image has the lower energy;
k-NN sample quality of 100 chains run from uniform noise (labelled data); inpainting (lower half replaced by
uniform noise, refilled with the upper half clamped) and denoising (Gaussian noise σ = 0.3, all pixels free):
mean |x - original| on the free pixels before and after, beside filling the erased half with black.
)";

// Share of pairs (a in A, b in B) with E(a) < E(b): the probability that the model ranks a random image of A
// below one of B (1 = perfect separation, 0.5 = chance).
double belowShare(const core::Rowf& a, const core::Rowf& b) {
    if (a.size() == 0 || b.size() == 0) return NAN;
    double below = 0;
    for (Eigen::Index i = 0; i < a.size(); ++i)
        for (Eigen::Index j = 0; j < b.size(); ++j)
            below += a(i) < b(j) ? 1.0 : a(i) == b(j) ? 0.5 : 0.0;
    return below / (double(a.size()) * double(b.size()));
}

double meanAbsOn(const core::Matf& x, const core::Matf& ref, const core::Matf& free) {
    const double n = free.sum();
    return n > 0 ? double(((x - ref).cwiseAbs().cwiseProduct(free)).sum()) / n : NAN;
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}
} // namespace

int cmdEvalImages(const Tokens& t) {
    Args a(
        "eval", t,
        {"image-model", "images", "count", "steps", "step-size", "noise", "seed", "threads", "samples-out"},
        {"json"});
    if (a.help()) {
        std::cout << kHelp;
        return 0;
    }
    const std::string path = a.required("image-model");
    const core::Index count = a.integer("count", 1, 100000, 200);
    core::ImageLangevinOptions L;
    L.steps = int(a.integer("steps", 0, 100000, 200));
    L.stepSize = float(a.positive("step-size", 1e6, L.stepSize));
    L.noise = float(a.positive("noise", 10.0, L.noise));
    const std::uint64_t seed = a.seed("seed", 1);
    const bool json = a.flag("json");
    const auto samplesOut = a.value("samples-out");
    if (samplesOut) io::checkWritableLocation(*samplesOut);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));

    io::ImageModelFile mf;
    try {
        mf = io::loadImageModel(path);
    } catch (const core::RuntimeError& e) { // missing or unreadable: bad input like a malformed file
        throw UsageError(e.what());
    }
    if (mf.width != mf.height) throw core::InvalidArgument("only square image models can be evaluated");
    const std::string images = a.value("images").value_or(
        mf.images == "fashion-mnist" || mf.images == "digits" ? mf.images : "digits");
    io::ImageData d;
    try {
        d = io::loadImageData(images, mf.width, 0, seed);
    } catch (const core::RuntimeError& e) {
        throw UsageError(e.what());
    }
    const core::EnergyModel<float>& model = *mf.model;
    const int w = mf.width, dim = w * w;
    const core::Index n = std::min<core::Index>(count, d.heldOut->size());
    const core::Matf held = d.heldOut->pixels.leftCols(n);
    core::Rng rng(seed);

    // Energies: held-out data, uniform noise, the other data set.
    core::Matf noise(dim, n);
    core::fillUniform(noise, rng);
    const core::Rowf eHeld = model.energy(held), eNoise = model.energy(noise);
    std::string otherName;
    core::Rowf eOther;
    try {
        core::ImageSet other;
        if (images != "fashion-mnist" && io::fashionMnistAvailable()) {
            other = io::loadFashionMnist(io::kFashionMnistDir, false, w, n);
            otherName = "fashion-mnist";
        } else if (images != "digits") {
            core::DigitOptions o;
            o.size = w;
            o.count = n;
            o.seed = seed + 1;
            other = core::makeDigits(o);
            otherName = "digits";
        }
        if (other.size() > 0) eOther = model.energy(other.pixels);
    } catch (const std::exception&) {
        otherName.clear(); // the other set is optional
    }

    // Fresh chains from uniform noise.
    core::Matf fresh(dim, 100);
    core::fillUniform(fresh, rng);
    core::imageLangevin(model, fresh, L, L.steps, rng);
    core::SampleQuality q;
    if (d.labelled) {
        const core::KnnClassifier knn(*d.train, 10);
        q = core::assessSamples(model, knn, *d.heldOut, fresh, seed + 7);
    }
    if (samplesOut) io::writeImageGrid(*samplesOut, fresh, w, w, 10, 10, 4);

    // Inpainting: the lower half is free and starts from uniform noise, the upper half is clamped.
    core::Matf clamp = core::Matf::Ones(dim, n);
    clamp.bottomRows(dim - (w / 2) * w).setZero();
    const core::Matf freeMask = (1.0f - clamp.array()).matrix();
    core::Matf start = held.cwiseProduct(clamp) + noise.cwiseProduct(freeMask);
    core::Matf X = start;
    core::imageLangevin(model, X, L, L.steps, rng, &clamp);
    const double inpaintStart = meanAbsOn(start, held, freeMask), inpaintAfter = meanAbsOn(X, held, freeMask);
    const double inpaintBlack = meanAbsOn(core::Matf::Zero(dim, n), held, freeMask);
    // Denoising: Gaussian noise on every pixel, all pixels free.
    core::Matf xi(dim, n);
    core::fillNormal(xi, rng);
    core::Matf noisy = (held + 0.3f * xi).cwiseMax(0.0f).cwiseMin(1.0f);
    const core::Matf all = core::Matf::Ones(dim, n);
    const double denoiseStart = meanAbsOn(noisy, held, all);
    core::imageLangevin(model, noisy, L, L.steps, rng);
    const double denoiseAfter = meanAbsOn(noisy, held, all);

    if (json) {
        Json j;
        j["image_model"] = path;
        j["images"] = images;
        j["held_out"] = n;
        j["langevin_steps"] = L.steps;
        j["step_size"] = L.stepSize;
        j["energy_held_out"] = eHeld.cast<double>().mean();
        j["energy_noise"] = eNoise.cast<double>().mean();
        j["held_out_below_noise"] = belowShare(eHeld, eNoise);
        if (!otherName.empty()) {
            j["other"] = otherName;
            j["energy_other"] = eOther.cast<double>().mean();
            j["held_out_below_other"] = belowShare(eHeld, eOther);
        }
        if (d.labelled) {
            j["fresh_confident_fraction"] = q.confidentFraction;
            j["fresh_confident_near_fraction"] = q.confidentNearFraction;
            j["fresh_distinct_classes"] = q.distinctClasses;
        }
        j["inpaint_error_start"] = inpaintStart;
        j["inpaint_error_after"] = inpaintAfter;
        j["inpaint_error_black"] = inpaintBlack;
        j["denoise_error_start"] = denoiseStart;
        j["denoise_error_after"] = denoiseAfter;
        j["seed"] = seed;
        std::cout << j.dump() << std::endl;
        return 0;
    }
    std::cout << "model " << path << " ("
              << core::imageModelName(dynamic_cast<const core::ConvNet<float>*>(&model)
                                          ? core::ImageModelKind::Conv
                                          : core::ImageModelKind::Mlp)
              << ", " << w << "x" << w << ") on " << n << " held-out " << images << " images\n"
              << "mean energy: held-out " << fmt("%.3f", eHeld.mean()) << ", uniform noise "
              << fmt("%.3f", eNoise.mean());
    if (!otherName.empty()) std::cout << ", " << otherName << " " << fmt("%.3f", eOther.mean());
    std::cout << "\nheld-out below noise in " << fmt("%.1f", 100 * belowShare(eHeld, eNoise)) << "% of pairs";
    if (!otherName.empty())
        std::cout << ", below " << otherName << " in " << fmt("%.1f", 100 * belowShare(eHeld, eOther)) << "%";
    std::cout << "\n";
    if (d.labelled)
        std::cout << "fresh chains (" << L.steps
                  << " Langevin steps from noise): " << fmt("%.0f", 100 * q.confidentFraction)
                  << "% confidently classified, " << q.distinctClasses << " distinct classes\n";
    std::cout << "inpainting the lower half: mean |error| " << fmt("%.3f", inpaintStart) << " -> "
              << fmt("%.3f", inpaintAfter) << " (filling with black: " << fmt("%.3f", inpaintBlack) << ")\n"
              << "denoising (sigma 0.3): mean |error| " << fmt("%.3f", denoiseStart) << " -> "
              << fmt("%.3f", denoiseAfter) << "\n";
    if (samplesOut) std::cout << "wrote " << *samplesOut << "\n";
    return 0;
}

} // namespace ebm::cli
