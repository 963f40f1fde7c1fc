#include <ebm/exporter/scriptedrun.h>

#include <ebm/core/metrics.h>

#include <limits>

namespace ebm::exporter {

core::Trainer sessionTrainer(const io::SessionFile& scene, Start start) {
    core::Trainer trainer(io::targetOf(scene), scene.trainer.options);
    if (start == Start::Continue) trainer.restore(scene.trainer);
    return trainer;
}

FrameDrawer::FrameDrawer(const render::SceneOptions& o, const std::string& method, std::int64_t lastStep)
    : m_plot(o), m_method(method) {
    m_style.colorMap = o.colorMap;
    m_style.quantity = o.quantity;
    m_style.contours = o.layers.contours;
    if (o.layers.caption || o.layers.axes) m_fonts = std::make_unique<render::FigureFonts>(o.width, o.height);
    // The layout's shape: the legend and colour bar of these layers, the widest caption of the run.
    render::FigureSpec shape;
    shape.view = o.view;
    shape.decorations = o.layers.axes;
    shape.colorBar = o.layers.landscape;
    shape.legend = render::legendFor(method, o.layers);
    if (o.layers.caption) shape.caption = render::captionLines(method, lastStep, 10.0);
    m_layout = render::figureLayout(o.width, o.height, shape, m_fonts.get(), true);
    m_plot.width = m_layout.plot.w;
    m_plot.height = m_layout.plot.h;
    m_plot.view = m_layout.view;
}

FrameDrawer::~FrameDrawer() = default;

render::Image FrameDrawer::draw(const core::Trainer& trainer, const std::vector<core::Matf>& history,
                                double kl) const {
    const render::Scene scene = render::captureScene(trainer, history, kl, m_plot);
    return render::renderFigure(scene, m_style, render::sceneFigure(scene, m_plot, m_method), m_layout,
                                m_fonts.get());
}

int scriptedFrameCount(std::int64_t steps, int every) {
    if (steps <= 0 || every <= 0) return 1;
    return int((steps + every - 1) / every) + 1;
}

void renderScriptedRun(core::Trainer& trainer, const ScriptedRun& run, Encoder& encoder,
                       const EncodeControl& control,
                       const std::function<void(const RunProgress&)>& progress) {
    const render::SceneOptions& so = run.scene;
    const FrameDrawer frames(so, trainer.options().method,
                             trainer.stepCount() + std::max<std::int64_t>(0, run.steps));

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

    RunProgress rp{0, scriptedFrameCount(run.steps, run.every), 0};
    const auto emit = [&] {
        double kl = std::numeric_limits<double>::quiet_NaN();
        if (so.layers.caption && run.klGrid > 0)
            kl = trainer.metrics(core::Matd(2, 0), core::GridSpec{box, run.klGrid}).kl;
        encoder.addFrame(frames.draw(trainer, history, kl));
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
            sampler->run(trainer.shownModel(), live, int(chunk) * std::max(1, run.liveStepsPerTrainingStep),
                         rng);
            history.insert(history.begin(), live.x);
            if (history.size() > size_t(render::kTrailSlots)) history.pop_back();
        }
        emit();
    }
    control.check();
    encoder.finish();
}

} // namespace ebm::exporter
