#include "jsonreader.h"
#include "trainingjson.h"

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

ojson optionsJson(const core::TrainerOptions& o) {
    const auto& m = o.model;
    const auto& c = o.chains;
    ojson j;
    detail::writeCommonOptions(o, j);
    j["model"] = {
        {"input_dim", m.inputDim}, {"hidden", m.hidden}, {"activation", core::activationName(m.activation)}};
    j["chains"] = {{"sampler", detail::samplerJson(c.sampler)},
                   {"steps", c.steps},
                   {"persistent", c.persistent},
                   {"buffer_size", c.bufferSize},
                   {"restart_fraction", c.restartFraction},
                   {"restart_from_data", c.restartFromData},
                   {"fit_to_target", c.adaptToTarget}};
    j["methods"] = detail::methodsJson(o.params);
    j["box"] = boxJson(o.box);
    j["average_steps"] = o.averageSteps;
    return j;
}

template <class F> auto named(const Reader& r, const char* key, F parse) {
    try {
        return parse(r.string(key, 64));
    } catch (const InvalidArgument& e) {
        r.fail(key, e.what());
    }
}

core::ChainOptions readChains(const Reader& cd) {
    core::ChainOptions c;
    c.sampler = detail::readSampler(cd.object("sampler"));
    c.steps = int(cd.integer("steps", 1, 10000));
    c.persistent = cd.boolean("persistent");
    c.bufferSize = int(cd.integer("buffer_size", 1, kMaxBufferSize));
    c.restartFraction = cd.single("restart_fraction", 0, 1);
    c.restartFromData = cd.single("restart_from_data", 0, 1);
    // Files written before the chains were fitted to the target train on as they did.
    c.adaptToTarget = cd.has("fit_to_target") && cd.boolean("fit_to_target");
    return c;
}

// Version 1 kept the hyperparameters in three fixed records, "cd" (with the chains), "sm" (shared by
// sm, ssm and dsm) and "nce"; they map onto the chains and the methods' schemas.
void readVersion1Methods(const Reader& r, core::TrainerOptions& o) {
    constexpr double kBig1 = 1e30;
    const Reader cd = r.object("cd");
    o.chains = readChains(cd);
    core::MethodParams& p = o.params;
    const auto set = [&](const Reader& from, const char* key, const char* method, const char* name,
                         double v) {
        try {
            p.set(method, name, v);
        } catch (const InvalidArgument& e) {
            from.fail(key, e.what());
        }
    };
    set(cd, "energy_reg", "cd", "energy_reg", cd.single("energy_reg", 0, kBig1));
    set(cd, "decay_learning_rate", "cd", core::kDecayKey, cd.boolean("decay_learning_rate"));
    // Files from before CD had its own rate continue as they were trained: at the optimiser's rate.
    set(cd, "learning_rate_scale", "cd", core::kLearningRateScaleKey,
        cd.has("learning_rate_scale") ? cd.single("learning_rate_scale", 0, 1000) : 1.0f);
    const Reader sm = r.object("sm");
    const bool smDecay = sm.boolean("decay_learning_rate");
    for (const char* m : {"sm", "ssm", "dsm"})
        set(sm, "decay_learning_rate", m, core::kDecayKey, smDecay);
    set(sm, "dsm_sigma", "dsm", "sigma", sm.single("dsm_sigma", 0, kBig1));
    set(sm, "dsm_draws", "dsm", "draws", double(sm.integer("dsm_draws", 1, 64)));
    set(sm, "rademacher", "ssm", "projection", sm.boolean("rademacher") ? 0 : 1);
    set(sm, "variance_reduced", "ssm", "variance_reduced", sm.boolean("variance_reduced"));
    set(sm, "ssm_slices", "ssm", "slices", double(sm.integer("ssm_slices", 1, 64)));
    const Reader nce = r.object("nce");
    const std::string noise = nce.string("noise", 64);
    if (noise != "gaussian" && noise != "uniform") nce.fail("noise", "must be \"gaussian\" or \"uniform\"");
    set(nce, "noise", "nce", "noise", noise == "uniform" ? 1 : 0);
    set(nce, "noise_ratio", "nce", "noise_ratio", nce.single("noise_ratio", 0, 64));
    set(nce, "noise_scale", "nce", "noise_scale", nce.single("noise_scale", 0, kBig1));
    set(nce, "decay_learning_rate", "nce", core::kDecayKey, nce.boolean("decay_learning_rate"));
}

