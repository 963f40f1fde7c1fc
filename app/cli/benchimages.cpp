// `bench --images`: the time of one image training step (default conv net, batch 64, CD with 20 Langevin
// steps and a replay buffer, and the other methods) on 16 x 16 embedded digits.
#include "args.h"
#include "commands.h"

#include <ebm/core/digits.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/parallel.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace ebm::cli {

int benchImages(int reps, bool json, const core::MethodParams& params) {
    using Clock = std::chrono::steady_clock;
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
        std::printf("%-5s %-14s %10s %10s %12s\n", "model", "method", "ms/step", "steps/s", "params");
    }
    for (const Case& c : cases) {
        core::ImageTrainerOptions o;
        o.model = c.model;
        o.method = c.method;
        o.params = params;
        core::ImageTrainer t(data, o);
        for (int i = 0; i < 2; ++i)
            t.step();
        std::vector<double> ms;
        for (int r = 0; r < reps; ++r) {
            const auto t0 = Clock::now();
            t.step();
            ms.push_back(1e3 * std::chrono::duration<double>(Clock::now() - t0).count());
        }
        std::sort(ms.begin(), ms.end());
        const double med = ms[ms.size() / 2];
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
            std::cout << j.dump() << "\n";
        } else {
            std::printf("%-5s %-14s %10.1f %10.2f %12lld\n", core::imageModelName(c.model).c_str(),
                        c.method.c_str(), med, 1e3 / med, (long long)t.model().numParams());
        }
    }
    std::cout.flush();
    return 0;
}

} // namespace ebm::cli
