#include "jsonreader.h"

#include <ebm/io/atomicfile.h>
#include <ebm/io/modelfile.h>
#include <ebm/io/session.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using detail::Reader;
using ojson = nlohmann::ordered_json;

namespace {
constexpr double kBig = 1e30;
// A session whose step would need more than this many bytes of activations is refused: it would exhaust
// memory at its first step rather than at load time. Estimate: batch x widest layer x depth x 64 column
// blocks (tangent directions times SSM slices or DSM draws) x 4 bytes.
constexpr double kMaxStepBytes = 4.0 * (1ull << 30);

ojson floatsJson(const float* p, Index n) {
    return detail::encodeFloats(p, std::size_t(n));
}
ojson boxJson(const core::Box& b) {
    return ojson::array({b.x0, b.x1, b.y0, b.y1});
}
ojson samplerJson(const core::SamplerOptions& s) {
    return {{"kind", core::samplerKindName(s.kind)},
            {"beta", s.beta},
            {"step_size", s.stepSize},
            {"mh_sigma", s.mhSigma},
            {"leapfrog_steps", s.leapfrogSteps}};
}
core::SamplerOptions readSampler(const Reader& r) {
    core::SamplerOptions s;
    try {
        s.kind = core::parseSamplerKind(r.string("kind", 32));
    } catch (const InvalidArgument& e) {
        r.fail("kind", std::string("is not a sampler: ") + e.what());
    }
    s.beta = r.single("beta", 0, kBig);
    s.stepSize = r.single("step_size", 0, kBig);
    s.mhSigma = r.single("mh_sigma", 0, kBig);
    s.leapfrogSteps = int(r.integer("leapfrog_steps", 1, 1000));
    return s;
}

ojson optionsJson(const core::TrainerOptions& o) {
    const auto& m = o.model;
    const auto& op = o.optimizer;
    return {{"method", core::methodName(o.method)},
            {"seed", o.seed},
            {"batch_size", o.batchSize},
            {"model",
             {{"input_dim", m.inputDim},
              {"hidden", m.hidden},
              {"activation", core::activationName(m.activation)}}},
            {"optimizer",
             {{"kind", core::optimizerKindName(op.kind)},
              {"learning_rate", op.learningRate},
              {"beta1", op.beta1},
              {"beta2", op.beta2},
              {"epsilon", op.epsilon},
              {"weight_decay", op.weightDecay},
              {"clip_norm", op.clipNorm}}},
            {"cd",
             {{"sampler", samplerJson(o.cd.sampler)},
              {"steps", o.cd.steps},
              {"persistent", o.cd.persistent},
              {"buffer_size", o.cd.bufferSize},
              {"restart_fraction", o.cd.restartFraction},
              {"restart_from_data", o.cd.restartFromData},
              {"energy_reg", o.cd.energyReg},
              {"learning_rate_scale", o.cd.learningRateScale},
              {"decay_learning_rate", o.cd.decayLearningRate}}},
            {"sm",
             {{"dsm_sigma", o.sm.dsmSigma},
              {"dsm_draws", o.sm.dsmDraws},
              {"rademacher", o.sm.rademacher},
              {"variance_reduced", o.sm.varianceReduced},
              {"ssm_slices", o.sm.ssmSlices},
              {"decay_learning_rate", o.sm.decayLearningRate}}},
            {"nce",
             {{"noise", core::nceNoiseName(o.nce.noise)},
              {"noise_ratio", o.nce.noiseRatio},
              {"noise_scale", o.nce.noiseScale},
              {"decay_learning_rate", o.nce.decayLearningRate}}},
            {"box", boxJson(o.box)},
            {"divergence_limit", o.divergenceLimit},
            {"lr_decay_steps", o.lrDecaySteps},
            {"lr_final_factor", o.lrFinalFactor}};
}

template <class F> auto named(const Reader& r, const char* key, F parse) {
    try {
        return parse(r.string(key, 64));
    } catch (const InvalidArgument& e) {
        r.fail(key, e.what());
    }
}

core::TrainerOptions readOptions(const Reader& r) {
    core::TrainerOptions o;
    o.method = named(r, "method", core::parseMethod);
    o.seed = std::uint64_t(r.integer("seed", 0, std::numeric_limits<std::int64_t>::max()));
    o.batchSize = r.integer("batch_size", 1, 1'000'000);
    const Reader m = r.object("model");
    o.model.inputDim = int(m.integer("input_dim", 2, 2));
    const auto& hidden = m.array("hidden", 16);
    if (hidden.empty()) m.fail("hidden", "must list 1..16 layer widths");
    o.model.hidden.clear();
    for (const auto& h : hidden) {
        if (!h.is_number_integer() || h.get<std::int64_t>() < 1 || h.get<std::int64_t>() > 4096)
            m.fail("hidden", "widths must be integers in 1..4096");
        o.model.hidden.push_back(int(h.get<std::int64_t>()));
    }
    o.model.activation = named(m, "activation", core::parseActivation);
    const Reader op = r.object("optimizer");
    o.optimizer.kind = named(op, "kind", core::parseOptimizerKind);
    o.optimizer.learningRate = op.single("learning_rate", 0, kBig);
    o.optimizer.beta1 = op.single("beta1", 0, 1);
    o.optimizer.beta2 = op.single("beta2", 0, 1);
    o.optimizer.epsilon = op.single("epsilon", 0, kBig);
    o.optimizer.weightDecay = op.single("weight_decay", 0, kBig);
    o.optimizer.clipNorm = op.single("clip_norm", 0, kBig);
    const Reader cd = r.object("cd");
    o.cd.sampler = readSampler(cd.object("sampler"));
    o.cd.steps = int(cd.integer("steps", 1, 10000));
    o.cd.persistent = cd.boolean("persistent");
    o.cd.bufferSize = int(cd.integer("buffer_size", 1, kMaxBufferSize));
    o.cd.restartFraction = cd.single("restart_fraction", 0, 1);
    o.cd.restartFromData = cd.single("restart_from_data", 0, 1);
    o.cd.energyReg = cd.single("energy_reg", 0, kBig);
    o.cd.decayLearningRate = cd.boolean("decay_learning_rate");
    // Files from before CD had its own rate continue as they were trained: at the optimiser's rate.
    o.cd.learningRateScale = cd.has("learning_rate_scale") ? cd.single("learning_rate_scale", 0, 1000) : 1.0f;
    const Reader sm = r.object("sm");
    o.sm.dsmSigma = sm.single("dsm_sigma", 0, kBig);
    o.sm.dsmDraws = int(sm.integer("dsm_draws", 1, 64));
    o.sm.rademacher = sm.boolean("rademacher");
    o.sm.varianceReduced = sm.boolean("variance_reduced");
    o.sm.ssmSlices = int(sm.integer("ssm_slices", 1, 64));
    o.sm.decayLearningRate = sm.boolean("decay_learning_rate");
    const Reader nce = r.object("nce");
    o.nce.noise = named(nce, "noise", core::parseNceNoise);
    o.nce.noiseRatio = nce.single("noise_ratio", 0, 64);
    o.nce.noiseScale = nce.single("noise_scale", 0, kBig);
    o.nce.decayLearningRate = nce.boolean("decay_learning_rate");
    o.box = r.box("box");
    o.divergenceLimit = r.single("divergence_limit", 0, kBig);
    o.lrDecaySteps = int(r.integer("lr_decay_steps", 0, std::numeric_limits<int>::max()));
    o.lrFinalFactor = r.single("lr_final_factor", 0, 1);
    try {
        o.validate();
    } catch (const InvalidArgument& e) {
        r.fail("", std::string("are not valid trainer options: ") + e.what());
    }
    return o;
}

void checkRng(const Reader& r, const char* key, const std::string& state) {
    core::Rng rng;
    std::istringstream is(state);
    is >> rng;
    if (is.fail()) r.fail(key, "is not a random generator state");
}

core::Matf matrix(const std::vector<float>& v, Index rows, Index cols) {
    return Eigen::Map<const core::Matf>(v.data(), rows, cols);
}
} // namespace

