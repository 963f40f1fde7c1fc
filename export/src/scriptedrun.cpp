#include <ebm/exporter/scriptedrun.h>

#include <ebm/core/metrics.h>

#include <limits>

namespace ebm::exporter {

int scriptedFrameCount(std::int64_t steps, int every) {
    if (steps <= 0 || every <= 0) return 1;
    return int((steps + every - 1) / every) + 1;
}

void renderScriptedRun(core::Trainer& trainer, const ScriptedRun& run, Encoder& encoder,
                       const EncodeControl& control,
                       const std::function<void(const RunProgress&)>& progress) {
    const render::SceneOptions& so = run.scene;
    std::unique_ptr<render::TextRenderer> text;
    if (so.layers.caption)
        text = std::make_unique<render::TextRenderer>(render::defaultFontPath(),
                                                      render::captionPixelSize(so.height));
    render::RenderStyle style;
    style.colorMap = so.colorMap;
    style.quantity = so.quantity;
    style.contours = so.layers.contours;

    // Live particles: uniform on the trainer's box at the start, then sampled from the model.
    core::Rng rng(trainer.options().seed ^ 0x9e3779b97f4a7c15ull);
    const core::Box box = trainer.options().box;
    core::ParticleSet live;
    live.x.resize(2, std::max(1, run.particleCount));
    core::fillUniform(live.x, rng);
    live.x.row(0) = (live.x.row(0).array() * float(box.width()) + float(box.x0)).matrix();
    live.x.row(1) = (live.x.row(1).array() * float(box.height()) + float(box.y0)).matrix();
    const auto sampler = core::makeSampler(run.live);
    std::vector<core::Matf> history{live.x};

    const int frames = scriptedFrameCount(run.steps, run.every);
    RunProgress rp{0, frames, 0};
    const auto emit = [&] {
        double kl = std::numeric_limits<double>::quiet_NaN();
        if (so.layers.caption && run.klGrid > 0)
            kl = trainer.metrics(core::Matd(2, 0), core::GridSpec{box, run.klGrid}).kl;
        const render::Scene scene = render::captureScene(trainer, history, kl, so);
        encoder.addFrame(render::renderScene(scene, style, so.width, so.height, text.get()));
        rp.frame += 1;
        rp.step = trainer.stepCount();
        rp.kl = kl;
        if (progress) progress(rp);
    };
    control.check();
    emit();
    std::int64_t done = 0;
    while (done < run.steps) {
        const std::int64_t chunk = std::min<std::int64_t>(run.every, run.steps - done);
        for (std::int64_t i = 0; i < chunk; ++i) {
            control.check();
            trainer.step();
        }
        done += chunk;
        if (so.layers.particles) {
            live.invalidate(); // the model changed under the cached energies
            sampler->run(trainer.model(), live, int(chunk) * std::max(1, run.liveStepsPerTrainingStep), rng);
            history.insert(history.begin(), live.x);
            if (history.size() > size_t(render::kTrailSlots)) history.pop_back();
        }
        emit();
    }
    control.check();
    encoder.finish();
}

} // namespace ebm::exporter
