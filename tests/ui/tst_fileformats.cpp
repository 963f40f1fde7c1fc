// The file formats' corpus (tests/data/formats): one real file of every format and every version EBM Lab
// has written: 2D sessions, image sessions, 2D models, image models, drawings. Each must still be read, and
// the same file claiming a newer or an older version, or with a value edited out of range by hand, gives
// one message that names the field, changing nothing.
//
// When a format's version changes, add the new version's file to the corpus:
//   EBM_WRITE_FORMATS=tests/data/formats build/tests/ui/tst_fileformats writeCurrentVersions
// writes the current versions' files (named FORMAT-vN) there; keep the older ones.
#include "drawingfile.h"
#include "drawingsources.h"
#include "imagesession.h"
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <ebm/core/density.h>
#include <ebm/core/trainer.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/modelfile.h>
#include <ebm/io/session.h>
#include <functional>
#include <sstream>

using namespace ebm;

namespace {

const QString kCorpus = QStringLiteral(EBM_TEST_DATA "/formats");

/// Reads the file at path as its name says (session, image session, model, image model, drawing); throws the
/// loader's one message on a refusal. Returns a short description of what was read, for the checks.
QString load(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    const std::string p = path.toStdString();
    if (name.startsWith(QLatin1String("session-"))) {
        const io::SessionFile s = io::loadSession(p);
        return QStringLiteral("session %1 %2 step %3")
            .arg(QString::fromStdString(s.target), QString::fromStdString(s.trainer.options.method))
            .arg(s.trainer.step);
    }
    if (name.startsWith(QLatin1String("image-session-"))) {
        const io::ImageSessionFile s = io::loadImageSession(p);
        return QStringLiteral("image session %1 %2 step %3")
            .arg(QString::fromStdString(s.data), QString::fromStdString(s.trainer.options.method))
            .arg(s.trainer.step);
    }
    if (name.startsWith(QLatin1String("model-"))) {
        const io::ModelFile m = io::loadModel(p);
        return QStringLiteral("model %1 %2 step %3")
            .arg(QString::fromStdString(m.target), QString::fromStdString(m.method))
            .arg(m.steps);
    }
    if (name.startsWith(QLatin1String("image-model-"))) {
        const io::ImageModelFile m = io::loadImageModel(p);
        return QStringLiteral("image model %1 %2 step %3")
            .arg(QString::fromStdString(m.images), QString::fromStdString(m.method))
            .arg(m.steps);
    }
    if (name.startsWith(QLatin1String("drawing-"))) {
        const core::DensityDrawing d = ui::loadDrawing(path);
        return QStringLiteral("drawing %1 cells %2 gaussians").arg(d.cells()).arg(d.gaussians().size());
    }
    throw std::logic_error("no loader for " + p);
}

/// The corpus's files (the drawings' PNGs travel with their JSON).
QStringList corpusFiles() {
    QStringList files;
    for (const QString& f : QDir(kCorpus).entryList(QDir::Files, QDir::Name))
        if (!f.endsWith(QLatin1String(".png"))) files << f;
    return files;
}

/// A copy of corpus file `name` in dir with `edit` applied to its text (and the drawing's PNG beside it).
QString editedCopy(const QTemporaryDir& dir, const QString& name,
                   const std::function<QString(QString)>& edit) {
    QFile in(QDir(kCorpus).filePath(name));
    if (!in.open(QIODevice::ReadOnly)) return {};
    const QString text = edit(QString::fromUtf8(in.readAll()));
    const QString out = dir.filePath(name);
    QFile f(out);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
    f.write(text.toUtf8());
    f.close();
    if (name.startsWith(QLatin1String("drawing-"))) {
        const QString png = QFileInfo(name).completeBaseName() + QStringLiteral(".png");
        QFile::copy(QDir(kCorpus).filePath(png), dir.filePath(png));
    }
    return out;
}

QString messageOf(const QString& path) {
    try {
        load(path);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QString setVersion(const QString& text, int version) {
    QString t = text;
    t.replace(QRegularExpression(QStringLiteral("\"version\"\\s*:\\s*\\d+")),
              QStringLiteral("\"version\": %1").arg(version));
    return t;
}

int versionOf(const QString& name) {
    const auto m = QRegularExpression(QStringLiteral("-v(\\d+)\\.")).match(name);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class TestFileFormats : public QObject {
    Q_OBJECT
private slots:
    // Every format's current version is in the corpus (so the next version must keep reading it).
    void theCorpusHasEveryFormatsCurrentVersion() {
        const QStringList files = corpusFiles();
        for (const QString& f :
             {QStringLiteral("session-v%1.ebmlab").arg(io::kSessionVersion),
              QStringLiteral("image-session-v%1.ebmlab-images").arg(io::kImageSessionVersion),
              QStringLiteral("model-v%1.json").arg(io::kModelVersion), QStringLiteral("image-model-v1.json"),
              QStringLiteral("drawing-v1.json")})
            QVERIFY2(files.contains(f), qPrintable(f + QStringLiteral(" is missing from ") + kCorpus));
        QVERIFY(files.contains(QStringLiteral("session-v1.ebmlab"))); // the one earlier released version
    }

    void everyVersionIsRead_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const QMap<QString, QString> expected{
            {QStringLiteral("session-v1.ebmlab"), QStringLiteral("session two-moons cd step")},
            {QStringLiteral("session-v2.ebmlab"), QStringLiteral("session two-moons ssm step 30")},
            {QStringLiteral("image-session-v1.ebmlab-images"),
             QStringLiteral("image session digits cd step 3")},
            {QStringLiteral("model-v1.json"), QStringLiteral("model two-moons ssm step 30")},
            {QStringLiteral("image-model-v1.json"), QStringLiteral("image model digits cd step 3")},
            {QStringLiteral("drawing-v1.json"), QStringLiteral("drawing 16 cells 1 gaussians")}};
        for (const QString& f : corpusFiles())
            QTest::newRow(qPrintable(f)) << f << expected.value(f);
    }
    void everyVersionIsRead() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QVERIFY2(!expected.isEmpty(), qPrintable(file + QStringLiteral(": add what it holds to this test")));
        QString read;
        try {
            read = load(QDir(kCorpus).filePath(file));
        } catch (const std::exception& e) {
            QFAIL(e.what());
        }
        QVERIFY2(read.startsWith(expected), qPrintable(read));
    }

    // A file from a newer EBM Lab, or claiming a version older than any: one message naming "version".
    void newerAndOlderVersionsAreNamed_data() {
        QTest::addColumn<QString>("file");
        for (const QString& f : corpusFiles())
            QTest::newRow(qPrintable(f)) << f;
    }
    void newerAndOlderVersionsAreNamed() {
        QFETCH(QString, file);
        QTemporaryDir dir;
        // The newest version of this format that the corpus holds, plus one.
        int newest = 0;
        const QString stem = file.left(file.indexOf(QRegularExpression(QStringLiteral("-v\\d"))));
        for (const QString& f : corpusFiles())
            if (f.startsWith(stem + QStringLiteral("-v"))) newest = std::max(newest, versionOf(f));
        for (const int v : {newest + 1, 0}) {
            const QString path = editedCopy(dir, file, [v](const QString& t) { return setVersion(t, v); });
            const QString m = messageOf(path);
            QVERIFY2(m.contains(QLatin1String("version")) && m.contains(QString::number(v)) &&
                         m.contains(QLatin1String("not supported")),
                     qPrintable(QStringLiteral("version %1: \"%2\"").arg(v).arg(m)));
        }
    }

    // Values edited by hand beyond their range: the message names the field.
    void editedValuesNameTheField_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("replacement");
        QTest::addColumn<QString>("field");
        QTest::newRow("session learning rate") << "session-v2.ebmlab"
                                               << "\"learning_rate\":[^,]*"
                                               << "\"learning_rate\":-3"
                                               << "learning_rate";
        QTest::newRow("session particles") << "session-v2.ebmlab"
                                           << "\"count\":\\d+"
                                           << "\"count\":0"
                                           << "count";
        QTest::newRow("old session buffer") << "session-v1.ebmlab"
                                            << "\"buffer_size\":\\d+"
                                            << "\"buffer_size\":-5"
                                            << "buffer_size";
        QTest::newRow("image session size") << "image-session-v1.ebmlab-images"
                                            << "\"size\":\\d+"
                                            << "\"size\":100000"
                                            << "size";
        QTest::newRow("image session batch") << "image-session-v1.ebmlab-images"
                                             << "\"batch_size\":\\d+"
                                             << "\"batch_size\":0"
                                             << "batch_size";
        QTest::newRow("model input") << "model-v1.json"
                                     << "\"input_dim\":\\d+"
                                     << "\"input_dim\":1000"
                                     << "input_dim";
        QTest::newRow("image model width") << "image-model-v1.json"
                                           << "\"width\":\\d+"
                                           << "\"width\":0"
                                           << "width";
        QTest::newRow("drawing cells") << "drawing-v1.json"
                                       << "\"cells\":\\s*\\d+"
                                       << "\"cells\": 4"
                                       << "cells";
        QTest::newRow("drawing sigma") << "drawing-v1.json"
                                       << "\"sigma\":\\s*[0-9.e-]+"
                                       << "\"sigma\": -1"
                                       << "sigma";
    }
    void editedValuesNameTheField() {
        QFETCH(QString, file);
        QFETCH(QString, pattern);
        QFETCH(QString, replacement);
        QFETCH(QString, field);
        QTemporaryDir dir;
        bool edited = false;
        const QString path = editedCopy(dir, file, [&](QString t) {
            const QString before = t;
            t.replace(QRegularExpression(pattern), replacement);
            edited = t != before;
            return t;
        });
        QVERIFY2(edited, qPrintable(pattern + QStringLiteral(" is not in ") + file));
        const QString m = messageOf(path);
        QVERIFY2(m.contains(field), qPrintable(QStringLiteral("\"%1\" does not name %2").arg(m, field)));
        QCOMPARE(m.count(QLatin1Char('\n')), 0); // one message, one line
    }

    // What the corpus's current-version files are made of (and, with EBM_WRITE_FORMATS=DIR, where they are
    // written when a version changes): the real writers of each format, on small scenes.
    void writeCurrentVersions() {
        QTemporaryDir tmp;
        const QByteArray target = qgetenv("EBM_WRITE_FORMATS");
        const QDir out(target.isEmpty() ? tmp.path() : QString::fromLocal8Bit(target));
        // A 2D scene: two moons, sliced score matching, 30 steps of a 2-8-8-1 network.
        core::TrainerOptions o;
        o.method = "ssm";
        o.seed = 3;
        o.model.hidden = {8, 8};
        o.chains.bufferSize = 64;
        auto moons = std::shared_ptr<const core::TargetDensity>(core::makePreset("two-moons"));
        core::Trainer t(moons, o);
        for (int i = 0; i < 30; ++i)
            t.step();
        io::SessionFile s;
        s.trainer = t.state();
        s.target = "two-moons";
        s.particles = core::Matf::Constant(2, 16, 0.25f);
        std::ostringstream rng;
        rng << core::Rng(5);
        s.liveRngState = rng.str();
        s.view = core::Box{};
        s.history = {{10, 1.5, 0.4, 0, 0, 0.9, 0.8, 100}, {20, 1.2, 0.3, 0, 0, 0.9, 0.8, 110}};
        const QString session = out.filePath(QStringLiteral("session-v%1.ebmlab").arg(io::kSessionVersion));
        io::saveSession(s, session.toStdString());
        io::ModelFile m = io::ModelFile::fromMlp(t.model());
        m.target = "two-moons";
        m.method = "ssm";
        m.steps = t.state().step;
        const QString model = out.filePath(QStringLiteral("model-v%1.json").arg(io::kModelVersion));
        io::saveModel(m, model.toStdString());
        // An image scene: digits at 8 x 8, CD with a two-layer conv net of 4 channels, 3 steps.
        ui::ImageSettings is;
        is.size = 8;
        is.trainer.conv.layers = {{4, 1}, {4, 2}};
        is.trainer.chains.bufferSize = 16;
        ui::ImageSession images(is, io::loadImageData("digits", 8, 200, is.trainer.seed));
        images.requestSteps(3);
        for (int i = 0; i < 3; ++i)
            images.advance(false);
        const QString imageSession =
            out.filePath(QStringLiteral("image-session-v%1.ebmlab-images").arg(io::kImageSessionVersion));
        io::saveImageSession(images.sessionFile(), imageSession.toStdString());
        const QString imageModel = out.filePath(QStringLiteral("image-model-v1.json"));
        io::saveImageModel(images.modelFile(), imageModel.toStdString());
        // A drawing: a stroke and a Gaussian on 16 x 16 cells.
        core::DensityDrawing d(core::Box{}, 16);
        d.stroke(-2, -1, 2, 1.5, core::BrushOptions{});
        d.addGaussian({1.5, -2.0, 0.5, 1.0});
        const QString drawing = out.filePath(QStringLiteral("drawing-v1.json"));
        ui::saveDrawing(d, drawing);
        // Each reads back as the corpus's file of the same name does.
        for (const QString& f : {session, model, imageSession, imageModel, drawing}) {
            const QString name = QFileInfo(f).fileName();
            QCOMPARE(load(f), load(QDir(kCorpus).filePath(name)));
        }
    }
};

QTEST_MAIN(TestFileFormats)
#include "tst_fileformats.moc"
