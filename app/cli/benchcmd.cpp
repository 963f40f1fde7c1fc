// `bench`: prints the ebm::bench report (docs/bench.md), as a table or one JSON line per method.
#include "args.h"
#include "commands.h"
#include "methodargs.h"

#include <ebm/bench/bench.h>
#include <ebm/core/parallel.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace ebm::cli {

namespace {
constexpr const char* kBenchHelp =
    R"(usage: ebmlab-cli bench [--json] [--reps R] [--threads T] [--min-time S] [--set K=V]
                         [--method M] [--chain-steps K]

Times one training step of each registered method (ebmlab-cli methods) at the defaults (MLP
2-128-128-1 SiLU, batch 256, MCMC negatives from 10 Langevin steps with a replay buffer) on
eight-gaussians: warm-up, then R repetitions of at least S seconds each; the median is reported.
GFLOP/s comes from a count of the step's matrix products (the passes the method's loss asks the
model for, plus its chains; docs/bench.md); gemm_gflops is what a plain float GEMM of the same shapes
reaches in the same run with the same threads; fraction_of_gemm = gflops / gemm_gflops.

options:
  --json         one JSON object per method: method, steps_per_s, gflops, gemm_gflops,
                 fraction_of_gemm (plus threads, flops_per_step)
  --reps R       timed repetitions, 1..1000 (default 5)
  --threads T    worker threads (default: all cores)
  --min-time S   seconds per repetition (default 0.2)
  --set K=V      a hyperparameter: METHOD.KEY=VALUE for one method, KEY=VALUE for every method that
                 has the key (repeatable; keys, defaults and ranges: ebmlab-cli methods)
  --method M     time only method M (repeatable, in the order given; default: every 2D method)
  --chain-steps K  Langevin steps per training step of the MCMC negatives, 1..1000 (default 10)
  --images       instead: one image training step (16x16 digits, batch 64, chains of 20 Langevin
                 steps): the default conv net with every registered image method, then the MLP with
                 the first; median of R single steps
)";
} // namespace

int cmdBench(const Tokens& t) {
    Args a("bench", t, {"reps", "threads", "min-time", "chain-steps"}, {"json", "images"}, {"set", "method"});
    if (a.help()) {
        std::cout << kBenchHelp;
        return 0;
    }
    bench::BenchOptions o;
    o.reps = int(a.integer("reps", 1, 1000, 5));
    o.minRepSeconds = a.positive("min-time", 60.0, 0.2);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    const bool json = a.flag("json");
    if (a.flag("images")) {
        core::MethodParams params(core::ModelKind::Image);
        applySetsToAll(a, params);
        return benchImages(int(a.integer("reps", 1, 1000, 5)), json, params);
    }
    applySetsToAll(a, o.trainer.params);
    o.trainer.chains.steps = int(a.integer("chain-steps", 1, 1000, o.trainer.chains.steps));
    const std::vector<std::string> planeMethods = core::objectiveNames(core::ModelKind::Plane);
    for (const std::string& m : a.values("method")) {
        if (std::find(planeMethods.begin(), planeMethods.end(), m) == planeMethods.end())
            throw UsageError("--method: no 2D method \"" + m + "\" (use " + joinNames(planeMethods) + ")");
        o.methods.push_back(m);
    }
    if (!json)
        std::cout << "ebmlab-cli bench: " << o.target << ", MLP 2-128-128-1 silu, batch "
                  << o.trainer.batchSize << ", chains of " << o.trainer.chains.steps << " Langevin steps, "
                  << core::threadCount() << " thread(s), " << o.reps << " reps, median" << std::endl
                  << "kernels: " << core::simdInstructionSet() << std::endl;
    const bench::BenchReport r = bench::runBench(o);
    if (json) {
        for (const auto& m : r.methods) {
            nlohmann::ordered_json j;
            j["method"] = m.method;
            j["steps_per_s"] = m.stepsPerS;
            j["gflops"] = m.gflops;
            j["gemm_gflops"] = m.gemmGflops;
            j["fraction_of_gemm"] = m.fractionOfGemm;
            j["threads"] = r.threads;
            j["chain_steps"] = o.trainer.chains.steps;
            j["flops_per_step"] = m.flopsPerStep;
            j["isa"] = core::simdInstructionSet();
            j["params"] = paramsJson(o.trainer.params, m.method);
            std::cout << j.dump() << "\n";
        }
        std::cout.flush();
        return 0;
    }
    std::printf("threads: %d\n", r.threads);
    std::printf("%-14s %10s %9s %11s %9s %13s %9s\n", "method", "steps/s", "ms/step", "GFLOP/step", "GFLOP/s",
                "GEMM GFLOP/s", "fraction");
    for (const auto& m : r.methods)
        std::printf("%-14s %10.1f %9.3f %11.4f %9.2f %13.2f %9.3f\n", m.method.c_str(), m.stepsPerS,
                    1e3 / m.stepsPerS, m.flopsPerStep / 1e9, m.gflops, m.gemmGflops, m.fractionOfGemm);
    std::printf("reference GEMMs (float, columns split across %d thread(s) like the core):\n", r.threads);
    for (const auto& g : r.gemms)
        std::printf("  %lld x %lld times %lld x %lld: %.2f GFLOP/s\n", (long long)g.rows, (long long)g.inner,
                    (long long)g.inner, (long long)g.cols, g.gflops);
    std::fflush(stdout);
    return 0;
}

} // namespace ebm::cli
