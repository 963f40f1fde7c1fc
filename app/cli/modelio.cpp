// `eval` and `sample`: read a saved model, write CSV (atomically: temporary file + rename).
#include "args.h"
#include "commands.h"

#include <ebm/core/parallel.h>
#include <ebm/core/sampler.h>
#include <ebm/io/atomicfile.h>
#include <ebm/io/modelfile.h>

#include <charconv>
#include <cmath>
#include <iostream>

namespace ebm::cli {

namespace {
constexpr const char* kEvalHelp =
    R"(usage: ebmlab-cli eval --model FILE --grid N [--box x0,x1,y0,y1] --out energies.csv

(Image models: ebmlab-cli eval --image-model FILE [--json] ...; ebmlab-cli eval --image-model FILE --help
lists the options.)

Writes the model's energy E(x, y) at the CENTRES of an N x N grid of cells over the box (default
-4,4,-4,4) as CSV with the header x,y,energy: N² rows, y-major (all x for the first y, then the next
y), so numpy.loadtxt(f, delimiter=",", skiprows=1).reshape(N, N, 3)[iy, ix] is cell (ix, iy).
Cell (ix, iy) has centre (x0 + (ix + ½)(x1 − x0)/N, y0 + (iy + ½)(y1 − y0)/N), as in the core's metrics.

options:
  --model FILE   a model written by train --save (required)
  --grid N       cells per side, 2..4096 (required)
  --box B        x0,x1,y0,y1 (default -4,4,-4,4)
  --out FILE     the CSV to write (required)
  --threads T    worker threads (default: all cores)
)";

constexpr const char* kSampleHelp =
    R"(usage: ebmlab-cli sample --model FILE --n N --steps K [options] --out samples.csv

Draws N samples from p ∝ exp(−β E) of a saved model: particles start uniformly on the box and take K
MCMC steps. Writes CSV with the header x,y (one row per sample).

options:
  --model FILE      a model written by train --save (required)
  --sampler S       mala (default), ula, hmc or mh
  --n N             number of samples, 1..10000000 (required)
  --steps K         MCMC steps per particle, 0..1000000 (required)
  --beta B          inverse temperature β (default 1)
  --step-size E     ε of ula/mala (x' = x − εβ∇E + √(2ε)ξ) and of hmc's leapfrog; the proposal
                    std for mh (default 0.01 for ula/mala/hmc, 0.1 for mh)
  --leapfrog L      HMC leapfrog steps (default 5)
  --box B           x0,x1,y0,y1 of the uniform start (default -4,4,-4,4)
  --seed S          seed (default 1)
  --threads T       worker threads (default: all cores; the samples depend on seed and thread count)
  --out FILE        the CSV to write (required)
)";

// Points per model call: bounds the memory of a batch (activations are width x points).
constexpr core::Index kChunk = 16384;

io::ModelFile loadModel2D(const std::string& path) {
    io::ModelFile m;
    try {
        m = io::loadModel(path);
    } catch (const core::RuntimeError& e) {
        throw UsageError(e.what()); // unreadable or corrupt input: a usage problem (exit 2)
    }
    if (m.architecture.inputDim != 2)
        throw UsageError("model file '" + path + "' has input dimension " +
                         std::to_string(m.architecture.inputDim) + "; eval and sample need a 2D model");
    return m;
}

// Shortest text that reads back to the same float.
void put(std::ostream& out, float v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.write(buf, r.ptr - buf);
}
} // namespace

