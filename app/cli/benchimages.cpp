// `bench --images`: the time of one image training step (default conv net, batch 64, CD with 20 Langevin
// steps and a replay buffer, and the other methods) on 16 x 16 embedded digits, with its FLOP count and
// the rate plain GEMMs of the network's layer shapes reach in the same run (docs/bench.md, "Image step").
#include "args.h"
#include "commands.h"

#include <ebm/bench/imageflops.h>
#include <ebm/core/digits.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace ebm::cli {

namespace {
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// C = A·B for one layer's shape at batch B, columns split across threads like the core's batches.
struct LayerProbe {
    core::Matf A, B, C;
    double flops = 0, weight = 0; // weight: the layer's FLOPs per image (its share of the step's work)
    long iters = 1;
    explicit LayerProbe(const bench::LayerGemm& l, core::Index batch)
        : A(l.rows, l.inner), B(l.inner, l.colsPerImage * batch), C(l.rows, l.colsPerImage * batch),
          flops(l.flopsPerImage * double(batch)), weight(l.flopsPerImage) {
        core::Rng rng(12345);
        core::fillNormal(A, rng);
        core::fillNormal(B, rng);
    }
    void run() {
        core::parallelColumns(B.cols(), 32, [&](int, core::ColumnRange r) {
            C.middleCols(r.begin, r.size()).noalias() = A * B.middleCols(r.begin, r.size());
        });
    }
    double seconds() { // per product, over a block of iters products
        const auto t0 = Clock::now();
        for (long i = 0; i < iters; ++i)
            run();
        return std::chrono::duration<double>(Clock::now() - t0).count() / double(iters);
    }
};
} // namespace

int benchImages(int reps, bool json, const core::MethodParams& params) {
    core::DigitOptions dopt;
    dopt.count = 1000;
    auto data = std::make_shared<core::ImageSet>(core::makeDigits(dopt));
    struct Case {
        core::ImageModelKind model;
        std::string method;
    };
    // The conv net with every registered image method, then the MLP with the first.
    const std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Image);
    std::vector<Case> cases;
    for (const std::string& m : methods)
        cases.push_back({core::ImageModelKind::Conv, m});
    cases.push_back({core::ImageModelKind::Mlp, methods.front()});
    if (!json) {
        std::printf(
            "ebmlab-cli bench --images: 16x16 digits, batch 64, chains of 20 Langevin steps, %d thread(s), "
            "%d reps, median\n",
            core::threadCount(), reps);
        std::printf("kernels: %s\n", core::simdInstructionSet());
        std::printf("%-5s %-14s %10s %10s %12s %10s %9s %9s %9s\n", "model", "method", "ms/step", "steps/s",
                    "params", "GFLOP/stp", "GFLOP/s", "gemm", "fraction");
    }
    for (const Case& c : cases) {
        core::ImageTrainerOptions o;
        o.model = c.model;
        o.method = c.method;
        o.params = params;
        core::ImageTrainer t(data, o);
        for (int i = 0; i < 2; ++i)
            t.step();
        const double flopsPerStep = bench::imageStepWork(t).flops();
        // Reference: each layer's GEMM at the batch width, timed right after each step so that both see
        // the same load; blocks of products of >= 10 ms each.
        std::vector<LayerProbe> probes;
        for (const bench::LayerGemm& l : bench::imageLayerGemms(t.options()))
            probes.emplace_back(l, t.options().batchSize);
        for (LayerProbe& p : probes) {
            const auto t0 = Clock::now();
            p.run();
            const double once = std::max(1e-7, std::chrono::duration<double>(Clock::now() - t0).count());
            p.iters = std::max(1L, long(std::ceil(0.01 / once)));
        }
        std::vector<double> ms, gemm;
        for (int r = 0; r < reps; ++r) {
            const auto t0 = Clock::now();
            t.step();
            ms.push_back(1e3 * std::chrono::duration<double>(Clock::now() - t0).count());
            // Σ FLOPs / Σ (FLOPs_l / rate_l), the layers weighted by their share of the FLOPs.
            double weights = 0, time = 0;
            for (LayerProbe& p : probes) {
                const double rate = p.flops / p.seconds();
                weights += p.weight;
                time += p.weight / rate;
            }
            gemm.push_back(weights / time / 1e9);
        }
        const double med = median(ms);
        const double gflops = flopsPerStep / (med * 1e-3) / 1e9;
        const double gemmGflops = median(gemm);
        if (json) {
            nlohmann::ordered_json j;
            j["images"] = "digits";
            j["model"] = core::imageModelName(c.model);
            j["isa"] = core::simdInstructionSet();
            j["method"] = c.method;
            j["batch"] = o.batchSize;
            j["langevin_steps"] = o.chains.langevin.steps;
            j["ms_per_step"] = med;
            j["steps_per_s"] = 1e3 / med;
            j["params"] = t.model().numParams();
            j["threads"] = core::threadCount();
            j["flops_per_step"] = flopsPerStep;
            j["gflops"] = gflops;
            j["gemm_gflops"] = gemmGflops;
            j["fraction_of_gemm"] = gflops / gemmGflops;
            std::cout << j.dump() << "\n";
        } else {
            std::printf("%-5s %-14s %10.1f %10.2f %12lld %10.3f %9.1f %9.1f %9.2f\n",
                        core::imageModelName(c.model).c_str(), c.method.c_str(), med, 1e3 / med,
                        (long long)t.model().numParams(), flopsPerStep / 1e9, gflops, gemmGflops,
                        gflops / gemmGflops);
        }
    }
    std::cout.flush();
    return 0;
}

} // namespace ebm::cli