std::string toJson(const SessionFile& s) {
    const auto& t = s.trainer;
    const Index n = parameterCount(t.options.model);
    if (n < 0 || t.theta.size() != n)
        throw InvalidArgument("session: parameters do not match the architecture");
    if (!t.theta.allFinite() || !t.buffer.allFinite() || !s.particles.allFinite())
        throw InvalidArgument("session: holds non-finite numbers");
    ojson tr = {{"options", optionsJson(t.options)},
                {"theta", floatsJson(t.theta.data(), t.theta.size())},
                {"log_z_estimate", t.logZEstimate},
                {"optimizer",
                 {{"t", t.optimizer.t},
                  {"m_size", t.optimizer.m.size()},
                  {"m", floatsJson(t.optimizer.m.data(), t.optimizer.m.size())},
                  {"v_size", t.optimizer.v.size()},
                  {"v", floatsJson(t.optimizer.v.data(), t.optimizer.v.size())}}},
                {"buffer_size", t.buffer.cols()},
                {"buffer", floatsJson(t.buffer.data(), t.buffer.size())},
                {"step", t.step},
                {"phase_start", t.phaseStart},
                {"rng", t.rngState}};
    ojson j;
    j["format"] = kSessionFormat;
    j["version"] = kSessionVersion;
    j["target"] = s.target;
    if (s.drawing) {
        const DrawingRecord& d = *s.drawing;
        ojson gs = ojson::array();
        for (const auto& g : d.gaussians)
            gs.push_back({{"x", g.x}, {"y", g.y}, {"sigma", g.sigma}, {"weight", g.weight}});
        j["drawing"] = {{"box", boxJson(d.box)},
                        {"cells", d.cells},
                        {"paint", floatsJson(d.paint.data(), d.paint.size())},
                        {"gaussians", gs}};
    }
    j["trainer"] = std::move(tr);
    j["live"] = {{"sampler", samplerJson(s.live)},
                 {"count", s.particles.cols()},
                 {"particles", floatsJson(s.particles.data(), s.particles.size())},
                 {"rng", s.liveRngState},
                 {"steps_per_chunk", s.liveStepsPerChunk},
                 {"running", s.particlesRunning}};
    j["run"] = {{"training", s.training}, {"steps_per_second", s.stepsPerSecond}};
    const DisplayRecord& d = s.display;
    j["view"] = {{"box", boxJson(s.view)},
                 {"grid_resolution", s.gridResolution},
                 {"arrows_across", s.arrowsAcross},
                 {"source", d.source},
                 {"quantity", d.quantity},
                 {"color_map", d.colorMap},
                 {"path", d.path},
                 {"layers",
                  {{"landscape", d.landscape},
                   {"contours", d.contours},
                   {"vector_field", d.vectorField},
                   {"particles", d.particles},
                   {"trails", d.trails},
                   {"data", d.data},
                   {"method_view", d.methodView}}}};
    // The history as columns: one base64 float32 array per quantity (NaN where a value was not yet known),
    // and the steps as JSON integers (float32 holds integers exactly only up to 2^24).
    ojson steps = ojson::array();
    std::vector<float> cols[7];
    for (const HistoryPoint& h : s.history) {
        steps.push_back(h.step);
        const double v[7] = {h.loss,          h.kl, h.logZ, h.logZEstimate, h.acceptRate, h.liveAcceptRate,
                             h.stepsPerSecond};
        for (int c = 0; c < 7; ++c)
            cols[c].push_back(std::isfinite(v[c]) ? float(v[c]) : std::numeric_limits<float>::quiet_NaN());
    }
    static const char* names[7] = {
        "loss", "kl", "log_z", "log_z_estimate", "accept_rate", "live_accept_rate", "steps_per_second"};
    ojson hist = {{"count", s.history.size()}, {"step", steps}};
    for (int c = 0; c < 7; ++c)
        hist[names[c]] = floatsJson(cols[c].data(), Index(cols[c].size()));
    j["history"] = std::move(hist);
    return j.dump() + "\n";
}

