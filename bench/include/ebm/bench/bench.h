#pragma once
/// @file bench.h
/// The training-step benchmark behind `ebmlab-cli bench` (docs/bench.md): times one step of each method
/// at the default options and, in the same run with the same threads, a plain float GEMM of the shapes
/// the step uses, so the result is a ratio (fraction_of_gemm) rather than an absolute time.
#include <ebm/bench/flops.h>

#include <string>
#include <vector>

namespace ebm::bench {

struct BenchOptions {
    int reps = 7;               ///< timed repetitions (the median is reported), >= 1
    int warmupSteps = 3;        ///< untimed steps before calibration, >= 0
    double minRepSeconds = 0.2; ///< each repetition runs enough steps to last at least this long (s)
    std::string target = "eight-gaussians";
    /// The methods to time, in order; empty = every registered objective for 2D models (core::objectives()).
    std::vector<std::string> methods;
    /// Defaults: MLP 2-128-128-1 SiLU, batch 256, chains of 10 ULA steps with a replay buffer; every method's
    /// hyperparameters are trainer.params (the schemas' defaults unless changed, e.g. by `bench --set`).
    core::TrainerOptions trainer;
    /// The methods timed: methods, or every registered 2D objective if it is empty.
    std::vector<std::string> methodList() const;
    void validate() const; ///< throws core::InvalidArgument
};

/// A plain GEMM (rows x inner) · (inner x cols), columns split across threads like the core's batches.
struct GemmResult {
    core::Index rows = 0, inner = 0, cols = 0;
    double gflops = 0; ///< median over the repetitions
};

struct MethodResult {
    std::string method;
    double stepsPerS = 0;    ///< median over repetitions
    double flopsPerStep = 0; ///< flops.h: the passes the method's loss asks for, plus its chains
    double gflops = 0;       ///< flopsPerStep · stepsPerS / 1e9
    double gemmGflops = 0; ///< what plain GEMMs of the step's shapes reach: Σ flops / Σ (flops_i / rate_i)
    double fractionOfGemm = 0; ///< gflops / gemmGflops
    core::Index negatives = 0, noise = 0;
    StepWork work;
};

struct BenchReport {
    int threads = 1;
    core::Index batch = 0;
    std::vector<MethodResult> methods;
    std::vector<GemmResult> gemms; ///< one per distinct width, hidden x hidden times hidden x width
};

/// Median GFLOP/s of C = A·B, A rows x inner, B inner x cols, split across columns with parallelColumns.
GemmResult measureGemm(core::Index rows, core::Index inner, core::Index cols, int reps, double minRepSeconds);

/// Runs the whole benchmark with the current core::threadCount().
BenchReport runBench(const BenchOptions& o);

} // namespace ebm::bench