core::TrainerOptions readOptions(const Reader& r, std::int64_t version) {
    core::TrainerOptions o;
    detail::readCommonOptions(r, core::ModelKind::Plane, 1'000'000, o);
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
    if (version == 1) {
        readVersion1Methods(r, o);
    } else {
        o.chains = readChains(r.object("chains"));
        detail::readMethods(r.object("methods"), o.params);
    }
    o.box = r.box("box");
    // Files written before the averaged parameters existed show θ itself, as they did.
    o.averageSteps = r.has("average_steps") ? int(r.integer("average_steps", 0, 1000000)) : 0;
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

ojson drawingJson(const DrawingRecord& d) {
    ojson gs = ojson::array();
    for (const auto& g : d.gaussians)
        gs.push_back({{"x", g.x}, {"y", g.y}, {"sigma", g.sigma}, {"weight", g.weight}});
    return {{"box", boxJson(d.box)},
            {"cells", d.cells},
            {"paint", floatsJson(d.paint.data(), d.paint.size())},
            {"gaussians", gs}};
}

ojson layersJson(const DisplayLayers& d) {
    ojson layers = ojson::object();
    for (const DisplayLayerKey& k : kDisplayLayers)
        layers[k.fileKey] = d.*k.member;
    return layers;
}

ojson viewJson(const SessionFile& s) {
    const DisplayRecord& d = s.display;
    return {{"box", boxJson(s.view)},
            {"grid_resolution", s.gridResolution},
            {"arrows_across", s.arrowsAcross},
            {"source", d.source},
            {"quantity", d.quantity},
            {"color_map", d.colorMap},
            {"path", d.path},
            {"layers", layersJson(d)}};
}

constexpr int kHistoryColumns = 7;
const char* const kHistoryNames[kHistoryColumns] = {
    "loss", "kl", "log_z", "log_z_estimate", "accept_rate", "live_accept_rate", "steps_per_second"};

// The history as columns: one base64 float32 array per quantity (NaN where a value was not yet known),
// and the steps as JSON integers (float32 holds integers exactly only up to 2^24).
ojson historyJson(const std::vector<HistoryPoint>& history) {
    ojson steps = ojson::array();
    std::vector<float> cols[kHistoryColumns];
    for (const HistoryPoint& h : history) {
        steps.push_back(h.step);
        const double v[kHistoryColumns] = {
            h.loss, h.kl, h.logZ, h.logZEstimate, h.acceptRate, h.liveAcceptRate, h.stepsPerSecond};
        for (int c = 0; c < kHistoryColumns; ++c)
            cols[c].push_back(std::isfinite(v[c]) ? float(v[c]) : std::numeric_limits<float>::quiet_NaN());
    }
    ojson hist = {{"count", history.size()}, {"step", steps}};
    for (int c = 0; c < kHistoryColumns; ++c)
        hist[kHistoryNames[c]] = floatsJson(cols[c].data(), Index(cols[c].size()));
    return hist;
}

void checkFormat(const Reader& r) {
    if (r.string("format", 64) != kSessionFormat)
        r.fail("format", std::string("is not \"") + kSessionFormat + "\": not an EBM Lab session");
}

std::string readTarget(const Reader& r) {
    const std::string target = r.string("target", 64);
    if (target != "drawing") {
        try {
            (void)core::makePreset(target);
        } catch (const InvalidArgument& e) {
            r.fail("target", e.what());
        }
    }
    return target;
}

DrawingRecord readDrawing(const Reader& d) {
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
    return rec;
}

core::TrainerState readTrainer(const Reader& t, std::int64_t version) {
    core::TrainerState st;
    st.options = readOptions(t.object("options"), version);
    const Index n = parameterCount(st.options.model);
    if (n < 0)
        t.fail("options.model", "is too large (more than " + std::to_string(kMaxParams) + " parameters)");
    int widest = 2;
    for (int h : st.options.model.hidden)
        widest = std::max(widest, h);
    if (double(st.options.batchSize) * widest * double(st.options.model.hidden.size()) * 64 * 4 >
        kMaxStepBytes)
        t.fail("options.batch_size", "with this network would need more than 4 GiB per training step");
    detail::readTrainingState(t, n, 2, st.options.chains.bufferSize, st);
    if (t.has("average")) { // θ̄, the averaged parameters shown (TrainerOptions::averageSteps)
        st.average = Eigen::Map<const core::Vecf>(t.floats("average", std::size_t(n)).data(), n);
        st.averaged = t.integer("averaged", 1, std::max<std::int64_t>(1, st.step));
        st.averagePhase = t.integer("average_phase", 0, st.step);
    }
    return st;
}

void readLive(const Reader& live, SessionFile& s) {
    s.live = detail::readSampler(live.object("sampler"));
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
}

void readRun(const Reader& run, SessionFile& s) {
    s.training = run.boolean("training");
    // Files written before the speed became a rate hold "steps_per_chunk" (steps per frame): still
    // checked, and read as "as fast as possible", the speed that replaced it as the default.
    if (run.has("steps_per_second") || !run.has("steps_per_chunk"))
        s.stepsPerSecond = int(run.integer("steps_per_second", 0, kMaxStepsPerSecond));
    else if (run.integer("steps_per_chunk", 1, 1000) > 0)
        s.stepsPerSecond = 0;
}

void readView(const Reader& v, SessionFile& s) {
    s.view = v.box("box");
    s.gridResolution = int(v.integer("grid_resolution", 8, 1024));
    s.arrowsAcross = int(v.integer("arrows_across", 2, 200));
    DisplayRecord& d = s.display;
    d.source = int(v.integer("source", 0, 3));
    d.quantity = int(v.integer("quantity", 0, 3));
    d.colorMap = int(v.integer("color_map", 0, 2));
    d.path = int(v.integer("path", 0, 2));
    const Reader l = v.object("layers");
    for (const DisplayLayerKey& k : kDisplayLayers)
        d.*k.member = l.boolean(k.fileKey);
}

std::vector<HistoryPoint> readHistory(const Reader& h) {
    const std::size_t hn = std::size_t(h.integer("count", 0, std::int64_t(kMaxHistory)));
    const auto& steps = h.array("step", hn);
    if (steps.size() != hn) h.fail("step", "must have \"count\" entries");
    std::vector<float> cols[kHistoryColumns];
    for (int c = 0; c < kHistoryColumns; ++c)
        cols[c] =
            h.floats(kHistoryNames[c], hn, true); // NaN: no value yet (e.g. KL before the first metrics)
    std::vector<HistoryPoint> history(hn);
    for (std::size_t i = 0; i < hn; ++i) {
        if (!steps[i].is_number_integer() || steps[i].get<std::int64_t>() < 0)
            h.fail("step", "must hold non-negative integers");
        HistoryPoint& p = history[i];
        p.step = steps[i].get<std::int64_t>();
        p.loss = cols[0][i];
        p.kl = cols[1][i];
        p.logZ = cols[2][i];
        p.logZEstimate = cols[3][i];
        p.acceptRate = cols[4][i];
        p.liveAcceptRate = cols[5][i];
        p.stepsPerSecond = cols[6][i];
    }
    return history;
}
} // namespace