SessionFile parseSessionJson(const std::string& text, const std::string& source) {
    const nlohmann::json j = detail::parseJson(text, source, kMaxJsonDepth);
    const Reader r(j, source);
    if (r.string("format", 64) != kSessionFormat)
        r.fail("format", std::string("is not \"") + kSessionFormat + "\": not an EBM Lab session");
    const std::int64_t version = r.integer("version", 0, std::numeric_limits<int>::max());
    if (version != kSessionVersion)
        r.fail("version", std::to_string(version) + " is not supported (this EBM Lab reads version " +
                              std::to_string(kSessionVersion) + ")");
    SessionFile s;
    s.target = r.string("target", 64);
    if (s.target != "drawing") {
        try {
            (void)core::makePreset(s.target);
        } catch (const InvalidArgument& e) {
            r.fail("target", e.what());
        }
    }
    if (r.has("drawing")) {
        const Reader d = r.object("drawing");
        DrawingRecord rec;
        rec.box = d.box("box");
        rec.cells = int(d.integer("cells", 8, 2048));
        rec.paint = matrix(d.floats("paint", std::size_t(rec.cells) * rec.cells), rec.cells, rec.cells);
        if (rec.paint.minCoeff() < 0 || rec.paint.maxCoeff() > 1) d.fail("paint", "values must be in [0, 1]");
        const auto& gs = d.array("gaussians", 1000);
        for (std::size_t i = 0; i < gs.size(); ++i) {
            const Reader g = d.element(gs[i], i, "gaussians");
            rec.gaussians.push_back({g.number("x", -1e6, 1e6), g.number("y", -1e6, 1e6),
                                     g.number("sigma", 1e-6, 1e6), g.number("weight", 1e-9, 1e6)});
        }
        s.drawing = std::move(rec);
    }
    if (s.target == "drawing" && !s.drawing) r.fail("drawing", "is missing but the target is \"drawing\"");

    const Reader t = r.object("trainer");
    core::TrainerState& st = s.trainer;
    st.options = readOptions(t.object("options"));
    const Index n = parameterCount(st.options.model);
    if (n < 0)
        t.fail("options.model", "is too large (more than " + std::to_string(kMaxParams) + " parameters)");
    int widest = 2;
    for (int h : st.options.model.hidden)
        widest = std::max(widest, h);
    if (double(st.options.batchSize) * widest * double(st.options.model.hidden.size()) * 64 * 4 >
        kMaxStepBytes)
        t.fail("options.batch_size", "with this network would need more than 4 GiB per training step");
    st.theta = Eigen::Map<const core::Vecf>(t.floats("theta", std::size_t(n)).data(), n);
    st.logZEstimate = t.single("log_z_estimate", -kBig, kBig);
    const Reader opt = t.object("optimizer");
    st.optimizer.t = opt.integer("t", 0, std::numeric_limits<std::int64_t>::max());
    // The optimiser holds θ and NCE's c: its moments are empty (fresh) or have n + 1 entries.
    for (const char* key : {"m", "v"}) {
        const std::string sizeKey = std::string(key) + "_size";
        const Index k = opt.integer(sizeKey.c_str(), 0, n + 1);
        if (k != 0 && k != n + 1)
            opt.fail(sizeKey, "must be 0 or the parameter count + 1 (" + std::to_string(n + 1) + ")");
        const std::vector<float> v = opt.floats(key, std::size_t(k));
        (key[0] == 'm' ? st.optimizer.m : st.optimizer.v) = Eigen::Map<const core::Vecf>(v.data(), k);
    }
    const Index b = t.integer("buffer_size", 1, kMaxBufferSize);
    if (b != st.options.cd.bufferSize) t.fail("buffer_size", "must equal options.cd.buffer_size");
    st.buffer = matrix(t.floats("buffer", std::size_t(2 * b)), 2, b);
    st.step = t.integer("step", 0, std::numeric_limits<std::int64_t>::max());
    st.phaseStart = t.integer("phase_start", 0, st.step);
    st.rngState = t.string("rng", 20000);
    checkRng(t, "rng", st.rngState);

    const Reader live = r.object("live");
    s.live = readSampler(live.object("sampler"));
    try {
        s.live.validate();
    } catch (const InvalidArgument& e) {
        live.fail("sampler", e.what());
    }
    const Index count = live.integer("count", 1, kMaxParticles);
    s.particles = matrix(live.floats("particles", std::size_t(2 * count)), 2, count);
    s.liveRngState = live.string("rng", 20000);
    checkRng(live, "rng", s.liveRngState);
    s.liveStepsPerChunk = int(live.integer("steps_per_chunk", 1, 1000));
    s.particlesRunning = live.boolean("running");
    const Reader run = r.object("run");
    s.training = run.boolean("training");
    // Files written before the speed became a rate hold "steps_per_chunk" (steps per frame): still
    // checked, and read as "as fast as possible", the speed that replaced it as the default.
    if (run.has("steps_per_second") || !run.has("steps_per_chunk"))
        s.stepsPerSecond = int(run.integer("steps_per_second", 0, kMaxStepsPerSecond));
    else if (run.integer("steps_per_chunk", 1, 1000) > 0)
        s.stepsPerSecond = 0;

    const Reader v = r.object("view");
    s.view = v.box("box");
    s.gridResolution = int(v.integer("grid_resolution", 8, 1024));
    s.arrowsAcross = int(v.integer("arrows_across", 2, 200));
    DisplayRecord& d = s.display;
    d.source = int(v.integer("source", 0, 3));
    d.quantity = int(v.integer("quantity", 0, 3));
    d.colorMap = int(v.integer("color_map", 0, 2));
    d.path = int(v.integer("path", 0, 2));
    const Reader l = v.object("layers");
    d.landscape = l.boolean("landscape");
    d.contours = l.boolean("contours");
    d.vectorField = l.boolean("vector_field");
    d.particles = l.boolean("particles");
    d.trails = l.boolean("trails");
    d.data = l.boolean("data");
    d.methodView = l.boolean("method_view");

    const Reader h = r.object("history");
    const std::size_t hn = std::size_t(h.integer("count", 0, std::int64_t(kMaxHistory)));
    const auto& steps = h.array("step", hn);
    if (steps.size() != hn) h.fail("step", "must have \"count\" entries");
    std::vector<float> cols[7];
    static const char* names[7] = {
        "loss", "kl", "log_z", "log_z_estimate", "accept_rate", "live_accept_rate", "steps_per_second"};
    for (int c = 0; c < 7; ++c)
        cols[c] = h.floats(names[c], hn, true); // NaN: no value yet (e.g. KL before the first metrics)
    s.history.resize(hn);
    for (std::size_t i = 0; i < hn; ++i) {
        if (!steps[i].is_number_integer() || steps[i].get<std::int64_t>() < 0)
            h.fail("step", "must hold non-negative integers");
        HistoryPoint& p = s.history[i];
        p.step = steps[i].get<std::int64_t>();
        p.loss = cols[0][i];
        p.kl = cols[1][i];
        p.logZ = cols[2][i];
        p.logZEstimate = cols[3][i];
        p.acceptRate = cols[4][i];
        p.liveAcceptRate = cols[5][i];
        p.stepsPerSecond = cols[6][i];
    }
    return s;
}

core::DensityDrawing drawingOf(const DrawingRecord& r) {
    core::DensityDrawing d(r.box, r.cells);
    d.setPaint(r.paint);
    for (const auto& g : r.gaussians)
        d.addGaussian(core::GaussianBlob{g.x, g.y, g.sigma, g.weight});
    return d;
}

std::shared_ptr<const core::TargetDensity> targetOf(const SessionFile& s) {
    if (s.target == "drawing") {
        if (!s.drawing) throw InvalidArgument("the session trains on a drawing but holds none");
        return drawingOf(*s.drawing).toDensity();
    }
    return std::shared_ptr<const core::TargetDensity>(core::makePreset(s.target));
}

void saveSession(const SessionFile& s, const std::string& path) {
    writeFileAtomically(path, toJson(s));
}

SessionFile loadSession(const std::string& path) {
    return parseSessionJson(readFile(path, kMaxSessionFileBytes), "session file '" + path + "'");
}

} // namespace ebm::io
