#include "trainingjson.h"

#include <ebm/core/objective.h>
#include <ebm/io/session.h>

#include <sstream>

namespace ebm::io::detail {

using core::Index;
using core::InvalidArgument;

namespace {
constexpr double kBig = 1e30;

ojson floatsJson(const float* p, Index n) {
    return encodeFloats(p, std::size_t(n));
}
} // namespace

ojson methodsJson(const core::MethodParams& p) {
    ojson all = ojson::object();
    for (const std::string& name : core::objectiveNames(p.kind())) {
        ojson m = ojson::object();
        const core::ParamSet& values = p.of(name);
        for (const core::ParamSpec& spec : core::objective(name).schema(p.kind())) {
            const double v = values.value(spec.key);
            switch (spec.type) {
            case core::ParamType::Flag:
                m[spec.key] = v != 0;
                break;
            case core::ParamType::Choice:
                m[spec.key] = core::formatParamValue(spec, v);
                break;
            case core::ParamType::Integer:
                m[spec.key] = std::int64_t(v);
                break;
            case core::ParamType::Real:
                m[spec.key] = v;
                break;
            }
        }
        all[name] = std::move(m);
    }
    return all;
}

std::string readMethodName(const Reader& r, const char* key, core::ModelKind kind) {
    const std::string name = r.string(key, 64);
    const core::Objective* o = core::findObjective(name);
    if (!o) {
        try {
            core::objective(name);
        } catch (const InvalidArgument& e) {
            r.fail(key, e.what());
        }
    }
    if (!o->info().supports(kind))
        r.fail(key, "\"" + name + "\" is not available for " + core::modelKindName(kind) + " models");
    return name;
}

void readMethods(const Reader& r, core::MethodParams& p) {
    for (const std::string& name : r.keys()) {
        const core::Objective* o = core::findObjective(name);
        if (!o || !o->info().supports(p.kind()))
            r.fail(name,
                   "is not a method this EBM Lab knows for " + core::modelKindName(p.kind()) + " models");
        const Reader m = r.object(name.c_str());
        const core::Schema schema = o->schema(p.kind());
        for (const std::string& key : m.keys()) {
            const core::ParamSpec* spec = core::findParam(schema, key);
            if (!spec) m.fail(key, "is not a hyperparameter of " + name);
            double v = 0;
            switch (spec->type) {
            case core::ParamType::Flag:
                v = m.boolean(key.c_str()) ? 1 : 0;
                break;
            case core::ParamType::Choice:
                try {
                    v = core::parseParamValue(*spec, m.string(key.c_str(), 64));
                } catch (const InvalidArgument& e) {
                    m.fail(key, e.what());
                }
                break;
            case core::ParamType::Integer:
                v = double(m.integer(key.c_str(), std::int64_t(spec->min), std::int64_t(spec->max)));
                break;
            case core::ParamType::Real:
                v = m.number(key.c_str(), spec->min, spec->max);
                break;
            }
            p.set(name, key, v);
        }
    }
}

void writeCommonOptions(const core::TrainingOptions& o, ojson& out) {
    out["method"] = o.method;
    out["seed"] = o.seed;
    out["batch_size"] = o.batchSize;
    out["optimizer"] = optimizerJson(o.optimizer);
    out["divergence_limit"] = o.divergenceLimit;
    out["lr_decay_steps"] = o.lrDecaySteps;
    out["lr_final_factor"] = o.lrFinalFactor;
    out["lr_floor_factor"] = o.lrFloorFactor;
}

void readCommonOptions(const Reader& r, core::ModelKind kind, Index maxBatch, core::TrainingOptions& o) {
    o.method = readMethodName(r, "method", kind);
    o.seed = std::uint64_t(r.integer("seed", 0, std::numeric_limits<std::int64_t>::max()));
    o.batchSize = r.integer("batch_size", 1, maxBatch);
    o.optimizer = readOptimizer(r.object("optimizer"));
    o.divergenceLimit = r.single("divergence_limit", 0, kBig);
    o.lrDecaySteps = int(r.integer("lr_decay_steps", 0, std::numeric_limits<int>::max()));
    o.lrFinalFactor = r.single("lr_final_factor", 0, 1);
    // Files written before the floor existed held the rate at the final factor, and train on as they did.
    o.lrFloorFactor = r.has("lr_floor_factor") ? r.single("lr_floor_factor", 0, 1) : o.lrFinalFactor;
}

ojson optimizerJson(const core::OptimizerOptions& op) {
    return {{"kind", core::optimizerKindName(op.kind)},
            {"learning_rate", op.learningRate},
            {"beta1", op.beta1},
            {"beta2", op.beta2},
            {"epsilon", op.epsilon},
            {"weight_decay", op.weightDecay},
            {"clip_norm", op.clipNorm}};
}

core::OptimizerOptions readOptimizer(const Reader& op) {
    core::OptimizerOptions o;
    try {
        o.kind = core::parseOptimizerKind(op.string("kind", 64));
    } catch (const InvalidArgument& e) {
        op.fail("kind", e.what());
    }
    o.learningRate = op.single("learning_rate", 0, kBig);
    o.beta1 = op.single("beta1", 0, 1);
    o.beta2 = op.single("beta2", 0, 1);
    o.epsilon = op.single("epsilon", 0, kBig);
    o.weightDecay = op.single("weight_decay", 0, kBig);
    o.clipNorm = op.single("clip_norm", 0, kBig);
    return o;
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

void writeTrainingState(const core::TrainingState& t, ojson& tr) {
    tr["theta"] = floatsJson(t.theta.data(), t.theta.size());
    tr["log_z_estimate"] = t.logZEstimate;
    tr["optimizer"] = {{"t", t.optimizer.t},
                       {"m_size", t.optimizer.m.size()},
                       {"m", floatsJson(t.optimizer.m.data(), t.optimizer.m.size())},
                       {"v_size", t.optimizer.v.size()},
                       {"v", floatsJson(t.optimizer.v.data(), t.optimizer.v.size())}};
    tr["buffer_size"] = t.buffer.cols();
    tr["buffer"] = floatsJson(t.buffer.data(), t.buffer.size());
    tr["step"] = t.step;
    tr["phase_start"] = t.phaseStart;
    tr["rng"] = t.rngState;
}

void readTrainingState(const Reader& t, Index n, Index rows, Index bufferSize, core::TrainingState& st) {
    st.theta = Eigen::Map<const core::Vecf>(t.floats("theta", std::size_t(n)).data(), n);
    st.logZEstimate = t.single("log_z_estimate", -kBig, kBig);
    const Reader opt = t.object("optimizer");
    st.optimizer.t = opt.integer("t", 0, std::numeric_limits<std::int64_t>::max());
    // The optimiser holds θ and the learned log Z: its moments are empty (fresh) or have n + 1 entries.
    for (const char* key : {"m", "v"}) {
        const std::string sizeKey = std::string(key) + "_size";
        const Index k = opt.integer(sizeKey.c_str(), 0, n + 1);
        if (k != 0 && k != n + 1)
            opt.fail(sizeKey, "must be 0 or the parameter count + 1 (" + std::to_string(n + 1) + ")");
        const std::vector<float> v = opt.floats(key, std::size_t(k));
        (key[0] == 'm' ? st.optimizer.m : st.optimizer.v) = Eigen::Map<const core::Vecf>(v.data(), k);
    }
    const Index b = t.integer("buffer_size", 1, kMaxBufferSize);
    if (b != bufferSize) t.fail("buffer_size", "must equal the options' buffer size");
    if (double(rows) * double(b) * 4 > double(kMaxSessionFileBytes))
        t.fail("buffer_size", "is too large for a session file");
    const std::vector<float> buf = t.floats("buffer", std::size_t(rows * b));
    st.buffer = Eigen::Map<const core::Matf>(buf.data(), rows, b);
    st.step = t.integer("step", 0, std::numeric_limits<std::int64_t>::max());
    st.phaseStart = t.integer("phase_start", 0, st.step);
    st.rngState = t.string("rng", 20000);
    core::Rng rng;
    std::istringstream is(st.rngState);
    is >> rng;
    if (is.fail()) t.fail("rng", "is not a random generator state");
}

} // namespace ebm::io::detail
