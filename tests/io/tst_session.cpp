// The session file (ebm::io): a saved trainer continues bit-identically, every field survives the round
// trip, and damaged, truncated, wrong-version and hostile files (huge sizes, NaNs, wrong array lengths,
// deep nesting) are refused with one message naming the problem. The hostile table is mirrored in
// tests/fuzz/README.md, and the libFuzzer target (tests/fuzz) starts from the same kinds of files.
#include <ebm/core/digits.h>
#include <ebm/core/parallel.h>
#include <ebm/io/atomicfile.h>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/session.h>

#include "filesizelimit.h"
#include "readonlyfolder.h"

#include <QtTest>
#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace ebm;

namespace {
core::TrainerOptions smallOptions(const std::string& m) {
    core::TrainerOptions o;
    o.method = m;
    o.lrFloorFactor = 0.05f; // not the default, so a floor the file loses would show
    o.model.hidden = {16, 16};
    o.batchSize = 64;
    o.chains.steps = 5;
    o.chains.bufferSize = 256;
    o.seed = 11;
    return o;
}

// A session after a few steps of each method, with a drawing, particles and a history.
io::SessionFile makeSession(core::Trainer& t) {
    for (const char* m : {"cd", "nce", "ssm"}) {
        t.setMethod(m);
        for (int i = 0; i < 4; ++i)
            t.step();
    }
    io::SessionFile s;
    s.trainer = t.state();
    s.target = "two-moons";
    io::DrawingRecord d;
    d.cells = 16;
    d.paint = core::Matf::Zero(16, 16);
    d.paint(3, 5) = 1.0f;
    d.paint(4, 5) = 0.25f;
    d.gaussians.push_back({1.5, -0.5, 0.3, 0.8});
    s.drawing = d;
    s.live.kind = core::SamplerKind::Hmc;
    s.live.leapfrogSteps = 7;
    s.live.beta = 2.0f;
    s.particles = core::Matf::Random(2, 100);
    std::ostringstream rng;
    rng << core::Rng(99);
    s.liveRngState = rng.str();
    s.stepsPerSecond = 5;
    s.training = false;
    s.view = core::Box{-3, 2, -1.5, 2.5};
    s.display.source = 2;
    s.display.colorMap = 1;
    s.display.trails = false;
    s.history = {{1, 0.5, std::numeric_limits<double>::quiet_NaN(), 1.25, 0, 0.75, 1, 30},
                 {12, -0.25, 0.5, 1.5, 1.4, 0.5, 0.98, 31.5}};
    return s;
}

bool sameBits(const core::Matf& a, const core::Matf& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}

std::string replaceOnce(std::string s, const std::string& from, const std::string& to) {
    const auto p = s.find(from);
    if (p == std::string::npos) throw std::logic_error("test bug: '" + from + "' not in the JSON");
    return s.replace(p, from.size(), to);
}

// Replaces the value after the first "key": (up to the next ',' or '}').
std::string replaceValue(std::string s, const std::string& key, const std::string& value) {
    const std::string k = "\"" + key + "\":";
    const auto p = s.find(k);
    if (p == std::string::npos) throw std::logic_error("test bug: no " + key);
    const auto e = s.find_first_of(",}", p + k.size());
    return s.replace(p + k.size(), e - p - k.size(), value);
}

// FNV-1a 64 of the bytes of the floats.
std::uint64_t fnv1a(const core::Vecf& v) {
    std::uint64_t h = 1469598103934665603ull;
    const auto* b = reinterpret_cast<const unsigned char*>(v.data());
    for (std::size_t i = 0; i < sizeof(float) * std::size_t(v.size()); ++i) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

// The base64 text stored under "key": "…".
std::string base64Of(const std::string& json, const std::string& key) {
    const std::string k = "\"" + key + "\":\"";
    const auto p = json.find(k);
    if (p == std::string::npos) throw std::logic_error("test bug: no " + key);
    const auto e = json.find('"', p + k.size());
    return json.substr(p + k.size(), e - p - k.size());
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void init() { core::setThreadCount(2); }

    void roundTripContinuesBitIdentically() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer original(target, smallOptions("cd"));
        const io::SessionFile s = makeSession(original);
        const std::string text = io::toJson(s);
        const io::SessionFile back = io::parseSessionJson(text);

        // Everything comes back.
        QVERIFY(sameBits(back.trainer.theta, s.trainer.theta));
        QVERIFY(sameBits(back.trainer.buffer, s.trainer.buffer));
        QVERIFY(sameBits(back.trainer.optimizer.m, s.trainer.optimizer.m));
        QVERIFY(sameBits(back.trainer.optimizer.v, s.trainer.optimizer.v));
        QCOMPARE(back.trainer.optimizer.t, s.trainer.optimizer.t);
        QCOMPARE(back.trainer.step, s.trainer.step);
        QCOMPARE(back.trainer.phaseStart, s.trainer.phaseStart);
        QCOMPARE(back.trainer.rngState, s.trainer.rngState);
        QCOMPARE(back.trainer.logZEstimate, s.trainer.logZEstimate);
        QCOMPARE(back.trainer.options.method, std::string("ssm"));
        QCOMPARE(back.trainer.options.model.hidden, s.trainer.options.model.hidden);
        QCOMPARE(back.trainer.options.chains.steps, 5);
        QCOMPARE(back.trainer.options.chains.sampler.kind, s.trainer.options.chains.sampler.kind);
        QCOMPARE(back.trainer.options.chains.bufferSize, 256);
        QCOMPARE(back.trainer.options.chains.adaptToTarget, s.trainer.options.chains.adaptToTarget);
        QCOMPARE(back.trainer.options.lrFloorFactor, s.trainer.options.lrFloorFactor);
        QVERIFY(back.trainer.options.params == s.trainer.options.params); // every method's hyperparameters
        QCOMPARE(back.trainer.options.seed, std::uint64_t(11));
        QCOMPARE(back.target, std::string("two-moons"));
        QVERIFY(back.drawing && sameBits(back.drawing->paint, s.drawing->paint));
        QCOMPARE(back.drawing->gaussians.size(), size_t(1));
        QCOMPARE(back.drawing->gaussians[0].weight, 0.8);
        QCOMPARE(back.live.kind, core::SamplerKind::Hmc);
        QCOMPARE(back.live.leapfrogSteps, 7);
        QCOMPARE(back.live.beta, 2.0f);
        QVERIFY(sameBits(back.particles, s.particles));
        QCOMPARE(back.liveRngState, s.liveRngState);
        QCOMPARE(back.stepsPerSecond, 5);
        QCOMPARE(back.training, false);
        QCOMPARE(back.view.x0, -3.0);
        QCOMPARE(back.view.y1, 2.5);
        QCOMPARE(back.display.source, 2);
        QCOMPARE(back.display.colorMap, 1);
        QCOMPARE(back.display.trails, false);
        QCOMPARE(back.history.size(), size_t(2));
        QVERIFY(std::isnan(back.history[0].kl));
        QCOMPARE(back.history[1].step, std::int64_t(12));
        QCOMPARE(back.history[1].stepsPerSecond, 31.5);
        QCOMPARE(io::toJson(back), text); // a fixed point

        // The next 10 steps are the same bits as the original's.
        core::Trainer restored(target, smallOptions("cd"));
        restored.restore(back.trainer);
        for (int i = 0; i < 10; ++i) {
            const core::StepStats a = original.step(), b = restored.step();
            QCOMPARE(a.loss, b.loss);
        }
        QVERIFY(sameBits(original.model().params(), restored.model().params()));
        QVERIFY(sameBits(original.state().buffer, restored.state().buffer));
        QCOMPARE(original.state().rngState, restored.state().rngState);
        // The averaged parameters the window shows continue too (TrainerOptions::averageSteps).
        QCOMPARE(back.trainer.options.averageSteps, original.options().averageSteps);
        QVERIFY(back.trainer.averaged > 0);
        QVERIFY(sameBits(original.shownModel().params(), restored.shownModel().params()));
        QVERIFY(!sameBits(original.shownModel().params(), original.model().params()));
    }

    // Files written before the average existed show θ itself, as they did; their next step starts none.
    void olderFilesShowTheLastStep() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("sm"));
        const io::SessionFile s = makeSession(t);
        nlohmann::json j = nlohmann::json::parse(io::toJson(s));
        QVERIFY(j["trainer"].contains("average") && j["trainer"]["options"].contains("average_steps"));
        j["trainer"].erase("average");
        j["trainer"].erase("averaged");
        j["trainer"].erase("average_phase");
        j["trainer"]["options"].erase("average_steps");
        const io::SessionFile back = io::parseSessionJson(j.dump());
        QCOMPARE(back.trainer.options.averageSteps, 0);
        QCOMPARE(back.trainer.averaged, std::int64_t(0));
        core::Trainer r(target, smallOptions("sm"));
        r.restore(back.trainer);
        r.step();
        QVERIFY(sameBits(r.shownModel().params(), r.model().params()));
    }

    // Every registered 2D method (a method registered later too): 8 steps, save, reopen, and the next 8 steps
    // of the reopened trainer are the original's bits (parameters, optimiser, replay buffer, generator, c).
    void everyMethodContinuesBitIdentically() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("eight-gaussians"));
        for (const std::string& name : core::objectiveNames(core::ModelKind::Plane)) {
            core::TrainerOptions o = smallOptions(name);
            o.method = name;
            core::Trainer original(target, o);
            io::SessionFile s = makeSession(original); // 12 steps of cd, nce and ssm first
            original.setMethod(name);
            for (int i = 0; i < 8; ++i)
                original.step();
            s.trainer = original.state();
            const io::SessionFile back = io::parseSessionJson(io::toJson(s));
            QCOMPARE(back.trainer.options.method, name);
            core::Trainer restored(target, back.trainer.options);
            restored.restore(back.trainer);
            for (int i = 0; i < 8; ++i) {
                const core::StepStats a = original.step(), b = restored.step();
                QVERIFY2(a.loss == b.loss, name.c_str());
            }
            const core::TrainerState x = original.state(), y = restored.state();
            QVERIFY2(sameBits(x.theta, y.theta) && sameBits(x.buffer, y.buffer) &&
                         sameBits(x.optimizer.m, y.optimizer.m) && sameBits(x.optimizer.v, y.optimizer.v) &&
                         x.rngState == y.rngState && x.logZEstimate == y.logZEstimate,
                     name.c_str());
        }
    }

    void version1FileContinuesAsTheOldCodeDid() {
        // tests/data/formats/session-v1.ebmlab was written by the code before the objective registry (version
        // 1: fixed "cd"/"sm"/"nce" records). Its options map onto the chains and the methods' schemas, and
        // continuing it gives the parameter hashes that code recorded.
        const io::SessionFile s = io::loadSession(EBM_TEST_DATA "/formats/session-v1.ebmlab");
        const core::TrainerOptions& o = s.trainer.options;
        QCOMPARE(o.method, std::string("cd"));
        QCOMPARE(s.target, std::string("two-moons"));
        QCOMPARE(o.seed, std::uint64_t(7));
        QCOMPARE(o.model.hidden, (std::vector<int>{16, 16}));
        QCOMPARE(o.batchSize, core::Index(64));
        QCOMPARE(o.chains.steps, 5);
        QCOMPARE(o.chains.sampler.kind, core::SamplerKind::Mala);
        QCOMPARE(o.chains.bufferSize, 256);
        QCOMPARE(o.params.of("cd").real("energy_reg"), 0.05f);
        QCOMPARE(o.params.get("cd", core::kLearningRateScaleKey), 2.0);
        QCOMPARE(o.params.get("ssm", "slices"), 2.0);
        QCOMPARE(o.params.get("ssm", "projection"), 1.0); // gaussian (not Rademacher)
        QCOMPARE(o.params.of("dsm").real("sigma"), 0.2f);
        QCOMPARE(o.params.get("nce", "noise"), 1.0); // uniform
        QCOMPARE(o.params.get("nce", "noise_ratio"), 2.0);
        // Written before the chains were fitted to the target and before the learning rate's floor: it
        // trains on as it did (chains as set, the rate held at the final factor).
        QVERIFY(!o.chains.adaptToTarget);
        QCOMPARE(o.lrFloorFactor, o.lrFinalFactor);

        core::setThreadCount(2);
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, o);
        t.restore(s.trainer);
        // The sums of θ after 20 more steps that the old code reached (e30231c, portable build: hashes
        // 0x417b99242e06a472, 0x2ec05c7c7e00d088, 0xd777c3da8bfc7bd4), within what rounding in other kernels
        // or vector units moves them; the same binary continues bit for bit
        // (everyMethodContinuesBitIdentically).
        const std::pair<const char*, double> expected[] = {
            {"cd", 7.37019491}, {"ssm", 2.23902893}, {"nce", 3.21876216}};
        for (const auto& [m, sum] : expected) {
            core::Trainer c = t;
            c.setMethod(m);
            for (int i = 0; i < 20; ++i)
                c.step();
            const double got = c.model().params().sum();
            qInfo("%s: sum θ %.9g (recorded %.9g), hash 0x%016llx", m, got, sum,
                  (unsigned long long)fnv1a(c.model().params()));
            QVERIFY2(std::abs(got - sum) <= 1e-4 * std::max(std::abs(sum), 10.0), m);
        }
    }

    void imageSessionContinuesBitIdentically() {
        core::DigitOptions dopt;
        dopt.count = 200;
        dopt.size = 8;
        const auto data = std::make_shared<const core::ImageSet>(core::makeDigits(dopt));
        core::ImageTrainerOptions o;
        o.model = core::ImageModelKind::Mlp;
        o.mlp.hidden = {32, 32};
        o.batchSize = 16;
        o.chains.langevin.steps = 3;
        o.chains.bufferSize = 64;
        o.params.set("cd", "energy_reg", 0.2);
        core::ImageTrainer original(data, o);
        for (const char* m : {"cd", "dsm", "nce", "cd"}) {
            original.setMethod(m);
            for (int i = 0; i < 3; ++i)
                original.step();
        }
        io::ImageSessionFile s;
        s.size = 8;
        s.trainer = original.state();
        core::ImageLangevinOptions slow;
        slow.steps = 40;
        s.samplers["nce"] = slow;
        s.training = false;
        s.chains = core::Matf::Random(64, 5).cwiseAbs();
        std::ostringstream rng;
        rng << core::Rng(5);
        s.liveRngState = rng.str();

        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("a.ebmlab-images")).toStdString();
        io::saveImageSession(s, path);
        const io::ImageSessionFile back = io::loadImageSession(path);
        QCOMPARE(back.data, std::string("digits"));
        QCOMPARE(back.size, 8);
        QCOMPARE(back.trainer.options.method, std::string("cd"));
        QVERIFY(back.trainer.options.params == s.trainer.options.params);
        QCOMPARE(back.trainer.options.params.of("cd").real("energy_reg"), 0.2f);
        QCOMPARE(back.samplers.at("nce").steps, 40);
        QCOMPARE(back.training, false);
        QVERIFY(sameBits(back.chains, s.chains));
        QCOMPARE(back.liveRngState, s.liveRngState);
        QCOMPARE(io::toJson(back), io::toJson(s));

        core::ImageTrainer restored(data, core::ImageTrainerOptions{});
        restored.restore(back.trainer);
        for (int i = 0; i < 10; ++i) {
            const core::StepStats a = original.step(), b = restored.step();
            QCOMPARE(a.loss, b.loss);
        }
        QVERIFY(sameBits(original.model().parameters(), restored.model().parameters()));
        QVERIFY(sameBits(original.buffer(), restored.buffer()));
        QCOMPARE(original.stepCount(), restored.stepCount());

        // A damaged method field is refused with one message naming it.
        const std::string good = io::toJson(s);
        for (const auto& [bad, field] :
             {std::pair{replaceOnce(good, "\"method\":\"cd\"", "\"method\":\"sm\""), "method"},
              std::pair{replaceValue(good, "energy_reg", "-1"), "methods.cd.energy_reg"},
              std::pair{replaceOnce(good, "\"energy_reg\":", "\"bogus\":1,\"energy_reg\":"), "bogus"}}) {
            try {
                (void)io::parseImageSessionJson(bad, "image session 'x'");
                QFAIL("a damaged image session was accepted");
            } catch (const core::InvalidArgument& e) {
                QVERIFY2(QString(e.what()).contains(field), e.what());
                QVERIFY(!QString(e.what()).contains('\n'));
            }
        }
    }

    void everyDisplayLayerSurvivesUnderItsKey() {
        // The layers are read and written from one table (io::kDisplayLayers); their file keys are the
        // ones older files hold, and each layer turned off alone comes back off, the others on.
        const QStringList fileKeys{"landscape", "contours", "vector_field", "particles",
                                   "trails",    "data",     "method_view"};
        QCOMPARE(int(io::kDisplayLayers.size()), fileKeys.size());
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("cd"));
        io::SessionFile s = makeSession(t);
        for (std::size_t i = 0; i < io::kDisplayLayers.size(); ++i) {
            const io::DisplayLayerKey& k = io::kDisplayLayers[i];
            QCOMPARE(QString::fromLatin1(k.fileKey), fileKeys[int(i)]);
            s.display = {};
            s.display.*k.member = false;
            const std::string text = io::toJson(s);
            QVERIFY2(text.find("\"" + std::string(k.fileKey) + "\":false") != std::string::npos, k.fileKey);
            const io::SessionFile back = io::parseSessionJson(text);
            for (const io::DisplayLayerKey& other : io::kDisplayLayers)
                QCOMPARE(back.display.*other.member, other.member != k.member);
        }
    }

    void speedOfOlderFilesIsAsFastAsPossible() {
        // Files written while the speed was "steps per frame" hold run.steps_per_chunk: they open, at the
        // speed that replaced it as the default.
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("cd"));
        const std::string text = io::toJson(makeSession(t));
        const std::string old = replaceOnce(text, "\"steps_per_second\":5", "\"steps_per_chunk\":7");
        QVERIFY(old != text);
        QCOMPARE(io::parseSessionJson(old, "old.ebmlab").stepsPerSecond, 0);
    }

    void savedAtomically() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("nce"));
        const io::SessionFile s = makeSession(t);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("a.ebmlab")).toStdString();
        io::saveSession(s, path);
        const io::SessionFile back = io::loadSession(path);
        QVERIFY(sameBits(back.trainer.theta, s.trainer.theta));
        // A failing save (an inconsistent record) leaves the good file as it was, and no temporary.
        io::SessionFile bad = s;
        bad.trainer.theta(0) = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, io::saveSession(bad, path));
        QVERIFY(sameBits(io::loadSession(path).trainer.theta, s.trainer.theta));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
        // An unwritable place: an error, nothing written.
        QVERIFY_THROWS_EXCEPTION(
            core::RuntimeError,
            io::saveSession(s, dir.filePath(QStringLiteral("no/dir/x.ebmlab")).toStdString()));
    }

    // A disk that fills up during a save: the error says so, the previous file is as it was, and no
    // temporary file is left beside it.
    void aFullDiskLeavesThePreviousFile() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("cd"));
        const io::SessionFile first = makeSession(t);
        t.step();
        const io::SessionFile second = makeSession(t);
        QVERIFY(!sameBits(first.trainer.theta, second.trainer.theta));
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("a.ebmlab")).toStdString();
        io::saveSession(first, path);
        const auto size = std::filesystem::file_size(path);
        QVERIFY(size > 4096);
        {
            test::FileSizeLimit full(size / 2);
            QVERIFY(full.ok());
            try {
                io::saveSession(second, path);
                QFAIL("a save past the space left succeeded");
            } catch (const core::RuntimeError& e) {
                QVERIFY2(std::strstr(e.what(), "disk full") != nullptr, e.what());
            }
        }
        QVERIFY(sameBits(io::loadSession(path).trainer.theta, first.trainer.theta));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("a.ebmlab")});
        // With room again, the same save goes through.
        io::saveSession(second, path);
        QVERIFY(sameBits(io::loadSession(path).trainer.theta, second.trainer.theta));
    }

    // A folder that cannot be written (a read-only medium, someone else's folder): the error names the
    // folder, the previous file is as it was, nothing is left beside it.
    void aReadOnlyFolderLeavesThePreviousFile() {
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("cd"));
        const io::SessionFile first = makeSession(t);
        t.step();
        const io::SessionFile second = makeSession(t);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("a.ebmlab")).toStdString();
        io::saveSession(first, path);
        {
            test::ReadOnlyFolder readOnly(dir.path());
            QVERIFY(readOnly.ok());
            try {
                io::saveSession(second, path);
                QFAIL("a save into a read-only folder succeeded");
            } catch (const core::RuntimeError& e) {
                QVERIFY2(std::strstr(e.what(), "is not writable") != nullptr, e.what());
            }
            QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, io::checkWritableLocation(path));
        }
        QVERIFY(sameBits(io::loadSession(path).trainer.theta, first.trainer.theta));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("a.ebmlab")});
    }

    void hostileFilesAreRefused_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("fragment");
        // kind: how the valid file is damaged; fragment: what the message must say.
        const std::pair<const char*, const char*> rows[] = {
            {"empty", "not valid JSON"},
            {"truncated", "not valid JSON"},
            {"binary garbage", "not valid JSON"},
            {"not an object", "must be a JSON object"},
            {"wrong format", "not an EBM Lab session"},
            {"wrong version", "not supported"},
            {"unknown target", "unknown"},
            {"drawing target without drawing", "\"drawing\" is missing"},
            {"deep nesting", "nested more than"},
            {"huge buffer size", "trainer.options.chains.buffer_size"},
            {"unknown method", "trainer.options.method"},
            {"unknown method in methods", "trainer.options.methods.mle"},
            {"unknown hyperparameter", "bogus"},
            {"hyperparameter out of range", "trainer.options.methods.dsm.draws"},
            {"hyperparameter of the wrong type", "trainer.options.methods.ssm.variance_reduced"},
            {"huge particle count", "live.count"},
            {"huge drawing", "drawing.cells"},
            {"huge network", "options.model"},
            {"huge batch", "batch_size"},
            {"theta too short", "trainer.theta"},
            {"theta not base64", "trainer.theta"},
            {"NaN parameter", "non-finite"},
            {"learning rate beyond float", "learning_rate"},
            {"negative step", "trainer.step"},
            {"phase after step", "phase_start"},
            {"bad generator state", "trainer.rng"},
            {"wrong type", "must be an integer"},
            {"buffer size mismatch", "buffer_size"},
            {"paint out of range", "drawing.paint"},
            {"history count mismatch", "history.step"},
            {"infinite history value", "history.loss"},
            {"too many gaussians", "drawing.gaussians"},
            {"speed out of range", "run.steps_per_second"},
            {"old speed out of range", "run.steps_per_chunk"},
        };
        for (const auto& [k, f] : rows)
            QTest::newRow(k) << QString::fromLatin1(k) << QString::fromLatin1(f);
    }

    void hostileFilesAreRefused() {
        QFETCH(QString, kind);
        QFETCH(QString, fragment);
        auto target = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(target, smallOptions("cd"));
        const std::string good = io::toJson(makeSession(t));
        const std::string k = kind.toStdString();
        std::string bad;
        if (k == "empty")
            bad = "";
        else if (k == "truncated")
            bad = good.substr(0, good.size() / 2);
        else if (k == "binary garbage")
            bad = std::string("\x89PNG\r\n\x1a\n\0\0\0", 11);
        else if (k == "not an object")
            bad = "[1, 2, 3]";
        else if (k == "wrong format")
            bad = replaceOnce(good, "ebmlab-session", "ebmlab-model");
        else if (k == "wrong version")
            bad = replaceOnce(good, "\"version\":2", "\"version\":7");
        else if (k == "unknown target")
            bad = replaceOnce(good, "\"target\":\"two-moons\"", "\"target\":\"nope\"");
        else if (k == "drawing target without drawing")
            bad = replaceOnce(replaceOnce(good, "\"target\":\"two-moons\"", "\"target\":\"drawing\""),
                              "\"drawing\":{", "\"sketch\":{");
        else if (k == "deep nesting")
            bad = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
        else if (k == "huge buffer size")
            bad = replaceOnce(good, "\"buffer_size\":256", "\"buffer_size\":1099511627776");
        else if (k == "unknown method")
            bad = replaceOnce(good, "\"method\":\"ssm\"", "\"method\":\"mle\"");
        else if (k == "unknown method in methods")
            bad = replaceOnce(good, "\"methods\":{", "\"methods\":{\"mle\":{},");
        else if (k == "unknown hyperparameter")
            bad = replaceOnce(good, "\"draws\":", "\"bogus\":1,\"draws\":");
        else if (k == "hyperparameter out of range")
            bad = replaceValue(good, "draws", "100000");
        else if (k == "hyperparameter of the wrong type")
            bad = replaceValue(good, "variance_reduced", "\"yes\"");
        else if (k == "huge particle count")
            bad = replaceOnce(good, "\"count\":100", "\"count\":1000000000");
        else if (k == "huge drawing")
            bad = replaceOnce(good, "\"cells\":16", "\"cells\":1000000");
        else if (k == "huge network")
            bad = replaceOnce(good, "\"hidden\":[16,16]", "\"hidden\":[4096,4096,4096,4096,4096]");
        else if (k == "huge batch")
            bad = replaceOnce(good, "\"batch_size\":64", "\"batch_size\":1000000");
        else if (k == "theta too short") {
            const std::string b = base64Of(good, "theta");
            bad = replaceOnce(good, b, b.substr(0, b.size() - 8));
        } else if (k == "theta not base64") {
            const std::string b = base64Of(good, "theta");
            bad = replaceOnce(good, b, "!!" + b.substr(2));
        } else if (k == "NaN parameter") {
            const std::string b = base64Of(good, "theta");
            // Three quiet NaNs (00 00 c0 7f, 12 bytes = 16 base64 characters) over the first parameters.
            bad = replaceOnce(good, b, std::string("AADAfwAAwH8AAMB/") + b.substr(16));
        } else if (k == "learning rate beyond float")
            bad = replaceOnce(good, "\"learning_rate\":", "\"learning_rate\":1e39,\"x\":");
        else if (k == "negative step")
            bad = replaceOnce(good, "\"step\":12,", "\"step\":-5,");
        else if (k == "phase after step")
            bad = replaceOnce(good, "\"phase_start\":", "\"phase_start\":999999,\"y\":");
        else if (k == "bad generator state")
            bad = replaceOnce(good, "\"rng\":\"", "\"rng\":\"x ");
        else if (k == "wrong type")
            bad = replaceOnce(good, "\"steps_per_second\":5", "\"steps_per_second\":\"5\"");
        else if (k == "speed out of range")
            bad = replaceOnce(good, "\"steps_per_second\":5", "\"steps_per_second\":-3");
        else if (k == "old speed out of range")
            bad = replaceOnce(good, "\"steps_per_second\":5", "\"steps_per_chunk\":0");
        else if (k == "buffer size mismatch")
            bad = replaceOnce(good, "\"buffer_size\":256,\"buffer\"", "\"buffer_size\":128,\"buffer\"");
        else if (k == "paint out of range") {
            const std::string b = base64Of(good, "paint");
            bad = replaceOnce(good, b, std::string("AAAAQAAAAEAAAABA") + b.substr(16)); // 2.0f x 3
        } else if (k == "history count mismatch")
            bad = replaceOnce(good, "\"count\":2,", "\"count\":3,");
        else if (k == "infinite history value") {
            const std::string b = base64Of(good, "loss");
            bad = replaceOnce(good, "\"loss\":\"" + b, "\"loss\":\"AACAfwAAgH8=");
        } else if (k == "too many gaussians") {
            std::string many = "\"gaussians\":[";
            for (int i = 0; i < 1001; ++i)
                many += std::string(i ? "," : "") + "{\"x\":0,\"y\":0,\"sigma\":1,\"weight\":1}";
            bad = replaceOnce(good, "\"gaussians\":[", many + ",");
        }
        QVERIFY2(bad != good && (k == "empty" || !bad.empty()), "test bug: no damage");
        try {
            (void)io::parseSessionJson(bad, "session file 'x.ebmlab'");
            QFAIL("a damaged file was accepted");
        } catch (const core::InvalidArgument& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(fragment), e.what());
            QVERIFY2(QString::fromStdString(e.what()).startsWith(QLatin1String("session file 'x.ebmlab'")),
                     e.what());
            QVERIFY(!QString::fromStdString(e.what()).contains('\n'));
        } catch (const core::RuntimeError& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(fragment), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
