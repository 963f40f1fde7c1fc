#pragma once
// Shared by the export tests: a small trainer on eight gaussians and a short scripted run of it.
#include <ebm/core/density.h>
#include <ebm/core/trainer.h>
#include <ebm/exporter/scriptedrun.h>
#include <memory>

namespace ebm::test {

/// A 2-32-32-1 MLP on eight gaussians, batch 128, with method m.
inline core::Trainer smallTrainer(const std::string& m) {
    auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("eight-gaussians"));
    core::TrainerOptions o;
    o.method = m;
    o.model.hidden = {32, 32};
    o.batchSize = 128;
    o.box = target->suggestedBox();
    return core::Trainer(target, o);
}

/// `steps` steps, a frame every 5, w x h frames of [-4, 4]², 300 particles.
inline exporter::ScriptedRun smallRun(int w, int h, std::int64_t steps, int arrowsAcross) {
    exporter::ScriptedRun r;
    r.steps = steps;
    r.every = 5;
    r.particleCount = 300;
    r.scene.view = core::Box{-4, 4, -4, 4};
    r.scene.width = w;
    r.scene.height = h;
    r.scene.arrowsAcross = arrowsAcross;
    r.klGrid = 32;
    return r;
}

} // namespace ebm::test
