#include <ebm/bench/bench.h>

#include <ebm/core/parallel.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

namespace ebm::bench {

using core::Index;
using Clock = std::chrono::steady_clock;

namespace {
// The core's batch split (mlp.cpp): chunks of at least 32 columns, one per thread.
constexpr Index kMinChunk = 32;

double seconds(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Runs fn `iters` times per repetition, with `iters` chosen so a repetition lasts >= minRepSeconds;
// returns the median seconds per call.
template <typename Fn> double timePerCall(Fn&& fn, int reps, double minRepSeconds) {
    auto t0 = Clock::now();
    fn();
    const double once = std::max(1e-7, seconds(t0, Clock::now()));
    const long iters = std::max(1L, long(std::ceil(minRepSeconds / once)));
    std::vector<double> per;
    per.reserve(size_t(reps));
    for (int r = 0; r < reps; ++r) {
        t0 = Clock::now();
        for (long i = 0; i < iters; ++i)
            fn();
        per.push_back(seconds(t0, Clock::now()) / double(iters));
    }
    return median(per);
}
} // namespace

void BenchOptions::validate() const {
    if (reps < 1 || reps > 1000)
        throw core::InvalidArgument("bench: reps must be in 1..1000, got " + std::to_string(reps));
    if (warmupSteps < 0) throw core::InvalidArgument("bench: warm-up steps must be >= 0");
    if (!(minRepSeconds > 0) || !std::isfinite(minRepSeconds))
        throw core::InvalidArgument("bench: the minimum repetition time must be > 0 s");
    for (const std::string& m : methods)
        if (!core::objective(m).info().supports(core::ModelKind::Plane))
            throw core::InvalidArgument("bench: method " + m + " does not train 2D models");
    if (methodList().empty()) throw core::InvalidArgument("bench: no methods to time");
    trainer.validate();
}

std::vector<std::string> BenchOptions::methodList() const {
    return methods.empty() ? core::objectiveNames(core::ModelKind::Plane) : methods;
}

namespace {
// C = A·B with the columns split across threads exactly like the core's batch operations.
struct GemmProbe {
    core::Matf A, B, C;
    GemmProbe(Index rows, Index inner, Index cols) : A(rows, inner), B(inner, cols), C(rows, cols) {
        core::Rng rng(12345);
        core::fillNormal(A, rng);
        core::fillNormal(B, rng);
    }
    void operator()() {
        core::parallelColumns(B.cols(), kMinChunk, [&](int, core::ColumnRange r) {
            C.middleCols(r.begin, r.size()).noalias() = A * B.middleCols(r.begin, r.size());
        });
    }
    double flops() const { return 2.0 * double(A.rows()) * double(A.cols()) * double(B.cols()); }
};

template <typename Fn> long calibrate(Fn&& fn, double seconds) {
    const auto t0 = Clock::now();
    fn();
    const double once = std::max(1e-7, std::chrono::duration<double>(Clock::now() - t0).count());
    return std::max(1L, long(std::ceil(seconds / once)));
}

template <typename Fn> double timeBlock(Fn&& fn, long iters) {
    const auto t0 = Clock::now();
    for (long i = 0; i < iters; ++i)
        fn();
    return std::chrono::duration<double>(Clock::now() - t0).count() / double(iters);
}
} // namespace

GemmResult measureGemm(Index rows, Index inner, Index cols, int reps, double minRepSeconds) {
    GemmProbe probe(rows, inner, cols);
    const double t = timePerCall(probe, reps, minRepSeconds);
    return GemmResult{rows, inner, cols, probe.flops() / t / 1e9};
}

BenchReport runBench(const BenchOptions& o) {
    o.validate();
    BenchReport rep;
    rep.threads = core::threadCount();
    rep.batch = o.trainer.batchSize;
    std::shared_ptr<const core::TargetDensity> target = core::makePreset(o.target);
    const Index hidden = *std::max_element(o.trainer.model.hidden.begin(), o.trainer.model.hidden.end());
    std::map<Index, std::vector<double>> allRates; // per width, every repetition of every method

    for (const std::string& m : o.methodList()) {
        core::TrainerOptions to = o.trainer;
        to.method = m;
        core::Trainer trainer(target, to);
        for (int i = 0; i < std::max(1, o.warmupSteps); ++i)
            trainer.step();
        MethodResult r;
        r.method = m;
        r.work = stepWork(trainer, &r.negatives, &r.noise);
        r.flopsPerStep = r.work.flops();

        // The reference GEMMs (hidden x hidden times hidden x width, the products that dominate the
        // count) are timed in between the step repetitions, so both see the same machine load.
        std::map<Index, GemmProbe> probes;
        for (const auto& p : r.work.parts)
            probes.try_emplace(p.width, hidden, hidden, p.width);
        if (!probes.count(rep.batch)) probes.try_emplace(rep.batch, hidden, hidden, rep.batch);
        const long stepIters = calibrate([&] { trainer.step(); }, o.minRepSeconds);
        std::map<Index, long> gemmIters;
        for (auto& [w, probe] : probes)
            gemmIters[w] = calibrate(probe, o.minRepSeconds / 2);
        std::vector<double> perStep;
        std::map<Index, std::vector<double>> rates;
        for (int rep_ = 0; rep_ < o.reps; ++rep_) {
            perStep.push_back(timeBlock([&] { trainer.step(); }, stepIters));
            for (auto& [w, probe] : probes)
                rates[w].push_back(probe.flops() / timeBlock(probe, gemmIters[w]) / 1e9);
        }
        r.stepsPerS = 1.0 / median(perStep);
        r.gflops = r.flopsPerStep * r.stepsPerS / 1e9;
        double t = 0;
        for (const auto& p : r.work.parts)
            t += p.flops / (median(rates[p.width]) * 1e9);
        r.gemmGflops = r.flopsPerStep / t / 1e9;
        r.fractionOfGemm = r.gflops / r.gemmGflops;
        for (auto& [w, v] : rates)
            allRates[w].insert(allRates[w].end(), v.begin(), v.end());
        rep.methods.push_back(std::move(r));
    }
    for (const auto& [w, v] : allRates)
        rep.gemms.push_back(GemmResult{hidden, hidden, w, median(v)});
    return rep;
}

} // namespace ebm::bench
