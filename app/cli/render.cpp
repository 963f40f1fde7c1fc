// `render`: a scripted training run drawn by the CPU renderer and written as an animation (GIF, MP4, WebM
// or PNG frames). Every flag is checked, and the output location too, before any training or writing.
#include "args.h"
#include "commands.h"
#include "methodargs.h"

#include <ebm/core/density.h>
#include <ebm/core/parallel.h>
#include <ebm/core/recommended.h>
#include <ebm/core/trainer.h>
#include <ebm/exporter/encoder.h>
#include <ebm/exporter/scriptedrun.h>
#include <ebm/io/session.h>
#include <optional>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace ebm::cli {

namespace {
constexpr const char* kRenderHelp =
    R"(usage: ebmlab-cli render --target NAME --method METHOD --out FILE|DIR/ [options]

Trains a model for N steps and writes one frame every K steps (plus the first), drawn by the CPU
renderer like the window's view: energy landscape with colour map and iso-contours, score arrows, the
training batch, what the method sees (CD negatives, NCE noise, SM target score), live particles with
trails; around the plot the window's figure: axes with tick labels, the colour bar with values, the
legend, and a caption strip above (method, step, KL).

options:
  --out PATH         anim.gif | anim.mp4 (H.264) | anim.webm (VP9) | frames/ (PNG sequence) (required)
  --target NAME      target density (required; ebmlab-cli targets lists them)
  --method M         the training method (required; listed below and by ebmlab-cli methods)
  --set KEY=VALUE    a hyperparameter of the method (repeatable; METHOD.KEY=VALUE for another
                     method's; with --session it changes the session's value)
  --recommended      start from the settings recommended for this target and method (the window's "Use
                     recommended settings"; not with --session)
  --session FILE     continue a saved session (.ebmlab, from the window): its target or drawing, model,
                     optimiser, method and settings, view, colour map, quantity and layers (flags given
                     as well override them; --target, --method and --seed are not allowed with it)
  --from-scratch     with --session: a fresh model with the session's settings and seed, from step 0
                     (without it the session's model continues)
  --steps N          training steps (default 3000: every method has learned the presets by then)
  --every K          a frame every K steps (default: steps / 30, so about 31 frames)
  --size WxH         frame size in pixels (default 480x480; even for mp4/webm)
  --fps F            frames per second (default 10)
  --seed S           seed of everything random (default 1)
  --layers LIST      comma-separated: landscape, contours, arrows, particles, trails, data, method,
                     caption, axes (axes, colour bar and legend); or all (default) / none
  --colormap C       viridis (default), magma or coolwarm
  --quantity Q       energy (default), unnormalised, density or logdensity
  --view x0,x1,y0,y1 visible data box (default: the target's box)
  --particles N      live particles (default 2000)
  --arrows N         score arrows per side (default: one per 36 px, 8 to 28; the window uses 28)
  --quality Q        mp4/webm constant-quality CRF, 0-51 / 0-63 (default 23 / 32; lower is better)
  --threads T        worker threads (default: all cores)

The file appears only when it is complete (written under a temporary name, then renamed); on an
error or Ctrl-C nothing is left behind. Exit codes: 0 written, 1 failed or cancelled, 2 bad input.
)";

std::atomic<bool> g_cancel{false};
void onSignal(int) {
    g_cancel.store(true);
}

std::pair<int, int> parseSize(const std::string& text) {
    const auto x = text.find('x');
    const auto bad = [&] {
        return UsageError("--size must be WxH in pixels (e.g. 480x480), got \"" + text + "\"");
    };
    if (x == std::string::npos || x == 0 || x + 1 >= text.size()) throw bad();
    for (size_t i = 0; i < text.size(); ++i)
        if (i != x && !std::isdigit(static_cast<unsigned char>(text[i]))) throw bad();
    if (x > 5 || text.size() - x - 1 > 5) throw bad();
    return {std::stoi(text.substr(0, x)), std::stoi(text.substr(x + 1))};
}

render::Quantity parseQuantity(const std::string& q) {
    if (q == "energy") return render::Quantity::Energy;
    if (q == "unnormalised") return render::Quantity::UnnormalisedDensity;
    if (q == "density") return render::Quantity::Density;
    return render::Quantity::LogDensity;
}
} // namespace

namespace {
/// Where the run starts: a session (continued or from scratch), or a target and method from the flags.
struct Source {
    std::optional<io::SessionFile> session;
    core::TrainerOptions options;
    std::string targetName;
};

Source readSource(const Args& a) {
    Source src;
    if (a.has("session")) {
        for (const char* f : {"target", "method", "seed", "recommended"})
            if (a.has(f) || a.flag(f))
                throw UsageError(std::string("--") + f +
                                 " cannot be combined with --session (the session has one)");
        try {
            src.session = io::loadSession(*a.value("session"));
        } catch (const std::exception& e) { // unreadable, damaged or hostile: bad input, exit 2
            throw UsageError(e.what());
        }
    }
    core::TrainerOptions& o = src.options;
    if (src.session) {
        applySets(a, src.session->trainer.options.params, src.session->trainer.options.method);
        o = src.session->trainer.options;
    } else {
        src.targetName = a.choice("target", core::presetNames(), "target", std::nullopt);
        o.method = methodArg(a, core::ModelKind::Plane, std::nullopt);
        if (a.flag("recommended")) o = core::recommendedSettings(src.targetName, o).options;
        applySets(a, o.params, o.method);
        o.seed = a.seed("seed", 1);
    }
    return src;
}

exporter::EncoderOptions encoderOptions(const Args& a, exporter::Format format) {
    const auto [w, h] = a.has("size") ? parseSize(*a.value("size")) : std::pair<int, int>{480, 480};
    exporter::EncoderOptions eo;
    eo.width = w;
    eo.height = h;
    eo.fps = a.positive("fps", 100.0, 10.0);
    eo.quality = int(a.integer("quality", 0, format == exporter::Format::WebM ? 63 : 51,
                               format == exporter::Format::WebM ? 32 : 23));
    return eo;
}

/// The scene: layers, colour map, quantity, particles, view and arrows (a session's display settings are
/// the defaults), and the run's length.
exporter::ScriptedRun scriptedRun(const Args& a, const Source& src, const core::Box& box, int w, int h) {
    exporter::ScriptedRun run;
    // The default shows a converged model (eight gaussians with CD: KL 0.70 after 600 steps, a ring;
    // eight separate modes after 3000), in about 31 frames whatever the step count.
    run.steps = a.integer("steps", 0, 10'000'000, 3000);
    run.every = int(a.integer("every", 1, 1'000'000, std::max<std::int64_t>(1, run.steps / 30)));
    static const char* kColorMaps[] = {"viridis", "magma", "coolwarm"};
    static const char* kQuantities[] = {"energy", "unnormalised", "density", "logdensity"};
    std::string layers = "all", colorMap = "viridis", quantity = "energy";
    const io::SessionFile* session = src.session ? &*src.session : nullptr;
    if (session) { // the window's display settings, as the defaults
        const io::DisplayRecord& d = session->display;
        layers = "caption,axes";
        const std::pair<bool, const char*> on[] = {{d.landscape, "landscape"}, {d.contours, "contours"},
                                                   {d.vectorField, "arrows"},  {d.particles, "particles"},
                                                   {d.trails, "trails"},       {d.data, "data"},
                                                   {d.methodView, "method"}};
        for (const auto& [enabled, name] : on)
            if (enabled) layers += std::string(",") + name;
        colorMap = kColorMaps[std::clamp(d.colorMap, 0, 2)];
        quantity = kQuantities[std::clamp(d.quantity, 0, 3)];
        run.live = session->live;
    }
    run.scene.layers = render::parseLayers(a.value("layers").value_or(layers));
    run.scene.colorMap =
        render::parseColorMap(a.choice("colormap", {"viridis", "magma", "coolwarm"}, "colour map", colorMap));
    run.scene.quantity = parseQuantity(
        a.choice("quantity", {"energy", "unnormalised", "density", "logdensity"}, "quantity", quantity));
    run.particleCount = int(a.integer("particles", 1, 100'000, session ? session->particles.cols() : 2000));
    run.scene.view = a.box("view", session ? session->view : box);
    run.scene.arrowsAcross = int(a.integer("arrows", 2, 200, std::clamp(w / 36, 8, 28)));
    run.scene.width = w;
    run.scene.height = h;
    run.scene.beta = run.live.beta;
    return run;
}

/// Renders the run into the encoder, with progress on a terminal; returns the step (and seconds) at which
/// the frames' KL first fell below 0.1, or −1.
std::pair<std::int64_t, double> renderRun(core::Trainer& trainer, const exporter::ScriptedRun& run,
                                          exporter::Encoder& encoder, exporter::EncodeControl& control,
                                          std::chrono::steady_clock::time_point start) {
    const bool tty = ::isatty(STDERR_FILENO);
    // When the frames' KL first fell below 0.1 (the figure the README reports for the default scene).
    std::int64_t learnedStep = -1;
    double learnedSecs = 0;
    try {
        exporter::renderScriptedRun(trainer, run, encoder, control, [&](const exporter::RunProgress& p) {
            if (tty) std::fprintf(stderr, "\rframe %d/%d (step %lld)", p.frame, p.frames, (long long)p.step);
            if (learnedStep < 0 && p.kl < 0.1) {
                learnedStep = p.step;
                learnedSecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            }
        });
    } catch (const exporter::Cancelled&) {
        if (tty) std::fprintf(stderr, "\n");
        throw core::RuntimeError("cancelled; nothing was written");
    }
    if (tty) std::fprintf(stderr, "\n");
    return {learnedStep, learnedSecs};
}
} // namespace

int cmdRender(const Tokens& t) {
    Args a("render", t,
           {"target", "method", "session", "out", "steps", "every", "size", "fps", "seed", "layers",
            "colormap", "quantity", "view", "particles", "arrows", "quality", "threads"},
           {"from-scratch", "recommended"}, {"set"});
    if (a.help()) {
        std::cout << kRenderHelp << "\n" << methodsHelp(core::ModelKind::Plane);
        return 0;
    }
    const std::string out = a.required("out");
    Source src = readSource(a);
    core::TrainerOptions& o = src.options;
    const exporter::Format format = exporter::formatFromPath(out);
    const exporter::EncoderOptions eo = encoderOptions(a, format);
    const std::shared_ptr<const core::TargetDensity> target =
        src.session ? io::targetOf(*src.session)
                    : std::shared_ptr<const core::TargetDensity>(core::makePreset(src.targetName));
    if (!src.session) o.box = target->suggestedBox();
    const exporter::ScriptedRun run = scriptedRun(a, src, o.box, eo.width, eo.height);
    if (a.has("threads")) core::setThreadCount(int(a.integer("threads", 1, 256, 0)));
    o.validate();
    exporter::checkOutput(out, format, eo); // bad sizes or an unwritable place: exit 2, nothing written
    if ((run.scene.layers.caption || run.scene.layers.axes) && render::defaultFontPath().empty())
        throw UsageError("the caption and axes need a font: install fonts-dejavu-core, set EBM_FONT, or "
                         "leave \"caption\" and \"axes\" out of --layers");
    if (a.flag("from-scratch") && !src.session)
        throw UsageError("--from-scratch goes with --session (without one the model always starts afresh)");

    g_cancel.store(false);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    exporter::EncodeControl control;
    control.cancel = &g_cancel;
    // A session continues where the window stopped, or (--from-scratch) starts afresh with its settings;
    // the same path as the window's export dialog.
    core::Trainer trainer =
        src.session
            ? exporter::sessionTrainer(*src.session, a.flag("from-scratch") ? exporter::Start::FromScratch
                                                                            : exporter::Start::Continue)
            : core::Trainer(target, o);
    const auto encoder = exporter::makeEncoder(out, format, eo, control);
    const auto start = std::chrono::steady_clock::now();
    const auto [learnedStep, learnedSecs] = renderRun(trainer, run, *encoder, control, start);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::error_code ec;
    const auto bytes = format == exporter::Format::PngSequence ? 0 : std::filesystem::file_size(out, ec);
    char line[256];
    std::snprintf(line, sizeof line, "wrote %s: %d frames %dx%d at %g fps (%s), %.1f s (%.1f frames/s)",
                  out.c_str(), encoder->frameCount(), eo.width, eo.height, eo.fps,
                  exporter::formatName(format).c_str(), secs, encoder->frameCount() / std::max(secs, 1e-9));
    std::cout << line;
    if (bytes > 0) std::cout << ", " << bytes / 1024 << " KiB";
    if (learnedStep >= 0) {
        std::snprintf(line, sizeof line, "; KL < 0.1 from step %lld (%.1f s)", (long long)learnedStep,
                      learnedSecs);
        std::cout << line;
    }
    std::cout << std::endl;
    return 0;
}

} // namespace ebm::cli
