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
#include <optional>

namespace ebm::cli {

using Json = nlohmann::ordered_json;

namespace {
constexpr const char* kHelp =
    R"(usage: ebmlab-cli eval --image-model FILE [options]

Measures a saved image model (from train --images ... --save or the window's File > Save image model).

options:
  --images D        digits, fashion-mnist or DIR (default: what the model was trained on, else digits)
  --count N         held-out images to use (default 200)
  --steps K         Langevin steps of the fresh chains and the repairs (default 60)
  --step-size L     Langevin step λ (default 4, CD's; use about 0.01 for score matching and NCE models)
  --noise S         Langevin noise σ (default 0.005)
  --seed S          seed of the chains, noise and erasures (default 1)
  --threads T       worker threads (default: all cores)
  --json            one JSON object instead of text
  --samples-out F   write a 10 x 10 grid of fresh samples as PNG
  --long-run LIST   also follow 100 other chains from uniform noise and measure them after each number
                    of Langevin steps in LIST (increasing, e.g. 20,200,1000,5000): short-run against
                    long-run behaviour
  --long-run-out F  write those chains as PNG: 10 chains (rows) at each of the steps (columns)

Reports: mean energy of held-out data, uniform noise and the other data set (Fashion-MNIST for digits,
digits otherwise) and the share of (held-out, other) pairs in which the held-out image has the lower energy;
k-NN sample quality of 100 chains run from uniform noise (labelled data); inpainting (lower half replaced by
uniform noise, refilled with the upper half clamped) and denoising (Gaussian noise σ = 0.3, all pixels free):
mean |x - original| on the free pixels before and after, beside the trivial repairs: every free pixel
black, or the training images' mean image.
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

struct EvalConfig {
    std::string path, images;
    core::Index count = 200;
    core::ImageLangevinOptions L;
    std::uint64_t seed = 1;
    bool json = false;
    std::optional<std::string> samplesOut;
    std::vector<int> longRun; ///< increasing Langevin step counts at which the long-run chains are measured
    std::optional<std::string> longRunOut;
};

std::vector<int> parseSteps(const std::string& text) {
    return integerList(text, 0, 100000, 12, true,
                       "--long-run takes up to 12 increasing step counts in 0..100000 separated by commas, "
                       "e.g. 20,200,1000");
}

EvalConfig parseConfig(const Args& a) {
    EvalConfig c;
    c.path = a.required("image-model");
    c.count = a.integer("count", 1, 100000, 200);
    c.L.steps = int(a.integer("steps", 0, 100000, core::kImageRepairSteps));
    c.L.stepSize = float(a.positive("step-size", 1e6, c.L.stepSize));
    c.L.noise = float(a.positive("noise", 10.0, c.L.noise));
    c.seed = a.seed("seed", 1);
    c.json = a.flag("json");
    c.samplesOut = a.value("samples-out");
    if (c.samplesOut) io::checkWritableLocation(*c.samplesOut);
    if (const auto lr = a.value("long-run")) c.longRun = parseSteps(*lr);
    c.longRunOut = a.value("long-run-out");
    if (c.longRunOut && c.longRun.empty()) throw UsageError("--long-run-out needs --long-run");
    if (c.longRunOut) io::checkWritableLocation(*c.longRunOut);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    return c;
}

/// Reads the model and the data it is measured on (--images, else the data it was trained on if built
/// in, else the digits); unreadable files are bad input.
std::pair<io::ImageModelFile, io::ImageData> loadModelAndData(const Args& a, EvalConfig& c) {
    io::ImageModelFile mf;
    try {
        mf = io::loadImageModel(c.path);
    } catch (const core::RuntimeError& e) { // missing or unreadable: bad input like a malformed file
        throw UsageError(e.what());
    }
    if (mf.width != mf.height) throw core::InvalidArgument("only square image models can be evaluated");
    c.images = a.value("images").value_or(mf.images == "fashion-mnist" || mf.images == "digits" ? mf.images
                                                                                                : "digits");
    io::ImageData d;
    try {
        d = io::loadImageData(c.images, mf.width, 0, c.seed);
    } catch (const core::RuntimeError& e) {
        throw UsageError(e.what());
    }
    return {std::move(mf), std::move(d)};
}

/// The long-run chains at one of --long-run's step counts.
struct LongRunPoint {
    int steps = 0;
    core::SampleQuality q; ///< k-NN quality (labelled data only)
    double energy = 0;     ///< mean energy of the 100 chains
};

/// Everything eval measures.
struct Measures {
    std::vector<LongRunPoint> longRun;
    core::Matf longRunFrames; ///< chain r at point k in column r · points + k (10 chains)
    core::Index n = 0;
    core::Rowf eHeld, eNoise, eOther;
    std::string otherName; ///< empty when no other data set is available
    core::Matf fresh;
    core::SampleQuality q;
    double inpaintStart = 0, inpaintAfter = 0, denoiseStart = 0, denoiseAfter = 0;
    /// The trivial repairs: every free pixel black, or the training images' mean image.
    double inpaintBlack = 0, inpaintMean = 0, denoiseBlack = 0, denoiseMean = 0;
    double inpaintBestFill() const { return std::min(inpaintBlack, inpaintMean); }
    double denoiseBestFill() const { return std::min(denoiseBlack, denoiseMean); }
};

/// The energies of the other data set (Fashion-MNIST for digits and folders, digits otherwise), if any.
void otherSetEnergies(const core::EnergyModel<float>& model, const EvalConfig& c, int w, Measures& m) {
    try {
        core::ImageSet other;
        if (c.images != "fashion-mnist" && io::fashionMnistAvailable()) {
            other = io::loadFashionMnist(io::kFashionMnistDir, false, w, m.n);
            m.otherName = "fashion-mnist";
        } else if (c.images != "digits") {
            core::DigitOptions o;
            o.size = w;
            o.count = m.n;
            o.seed = c.seed + 1;
            other = core::makeDigits(o);
            m.otherName = "digits";
        }
        if (other.size() > 0) m.eOther = model.energy(other.pixels);
    } catch (const std::exception&) {
        m.otherName.clear(); // the other set is optional
    }
}

/// Inpainting (the lower half free, starting from the noise; the upper half clamped) and denoising
/// (Gaussian noise on every pixel, all free), as mean |error| before and after clamped Langevin.
void repairs(const core::EnergyModel<float>& model, const EvalConfig& c, const core::Matf& held,
             const core::Matf& noise, const core::Vecf& meanImage, int w, core::Rng& rng, Measures& m) {
    const int dim = w * w;
    core::Matf clamp = core::Matf::Ones(dim, m.n);
    clamp.bottomRows(dim - (w / 2) * w).setZero();
    const core::Matf freeMask = (1.0f - clamp.array()).matrix();
    core::Matf start = held.cwiseProduct(clamp) + noise.cwiseProduct(freeMask);
    core::Matf X = start;
    core::imageLangevin(model, X, c.L, c.L.steps, rng, &clamp);
    m.inpaintStart = meanAbsOn(start, held, freeMask);
    m.inpaintAfter = meanAbsOn(X, held, freeMask);
    const core::Matf black = core::Matf::Zero(dim, m.n), mean = meanImage.replicate(1, m.n);
    m.inpaintBlack = meanAbsOn(black, held, freeMask);
    m.inpaintMean = meanAbsOn(mean, held, freeMask);
    core::Matf xi(dim, m.n);
    core::fillNormal(xi, rng);
    core::Matf noisy = (held + 0.3f * xi).cwiseMax(0.0f).cwiseMin(1.0f);
    const core::Matf all = core::Matf::Ones(dim, m.n);
    m.denoiseStart = meanAbsOn(noisy, held, all);
    m.denoiseBlack = meanAbsOn(black, held, all);
    m.denoiseMean = meanAbsOn(mean, held, all);
    core::imageLangevin(model, noisy, c.L, c.L.steps, rng);
    m.denoiseAfter = meanAbsOn(noisy, held, all);
}

/// Short-run against long-run: 100 chains from uniform noise (their own generator, so the other figures do
/// not change), measured at each of --long-run's step counts as they go on.
/// knn: the sample-quality measure, null for unlabelled data.
void longRun(const core::EnergyModel<float>& model, const io::ImageData& d, const core::KnnClassifier* knn,
             const EvalConfig& c, int dim, Measures& m) {
    if (c.longRun.empty()) return;
    core::Rng rng(c.seed ^ 0x6c6f6e6752756eULL);
    core::Matf X(dim, 100);
    core::fillUniform(X, rng);
    const int points = int(c.longRun.size());
    m.longRunFrames.resize(dim, 10 * points);
    int done = 0;
    for (int k = 0; k < points; ++k) {
        core::imageLangevin(model, X, c.L, c.longRun[size_t(k)] - done, rng);
        done = c.longRun[size_t(k)];
        LongRunPoint p;
        p.steps = done;
        if (knn) p.q = core::assessSamples(model, *knn, *d.heldOut, X, c.seed + 7);
        p.energy = model.energy(X).cast<double>().mean();
        m.longRun.push_back(p);
        for (int r = 0; r < 10; ++r)
            m.longRunFrames.col(r * points + k) = X.col(r);
    }
}

Measures measure(const core::EnergyModel<float>& model, const io::ImageData& d, const EvalConfig& c, int w) {
    Measures m;
    const int dim = w * w;
    m.n = std::min<core::Index>(c.count, d.heldOut->size());
    const core::Matf held = d.heldOut->pixels.leftCols(m.n);
    core::Rng rng(c.seed);
    // Energies: held-out data, uniform noise, the other data set.
    core::Matf noise(dim, m.n);
    core::fillUniform(noise, rng);
    m.eHeld = model.energy(held);
    m.eNoise = model.energy(noise);
    otherSetEnergies(model, c, w, m);
    // Fresh chains from uniform noise.
    m.fresh.resize(dim, 100);
    core::fillUniform(m.fresh, rng);
    core::imageLangevin(model, m.fresh, c.L, c.L.steps, rng);
    std::optional<core::KnnClassifier> knn; // the sample-quality measure (labelled data only)
    if (d.labelled) {
        knn.emplace(*d.train, 10);
        m.q = core::assessSamples(model, *knn, *d.heldOut, m.fresh, c.seed + 7);
    }
    repairs(model, c, held, noise, d.train->pixels.rowwise().mean(), w, rng, m);
    longRun(model, d, knn ? &*knn : nullptr, c, dim, m);
    return m;
}

void reportJson(const EvalConfig& c, const Measures& m, bool labelled) {
    Json j;
    j["image_model"] = c.path;
    j["images"] = c.images;
    j["held_out"] = m.n;
    j["langevin_steps"] = c.L.steps;
    j["step_size"] = c.L.stepSize;
    j["energy_held_out"] = m.eHeld.cast<double>().mean();
    j["energy_noise"] = m.eNoise.cast<double>().mean();
    j["held_out_below_noise"] = belowShare(m.eHeld, m.eNoise);
    if (!m.otherName.empty()) {
        j["other"] = m.otherName;
        j["energy_other"] = m.eOther.cast<double>().mean();
        j["held_out_below_other"] = belowShare(m.eHeld, m.eOther);
    }
    if (labelled) {
        j["fresh_confident_fraction"] = m.q.confidentFraction;
        j["fresh_confident_near_fraction"] = m.q.confidentNearFraction;
        j["fresh_distinct_classes"] = m.q.distinctClasses;
    }
    j["inpaint_error_start"] = m.inpaintStart;
    j["inpaint_error_after"] = m.inpaintAfter;
    j["inpaint_error_black"] = m.inpaintBlack;
    j["inpaint_error_mean_image"] = m.inpaintMean;
    j["denoise_error_start"] = m.denoiseStart;
    j["denoise_error_after"] = m.denoiseAfter;
    j["denoise_error_black"] = m.denoiseBlack;
    j["denoise_error_mean_image"] = m.denoiseMean;
    // The repairs help when they end below both the corrupted start and the best trivial fill.
    j["inpaint_beats_trivial"] = m.inpaintAfter < std::min(m.inpaintStart, m.inpaintBestFill());
    j["denoise_beats_trivial"] = m.denoiseAfter < std::min(m.denoiseStart, m.denoiseBestFill());
    if (!m.longRun.empty()) {
        Json lr = Json::array();
        for (const LongRunPoint& p : m.longRun) {
            Json e{{"steps", p.steps}, {"energy", p.energy}};
            if (labelled) {
                e["confident_fraction"] = p.q.confidentFraction;
                e["confident_near_fraction"] = p.q.confidentNearFraction;
                e["distinct_classes"] = p.q.distinctClasses;
            }
            lr.push_back(e);
        }
        j["long_run"] = std::move(lr);
    }
    j["seed"] = c.seed;
    std::cout << j.dump() << std::endl;
}

void reportText(const EvalConfig& c, const Measures& m, const core::EnergyModel<float>& model, int w,
                bool labelled) {
    std::cout << "model " << c.path << " ("
              << core::imageModelName(dynamic_cast<const core::ConvNet<float>*>(&model)
                                          ? core::ImageModelKind::Conv
                                          : core::ImageModelKind::Mlp)
              << ", " << w << "x" << w << ") on " << m.n << " held-out " << c.images << " images\n"
              << "mean energy: held-out " << fmt("%.3f", m.eHeld.mean()) << ", uniform noise "
              << fmt("%.3f", m.eNoise.mean());
    if (!m.otherName.empty()) std::cout << ", " << m.otherName << " " << fmt("%.3f", m.eOther.mean());
    std::cout << "\nheld-out below noise in " << fmt("%.1f", 100 * belowShare(m.eHeld, m.eNoise))
              << "% of pairs";
    if (!m.otherName.empty())
        std::cout << ", below " << m.otherName << " in " << fmt("%.1f", 100 * belowShare(m.eHeld, m.eOther))
                  << "%";
    std::cout << "\n";
    if (labelled)
        std::cout << "fresh chains (" << c.L.steps
                  << " Langevin steps from noise): " << fmt("%.0f", 100 * m.q.confidentFraction)
                  << "% confidently classified, " << m.q.distinctClasses << " distinct classes\n";
    std::cout << "inpainting the lower half: mean |error| " << fmt("%.3f", m.inpaintStart) << " -> "
              << fmt("%.3f", m.inpaintAfter) << " (filling with black: " << fmt("%.3f", m.inpaintBlack)
              << ", with the mean image: " << fmt("%.3f", m.inpaintMean) << ")\n"
              << "denoising (sigma 0.3): mean |error| " << fmt("%.3f", m.denoiseStart) << " -> "
              << fmt("%.3f", m.denoiseAfter) << " (all black: " << fmt("%.3f", m.denoiseBlack)
              << ", the mean image: " << fmt("%.3f", m.denoiseMean) << ")\n";
    for (const LongRunPoint& p : m.longRun) {
        std::cout << "long run, " << p.steps << " Langevin steps from noise: mean energy "
                  << fmt("%.3f", p.energy);
        if (labelled)
            std::cout << ", " << fmt("%.0f", 100 * p.q.confidentFraction) << "% confident, "
                      << fmt("%.0f", 100 * p.q.confidentNearFraction) << "% near, " << p.q.distinctClasses
                      << " classes";
        std::cout << "\n";
    }
    if (c.samplesOut) std::cout << "wrote " << *c.samplesOut << "\n";
    if (c.longRunOut) std::cout << "wrote " << *c.longRunOut << "\n";
}
} // namespace

int cmdEvalImages(const Tokens& t) {
    Args a("eval", t,
           {"image-model", "images", "count", "steps", "step-size", "noise", "seed", "threads", "samples-out",
            "long-run", "long-run-out"},
           {"json"});
    if (a.help()) {
        std::cout << kHelp;
        return 0;
    }
    EvalConfig c = parseConfig(a);
    const auto [mf, d] = loadModelAndData(a, c);
    const int w = mf.width;
    const Measures m = measure(*mf.model, d, c, w);
    if (c.samplesOut) io::writeImageGrid(*c.samplesOut, m.fresh, w, w, 10, 10, 4);
    if (c.longRunOut) io::writeImageGrid(*c.longRunOut, m.longRunFrames, w, w, 10, int(c.longRun.size()), 4);
    if (c.json)
        reportJson(c, m, d.labelled);
    else
        reportText(c, m, *mf.model, w, d.labelled);
    return 0;
}

} // namespace ebm::cli
