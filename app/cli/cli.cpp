// Dispatch, help and error reporting of ebmlab-cli. Exit codes: 0 success, 1 failure while running
// (e.g. a write error), 2 bad input (unknown command/name, malformed number, missing option, unreadable
// or invalid model file) — always with exactly one line on stderr.
#include "args.h"
#include "commands.h"

#include <ebm/core/density.h>

#include <exception>
#include <iomanip>
#include <iostream>

namespace ebm::cli {

namespace {
constexpr const char* kUsage =
    R"(ebmlab-cli — train and sample 2D and image energy-based models without the window.

usage: ebmlab-cli <command> [options]     (ebmlab-cli <command> --help for its options)

commands:
  train    train a model on a target density, or on images with --images (--json for JSON lines)
  eval     write a saved model's energy on an N x N grid as CSV (x,y,energy); --image-model: measure
           a saved image model (energies, samples, inpainting, denoising)
  sample   draw samples from a saved model with MCMC, as CSV (x,y)
  targets  list the target densities
  methods  list the training methods and their hyperparameters (--json for JSON lines)
  bench    time one training step of each registered method against a plain GEMM (--images: image
           models)
  render   train and write an animation (GIF, MP4, WebM or PNG frames) drawn without a display
  demo     a short training run on eight-gaussians, drawn in the terminal

exit codes: 0 success, 1 failure while running, 2 bad input (one line on stderr)
)";

std::string oneLine(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

int fail(int code, const std::string& msg) {
    std::cout.flush();
    std::cerr << "ebmlab-cli: " << oneLine(msg) << std::endl;
    return code;
}
} // namespace

int cmdTargets(const Tokens& t) {
    Args a("targets", t, {}, {});
    if (a.help()) {
        std::cout << "usage: ebmlab-cli targets\n\nLists the target densities: name, then a description.\n";
        return 0;
    }
    const auto names = core::presetNames();
    size_t w = 0;
    for (const auto& n : names)
        w = std::max(w, n.size());
    for (const auto& n : names)
        std::cout << std::left << std::setw(int(w) + 2) << n << core::presetDescription(n) << "\n";
    return 0;
}

int runCli(int argc, char** argv) {
    Tokens args(argv + 1, argv + argc);
    try {
        if (args.empty())
            throw UsageError(
                "missing command (train, eval, sample, targets, methods, bench, render, demo); try --help");
        const std::string cmd = args.front();
        const Tokens rest(args.begin() + 1, args.end());
        if (cmd == "--help" || cmd == "-h" || cmd == "help") {
            std::cout << kUsage;
            return 0;
        }
        if (cmd == "train") return cmdTrain(rest);
        if (cmd == "eval") return cmdEval(rest);
        if (cmd == "sample") return cmdSample(rest);
        if (cmd == "targets") return cmdTargets(rest);
        if (cmd == "methods") return cmdMethods(rest);
        if (cmd == "bench") return cmdBench(rest);
        if (cmd == "demo") return cmdDemo(rest);
        if (cmd == "render") return cmdRender(rest);
        throw UsageError("unknown command \"" + cmd +
                         "\" (valid: train, eval, sample, targets, methods, bench, render, demo)");
    } catch (const UsageError& e) {
        return fail(2, e.what());
    } catch (const core::InvalidArgument& e) {
        return fail(2, e.what());
    } catch (const std::exception& e) {
        return fail(1, e.what());
    } catch (...) {
        return fail(1, "unexpected error");
    }
}

} // namespace ebm::cli