int cmdEval(const Tokens& t) {
    for (const std::string& w : t)
        if (w == "--image-model" || w.rfind("--image-model=", 0) == 0) return cmdEvalImages(t);
    Args a("eval", t, {"model", "grid", "box", "out", "threads"}, {});
    if (a.help()) {
        std::cout << kEvalHelp;
        return 0;
    }
    const std::string modelPath = a.required("model");
    const int n = int(a.requiredInteger("grid", 2, 4096));
    const core::Box box = a.box("box", core::Box{});
    const std::string outPath = a.required("out");
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    io::checkWritableLocation(outPath);
    const io::ModelFile mf = loadModel2D(modelPath);
    const core::Mlp<float> mlp = mf.toMlp();

    io::AtomicFile file(outPath);
    std::ostream& out = file.stream();
    out << "x,y,energy\n";
    const double dx = box.width() / n, dy = box.height() / n;
    const core::Index total = core::Index(n) * n;
    float emin = INFINITY, emax = -INFINITY;
    for (core::Index begin = 0; begin < total; begin += kChunk) {
        const core::Index m = std::min(kChunk, total - begin);
        core::Matf X(2, m);
        for (core::Index k = 0; k < m; ++k) {
            const core::Index idx = begin + k; // y-major: idx = iy·n + ix
            X(0, k) = float(box.x0 + (double(idx % n) + 0.5) * dx);
            X(1, k) = float(box.y0 + (double(idx / n) + 0.5) * dy);
        }
        const core::Rowf E = mlp.energy(X);
        for (core::Index k = 0; k < m; ++k) {
            put(out, X(0, k));
            out << ',';
            put(out, X(1, k));
            out << ',';
            put(out, E(k));
            out << '\n';
            emin = std::min(emin, E(k));
            emax = std::max(emax, E(k));
        }
    }
    file.commit();
    std::cout << "wrote " << total << " energies (" << n << " x " << n << " cell centres on [" << box.x0
              << ", " << box.x1 << "] x [" << box.y0 << ", " << box.y1 << "], E in [" << emin << ", " << emax
              << "]) to " << outPath << std::endl;
    return 0;
}

int cmdSample(const Tokens& t) {
    Args a(
        "sample", t,
        {"model", "sampler", "n", "steps", "beta", "step-size", "leapfrog", "box", "seed", "out", "threads"},
        {});
    if (a.help()) {
        std::cout << kSampleHelp;
        return 0;
    }
    const std::string modelPath = a.required("model");
    core::SamplerOptions so;
    so.kind = core::parseSamplerKind(a.choice("sampler", {"mala", "ula", "hmc", "mh"}, "sampler", "mala"));
    const core::Index n = a.requiredInteger("n", 1, 10'000'000);
    const int steps = int(a.requiredInteger("steps", 0, 1'000'000));
    so.beta = float(a.positive("beta", 1e6, 1.0));
    if (so.kind == core::SamplerKind::RandomWalkMH)
        so.mhSigma = float(a.positive("step-size", 1e3, so.mhSigma));
    else
        so.stepSize = float(a.positive("step-size", 1e3, so.stepSize));
    so.leapfrogSteps = int(a.integer("leapfrog", 1, 1000, so.leapfrogSteps));
    const core::Box box = a.box("box", core::Box{});
    const std::uint64_t seed = a.seed("seed", 1);
    const std::string outPath = a.required("out");
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    io::checkWritableLocation(outPath);
    const io::ModelFile mf = loadModel2D(modelPath);
    const core::Mlp<float> mlp = mf.toMlp();
    const auto sampler = core::makeSampler(so);

    io::AtomicFile file(outPath);
    std::ostream& out = file.stream();
    out << "x,y\n";
    core::Rng rng(seed);
    double accepted = 0, proposals = 0;
    core::Index nonFinite = 0;
    // Chunks run one after the other from one generator: the output depends on (seed, threads) only.
    for (core::Index begin = 0; begin < n; begin += kChunk) {
        const core::Index m = std::min(kChunk, n - begin);
        core::ParticleSet p;
        p.x.resize(2, m);
        core::fillUniform(p.x, rng);
        p.x.row(0) = (p.x.row(0).array() * float(box.width()) + float(box.x0)).matrix();
        p.x.row(1) = (p.x.row(1).array() * float(box.height()) + float(box.y0)).matrix();
        if (steps > 0) {
            const core::SamplerStats st = sampler->run(mlp, p, steps, rng);
            accepted += st.acceptRate * double(st.proposals);
            proposals += double(st.proposals);
        }
        for (core::Index k = 0; k < m; ++k) {
            if (!std::isfinite(p.x(0, k)) || !std::isfinite(p.x(1, k))) ++nonFinite;
            put(out, p.x(0, k));
            out << ',';
            put(out, p.x(1, k));
            out << '\n';
        }
    }
    file.commit();
    std::cout << "wrote " << n << " samples (" << core::samplerKindName(so.kind) << ", " << steps
              << " steps, beta " << so.beta;
    if (proposals > 0) std::cout << ", acceptance " << accepted / proposals;
    std::cout << ") to " << outPath << std::endl;
    if (nonFinite > 0)
        std::cerr << "ebmlab-cli: warning: " << nonFinite
                  << " samples are not finite (the sampler diverged; try a smaller --step-size)" << std::endl;
    return 0;
}

} // namespace ebm::cli