std::string toJson(const SessionFile& s) {
    const auto& t = s.trainer;
    const Index n = parameterCount(t.options.model);
    if (n < 0 || t.theta.size() != n)
        throw InvalidArgument("session: parameters do not match the architecture");
    if (!t.theta.allFinite() || !t.buffer.allFinite() || !s.particles.allFinite() || !t.average.allFinite())
        throw InvalidArgument("session: holds non-finite numbers");
    if (t.averaged > 0 && t.average.size() != n)
        throw InvalidArgument("session: averaged parameters do not match the architecture");
    ojson tr = {{"options", optionsJson(t.options)}};
    detail::writeTrainingState(t, tr);
    if (t.averaged > 0) {
        tr["average"] = floatsJson(t.average.data(), t.average.size());
        tr["averaged"] = t.averaged;
        tr["average_phase"] = t.averagePhase;
    }
    ojson j;
    j["format"] = kSessionFormat;
    j["version"] = kSessionVersion;
    j["target"] = s.target;
    if (s.drawing) j["drawing"] = drawingJson(*s.drawing);
    j["trainer"] = std::move(tr);
    j["live"] = {{"sampler", detail::samplerJson(s.live)},
                 {"count", s.particles.cols()},
                 {"particles", floatsJson(s.particles.data(), s.particles.size())},
                 {"rng", s.liveRngState},
                 {"steps_per_chunk", s.liveStepsPerChunk},
                 {"running", s.particlesRunning}};
    j["run"] = {{"training", s.training}, {"steps_per_second", s.stepsPerSecond}};
    j["view"] = viewJson(s);
    j["history"] = historyJson(s.history);
    return j.dump() + "\n";
}

SessionFile parseSessionJson(const std::string& text, const std::string& source) {
    const nlohmann::json j = detail::parseJson(text, source, kMaxJsonDepth);
    const Reader r(j, source);
    checkFormat(r);
    const std::int64_t version = r.integer("version", 0, std::numeric_limits<int>::max());
    if (version < 1 || version > kSessionVersion)
        r.fail("version", std::to_string(version) + " is not supported (this EBM Lab reads versions 1 to " +
                              std::to_string(kSessionVersion) + ")");
    SessionFile s;
    s.target = readTarget(r);
    if (r.has("drawing")) s.drawing = readDrawing(r.object("drawing"));
    if (s.target == "drawing" && !s.drawing) r.fail("drawing", "is missing but the target is \"drawing\"");
    s.trainer = readTrainer(r.object("trainer"), version);
    readLive(r.object("live"), s);
    readRun(r.object("run"), s);
    readView(r.object("view"), s);
    s.history = readHistory(r.object("history"));
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
