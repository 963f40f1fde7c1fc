// The model file (ebm::io): bit-exact round trip, validation of corrupt / truncated / inconsistent
// files with clear messages, and atomic writes.
#include <ebm/io/atomicfile.h>
#include <ebm/io/modelfile.h>

#include "filesizelimit.h"
#include "readonlyfolder.h"

#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

using namespace ebm;

namespace {
io::ModelFile makeRecord(std::vector<int> hidden = {16, 8}, std::uint64_t seed = 7) {
    core::MlpOptions o;
    o.hidden = std::move(hidden);
    core::Rng rng(seed);
    core::Mlp<float> mlp(o, rng);
    io::ModelFile m = io::ModelFile::fromMlp(mlp);
    m.target = "eight-gaussians";
    m.method = "nce";
    m.steps = 1234;
    m.logZEstimate = 1.0 / 3.0;
    m.params(0) = 0.5f; // a known first number for the corruption table
    return m;
}

bool sameBits(const core::Vecf& a, const core::Vecf& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), sizeof(float) * size_t(a.size())) == 0;
}

std::string replaceOnce(std::string s, const std::string& from, const std::string& to) {
    const auto p = s.find(from);
    if (p == std::string::npos) throw std::logic_error("test bug: '" + from + "' not in the JSON");
    return s.replace(p, from.size(), to);
}
} // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    // A disk that fills up during a save leaves the previous model file as it was, and no temporary.
    void aFullDiskLeavesThePreviousFile() {
        const io::ModelFile first = makeRecord({64, 64}, 1), second = makeRecord({64, 64}, 2);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.ebmmodel")).toStdString();
        io::saveModel(first, path);
        const auto size = std::filesystem::file_size(path);
        {
            test::FileSizeLimit full(size / 2);
            QVERIFY(full.ok());
            QVERIFY_THROWS_EXCEPTION(core::RuntimeError, io::saveModel(second, path));
        }
        QVERIFY(sameBits(io::loadModel(path).params, first.params));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("m.ebmmodel")});
    }

    // The same for a folder that cannot be written.
    void aReadOnlyFolderLeavesThePreviousFile() {
        const io::ModelFile first = makeRecord({64, 64}, 1), second = makeRecord({64, 64}, 2);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("m.ebmmodel")).toStdString();
        io::saveModel(first, path);
        {
            test::ReadOnlyFolder readOnly(dir.path());
            QVERIFY(readOnly.ok());
            QVERIFY_THROWS_EXCEPTION(core::RuntimeError, io::saveModel(second, path));
        }
        QVERIFY(sameBits(io::loadModel(path).params, first.params));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("m.ebmmodel")});
    }

    void roundTripIsBitExact() {
        io::ModelFile m = makeRecord();
        // Values whose shortest decimal form is delicate: denormals, extremes, negative zero.
        m.params(0) = std::numeric_limits<float>::denorm_min();
        m.params(1) = std::numeric_limits<float>::max();
        m.params(2) = std::numeric_limits<float>::min();
        m.params(3) = -0.0f;
        m.params(4) = 0.1f;
        m.params(5) = -3.4028232e38f;
        m.params(6) = 16777217.0f;
        m.params(7) = std::nextafter(1.0f, 2.0f);
        const std::string text = io::toJson(m);
        const io::ModelFile back = io::parseModelJson(text);
        QVERIFY(sameBits(m.params, back.params));
        QVERIFY(std::signbit(back.params(3)));
        QCOMPARE(back.architecture.hidden, m.architecture.hidden);
        QCOMPARE(back.architecture.inputDim, 2);
        QCOMPARE(back.architecture.activation, core::Activation::SiLU);
        QCOMPARE(back.logZEstimate, m.logZEstimate);
        QCOMPARE(back.target, m.target);
        QCOMPARE(back.method, m.method);
        QCOMPARE(back.steps, m.steps);
        // And through a file, twice (the second write replaces the first atomically).
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.json").toStdString();
        io::saveModel(makeRecord({4}), path);
        io::saveModel(m, path);
        const io::ModelFile fromFile = io::loadModel(path);
        QVERIFY(sameBits(m.params, fromFile.params));
        QCOMPARE(io::toJson(fromFile), text);
        // The network built from the file computes the same energies as the original.
        const io::ModelFile plain = makeRecord();
        const core::Mlp<float> a = plain.toMlp(), b = io::parseModelJson(io::toJson(plain)).toMlp();
        core::Matf X(2, 5);
        core::Rng rng(1);
        core::fillNormal(X, rng);
        QVERIFY((a.energy(X).array() == b.energy(X).array()).all());
    }

    void nullLogZEstimate() {
        io::ModelFile m = makeRecord();
        m.logZEstimate = std::numeric_limits<double>::quiet_NaN();
        const std::string text = io::toJson(m);
        QVERIFY(text.find("\"log_z_estimate\":null") != std::string::npos);
        QVERIFY(std::isnan(io::parseModelJson(text).logZEstimate));
    }

    void formatIsDocumented() {
        const std::string text = io::toJson(makeRecord());
        QVERIFY(text.rfind("{\"format\":\"ebmlab-model\",\"version\":1,", 0) == 0);
        for (const char* key :
             {"input_dim", "hidden", "activation", "params", "log_z_estimate", "target", "method", "steps"})
            QVERIFY2(text.find(std::string("\"") + key + "\":") != std::string::npos, key);
    }

    void rejectsBadFiles_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("message");
        QTest::newRow("not-json") << "{"
                                  << "["
                                  << "not valid JSON";
        QTest::newRow("nan-literal") << "\"params\":[0.5,"
                                     << "\"params\":[NaN,"
                                     << "not valid JSON";
        QTest::newRow("overflow") << "\"params\":[0.5,"
                                  << "\"params\":[1e400,"
                                  << "not valid JSON";
        QTest::newRow("beyond-float") << "\"params\":[0.5,"
                                      << "\"params\":[1e39,"
                                      << "parameter 0 is not a finite";
        QTest::newRow("string-param") << "\"params\":[0.5,"
                                      << "\"params\":[\"0.5\","
                                      << "parameter 0 is not a number";
        QTest::newRow("null-param") << "\"params\":[0.5,"
                                    << "\"params\":[null,"
                                    << "parameter 0 is not a number";
        QTest::newRow("extra-param") << "\"params\":[0.5,"
                                     << "\"params\":[0.5,0.5,"
                                     << "\"params\" has";
        QTest::newRow("missing-param") << "\"params\":[0.5,"
                                       << "\"params\":["
                                       << "\"params\" has";
        QTest::newRow("wrong-format") << "\"format\":\"ebmlab-model\""
                                      << "\"format\":\"other\""
                                      << "not an EBM Lab model";
        QTest::newRow("no-format") << "\"format\":\"ebmlab-model\","
                                   << ""
                                   << "missing field \"format\"";
        QTest::newRow("version-2") << "\"version\":1"
                                   << "\"version\":2"
                                   << "\"version\" 2 is not supported";
        QTest::newRow("version-string") << "\"version\":1"
                                        << "\"version\":\"1\""
                                        << "\"version\" must be an integer";
        QTest::newRow("dim-0") << "\"input_dim\":2"
                               << "\"input_dim\":0"
                               << "\"input_dim\" must be in";
        QTest::newRow("dim-huge") << "\"input_dim\":2"
                                  << "\"input_dim\":99999999999999999999"
                                  << "input_dim";
        QTest::newRow("hidden-empty") << "\"hidden\":[16,8]"
                                      << "\"hidden\":[]"
                                      << "\"hidden\" must be an array";
        QTest::newRow("hidden-zero") << "\"hidden\":[16,8]"
                                     << "\"hidden\":[16,0]"
                                     << "hidden width";
        QTest::newRow("hidden-float") << "\"hidden\":[16,8]"
                                      << "\"hidden\":[16,8.5]"
                                      << "hidden width";
        QTest::newRow("hidden-mismatch") << "\"hidden\":[16,8]"
                                         << "\"hidden\":[16,9]"
                                         << "needs";
        QTest::newRow("too-many-params") << "\"hidden\":[16,8]"
                                         << "\"hidden\":[4096,4096,4096]"
                                         << "too large";
        QTest::newRow("activation") << "\"activation\":\"silu\""
                                    << "\"activation\":\"relu\""
                                    << "unknown activation";
        QTest::newRow("params-not-array") << "\"params\":[0.5,"
                                          << "\"params\":0.5,\"x\":["
                                          << "\"params\" must be an array";
        QTest::newRow("not-object") << "{\"format\""
                                    << "[{\"format\""
                                    << "not valid JSON";
        QTest::newRow("logz-string") << "\"log_z_estimate\":0.3333333333333333"
                                     << "\"log_z_estimate\":\"x\""
                                     << "log_z_estimate";
        QTest::newRow("steps-negative") << "\"steps\":1234"
                                        << "\"steps\":-1"
                                        << "\"steps\" must be in";
        QTest::newRow("target-number") << "\"target\":\"eight-gaussians\""
                                       << "\"target\":3"
                                       << "\"target\" must be a string";
    }
    void rejectsBadFiles() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, message);
        const std::string text = replaceOnce(io::toJson(makeRecord()), from.toStdString(), to.toStdString());
        try {
            io::parseModelJson(text, "model file 'x.json'");
            QFAIL("accepted a bad model file");
        } catch (const std::exception& e) {
            const std::string what = e.what();
            QVERIFY2(dynamic_cast<const core::InvalidArgument*>(&e) ||
                         dynamic_cast<const core::RuntimeError*>(&e),
                     what.c_str());
            QVERIFY2(what.find(message.toStdString()) != std::string::npos, what.c_str());
            QVERIFY2(what.rfind("model file 'x.json'", 0) == 0, what.c_str());
            QVERIFY2(what.find('\n') == std::string::npos, what.c_str());
        }
    }

    void rejectsTruncatedFiles() {
        const std::string text = io::toJson(makeRecord());
        for (size_t len : {size_t(0), size_t(1), size_t(40), text.size() / 2, text.size() - 3})
            QVERIFY_THROWS_EXCEPTION(core::RuntimeError, io::parseModelJson(text.substr(0, len)));
    }

    void rejectsNonFiniteOnSave() {
        io::ModelFile m = makeRecord();
        m.params(2) = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, io::toJson(m));
        m = makeRecord();
        m.params.conservativeResize(m.params.size() - 1);
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, io::toJson(m));
    }

    void loadErrors() {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(core::RuntimeError,
                                 io::loadModel(dir.filePath("missing.json").toStdString()));
        QVERIFY_THROWS_EXCEPTION(core::RuntimeError, io::loadModel(dir.path().toStdString()));
    }

    void atomicWrites() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.csv").toStdString();
        io::writeFileAtomically(path, "a\n");
        io::writeFileAtomically(path, "b\n");
        {
            // An abandoned write leaves the old content and no temporary file.
            io::AtomicFile f(path);
            f.stream() << "partial";
        }
        std::ifstream in(path);
        std::string line;
        std::getline(in, line);
        QCOMPARE(line, std::string("b"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
        QVERIFY_THROWS_EXCEPTION(core::RuntimeError,
                                 io::writeFileAtomically(dir.filePath("no/such/dir.csv").toStdString(), "x"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 io::checkWritableLocation(dir.filePath("no/such/dir.csv").toStdString()));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, io::checkWritableLocation(dir.path().toStdString()));
        io::checkWritableLocation(path);
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_modelfile.moc"
