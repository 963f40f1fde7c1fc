// The image mode: the real ImageWindow under Xvfb, driven like a user would (clicks, drags, combo
// boxes). A live run on the embedded digits fills the grids, histogram and charts; the method switches
// without a reset; clicking a chain follows it; a saved model opens; clamped Langevin repairs an erased
// region and a noisy image; the energy ranking puts noise above data; grids and chains export; bad files
// change nothing; an image session saves and reopens. A small MLP keeps the steps fast on a 2-core machine.
#include "chainanimation.h"
#include "chainwatch.h"
#include "chartgrid.h"
#include "energyhistogram.h"
#include "imagecontrols.h"
#include "imagegrid.h"
#include "imagewindow.h"
#include "imagewindowtesthelpers.h"
#include "imageworker.h"
#include "mainwindow.h"
#include "paramform.h"
#include "refusedwrites.h"
#include "repairpanel.h"
#include "uitesthelpers.h"
#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <cmath>
#include <ebm/core/digits.h>
#include <ebm/core/imagetrainer.h>
#include <ebm/core/objective.h>
#include <ebm/core/parallel.h>
#include <ebm/io/idx.h>
#include <ebm/io/imagedata.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/png.h>

using namespace ebm;
using namespace ebm::ui;
using ebm::ui::test::onWorker;
using ebm::ui::test::openImageWindow;
using ebm::ui::test::start;

namespace {
/// CD's Langevin step λ: the default image sampler.
const float kCdStep = core::ImageLangevinOptions{}.stepSize;
ImageSettings fastSettings() {
    ImageSettings s;
    s.trainer.model = core::ImageModelKind::Mlp;
    s.trainer.mlp.hidden = {64, 64};
    s.trainer.batchSize = 32;
    s.trainer.chains.langevin.steps = 5;
    s.trainer.chains.bufferSize = 1000;
    return s;
}

// Answers the next question box with `button` as soon as it is up; the flag says whether one came.
std::shared_ptr<bool> answerNextQuestion(QMessageBox::StandardButton button) {
    auto asked = std::make_shared<bool>(false);
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button, asked] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            *asked = true;
            box->button(button)->click();
            timer->deleteLater();
        }
    });
    timer->start();
    return asked;
}

} // namespace

/// The first argument of a worker's signal, received on the GUI thread. (QSignalSpy appends on the thread
/// that emits, the worker's, racing the test's reads.)
struct QueuedMessages {
    QStringList list;
    template <class Sender, class Signal> QueuedMessages(Sender* sender, Signal signal, QObject* guiObject) {
        QObject::connect(
            sender, signal, guiObject, [this](const QString& m) { list << m; }, Qt::QueuedConnection);
    }
    QueuedMessages(const QueuedMessages&) = delete;
    QueuedMessages& operator=(const QueuedMessages&) = delete;
};

class TestImageWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model; ///< a small MLP trained on the digits with CD, saved like ebmlab-cli does

    QString shotDir() const { return qEnvironmentVariable("EBM_SCREENSHOT_DIR"); }
    void shot(QWidget& w, const QString& name) {
        if (!shotDir().isEmpty()) QVERIFY(w.grab().save(shotDir() + QLatin1Char('/') + name));
    }

private slots:
    void initTestCase() {
        core::setThreadCount(2);
        // A model that knows the digits a little, trained here in a few seconds: CD on a small MLP.
        const io::ImageData d = io::loadImageData("digits", 16, 2000, 1);
        core::ImageTrainerOptions o = fastSettings().trainer;
        o.batchSize = 64;
        o.chains.langevin.steps = 10;
        core::ImageTrainer t(d.train, o);
        for (int i = 0; i < 400; ++i)
            t.step();
        io::ImageModelFile f;
        f.model = t.model().clone();
        f.width = f.height = 16;
        f.images = "digits";
        f.method = "cd";
        f.steps = t.stepCount();
        m_model = m_dir.filePath(QStringLiteral("digits-dsm.json"));
        io::saveImageModel(f, m_model.toStdString());
    }

    void trainsLiveOnDigits() {
        ImageWindow w(start(fastSettings()));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 20, 60000);
        const ImageSnapshotPtr a = w.lastSnapshot();
        QCOMPARE(a->width, 16);
        QCOMPARE(a->chains.rows(), 256);
        QCOMPARE(a->chains.cols(), 32); // CD's negatives: one batch
        QVERIFY(a->chainsAreNegatives);
        QVERIFY(a->chains.minCoeff() >= 0.0f && a->chains.maxCoeff() <= 1.0f);
        // The data grid holds the first training images, exactly.
        core::DigitOptions digits;
        digits.count = 64;
        const core::ImageSet first = core::makeDigits(digits);
        QCOMPARE(w.grid(ImageWindow::Data)->images().cols(), 64);
        QVERIFY(w.grid(ImageWindow::Data)->images() == first.pixels);
        QVERIFY(w.grid(ImageWindow::Chains)->images() == a->chains);
        // The histogram counts every probe image, and held-out data sit below uniform noise after 20 steps.
        int counts[3] = {0, 0, 0};
        for (int k = 0; k < 3; ++k)
            for (int c : w.histogram()->counts(k))
                counts[k] += c;
        QCOMPARE(counts[0], ImageSettings::kProbeImages);
        QCOMPARE(counts[1], 32);
        QCOMPARE(counts[2], ImageSettings::kProbeImages);
        QVERIFY2(
            w.histogram()->mean(0) < w.histogram()->mean(2),
            qPrintable(
                QStringLiteral("data %1, noise %2").arg(w.histogram()->mean(0)).arg(w.histogram()->mean(2))));
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->pointCount(ImageWindow::Loss) >= 3, 30000);
        QVERIFY(w.charts()->pointCount(ImageWindow::MeanEnergy, 2) >= 3);
        // The chains move from step to step.
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->step > a->step + 2, 30000);
        QVERIFY((w.lastSnapshot()->chains - a->chains).cwiseAbs().maxCoeff() > 0.01f);
        // Pause: the step count stops.
        w.setPlaying(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot()->playing, 10000);
        const std::int64_t paused = w.lastSnapshot()->step;
        QTest::qWait(500);
        QCOMPARE(onWorker<std::int64_t>(w, [](ImageSession& s) { return s.trainer().stepCount(); }), paused);
        // A single step (S) while paused.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_S);
        QTRY_COMPARE_WITH_TIMEOUT(w.lastSnapshot()->step, paused + 1, 10000);
    }

    void savesAndOpensSessions() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("scene.ebmlab-images"));
        const QString bad = dir.filePath(QStringLiteral("bad.ebmlab-images"));
        ImageWindow w(start(fastSettings()));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 5, 60000);
        // File ▸ Save session… and Open session…, with their keys.
        auto* save = w.findChild<QAction*>(QStringLiteral("saveImageSession"));
        auto* open = w.findChild<QAction*>(QStringLiteral("openImageSession"));
        QVERIFY(save && open);
        QCOMPARE(save->shortcut(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
        QCOMPARE(open->shortcut(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
        QVERIFY(!save->toolTip().isEmpty() && !open->toolTip().isEmpty());

        // A damaged file: one message, and the scene trains on as it was.
        {
            QFile f(bad);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"format\": \"ebmlab-image-session\", \"version\": 1, \"trainer\": [");
        }
        const ImageSettings before = w.controls()->settings();
        const std::int64_t stepBefore = w.lastSnapshot()->step;
        QVERIFY(!w.openSession(bad));
        QVERIFY(w.lastError().contains(bad));
        QCOMPARE(w.findChildren<QMessageBox*>().size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->step > stepBefore + 2, 30000);
        QCOMPARE(w.controls()->settings().trainer.method, before.trainer.method);
        QCOMPARE(w.controls()->settings().data, before.data);
        qDeleteAll(w.findChildren<QMessageBox*>());

        // Saved while paused, reopened after a switch to denoising score matching and more steps: the
        // method, its sampler and the step come back.
        w.setPlaying(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot()->playing, 20000);
        bool done = false, ok = false;
        w.saveSession(path, [&](bool k) { done = true, ok = k; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QVERIFY(ok);
        const io::ImageSessionFile saved = io::loadImageSession(path.toStdString());
        QCOMPARE(saved.trainer.options.method, before.trainer.method);
        QCOMPARE(saved.trainer.step, w.lastSnapshot()->step);
        QVERIFY(!w.hasUnsavedChanges());
        w.setMethod("dsm");
        w.setPlaying(true);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.lastSnapshot()->method == "dsm" && w.lastSnapshot()->step > saved.trainer.step + 3, 30000);
        QSignalSpy opened(&w, &ImageWindow::sessionOpened);
        QVERIFY(w.openSession(path));
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
        QCOMPARE(w.controls()->settings().trainer.method, saved.trainer.options.method);
        QCOMPARE(w.controls()->settings().trainer.chains.langevin.stepSize,
                 saved.trainer.options.chains.langevin.stepSize);
        QVERIFY(!w.isTraining()); // saved while paused
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->step == saved.trainer.step &&
                                     w.lastSnapshot()->method == saved.trainer.options.method,
                                 30000);
        QCOMPARE(w.findChildren<QMessageBox*>().size(), 0);
    }

    // A disk that fills up, or a folder that cannot be written, while the image window saves: the session,
    // the model and the autosave each say why, the files keep what they had, a failing autosave is
    // reported once, and training goes on.
    void aRefusedSaveLosesNothing_data() {
        QTest::addColumn<ebm::test::Refusal>("refusal");
        QTest::newRow("disk full") << ebm::test::Refusal::DiskFull;
        QTest::newRow("read-only folder") << ebm::test::Refusal::ReadOnlyFolder;
    }
    void aRefusedSaveLosesNothing() {
        QFETCH(ebm::test::Refusal, refusal);
        const QLatin1String says(ebm::test::RefusedWrites::says(refusal));
        QTemporaryDir dir;
        const QString session = dir.filePath(QStringLiteral("scene.ebmlab-images"));
        const QString model = dir.filePath(QStringLiteral("model.json"));
        ImageWindow w(start(fastSettings()));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 3, 60000);
        const auto save = [&](auto&& saver, const QString& path) {
            bool done = false, ok = false;
            saver(path, [&](bool k) { done = true, ok = k; });
            if (!QTest::qWaitFor([&] { return done; }, 60000)) qFatal("the save did not finish");
            return ok;
        };
        const auto saveSession = [&](const QString& p, std::function<void(bool)> f) { w.saveSession(p, f); };
        const auto saveModel = [&](const QString& p, std::function<void(bool)> f) { w.saveModel(p, f); };
        QVERIFY(save(saveSession, session));
        QVERIFY(save(saveModel, model));
        QFile sf(session), mf(model);
        QVERIFY(sf.open(QIODevice::ReadOnly) && mf.open(QIODevice::ReadOnly));
        const QByteArray sessionBefore = sf.readAll(), modelBefore = mf.readAll();
        QSignalSpy autosaveFailed(&w, &ImageWindow::autosaveFailed);
        {
            ebm::test::RefusedWrites refused(refusal, dir.path(), rlim_t(mf.size() / 2));
            QVERIFY(refused.ok());
            QVERIFY(!save(saveSession, session));
            QVERIFY2(w.lastError().contains(says), qPrintable(w.lastError()));
            QVERIFY(!save(saveModel, model));
            QVERIFY2(w.lastError().contains(says), qPrintable(w.lastError()));
            for (int i = 0; i < 3; ++i) {
                bool done = false;
                w.autosaveNow([&](bool, const QString&) { done = true; });
                QTRY_VERIFY_WITH_TIMEOUT(done, 60000);
            }
            QCOMPARE(autosaveFailed.count(), 1);
        }
        QFile sa(session), ma(model);
        QVERIFY(sa.open(QIODevice::ReadOnly) && ma.open(QIODevice::ReadOnly));
        QVERIFY(sa.readAll() == sessionBefore);
        QVERIFY(ma.readAll() == modelBefore);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2); // no temporary files left
        const std::int64_t step = w.lastSnapshot()->step;
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->step > step + 2, 30000); // still training
        qDeleteAll(w.findChildren<QMessageBox*>());
        QFile::remove(w.autosavePath());
    }

    void switchesMethodWithoutReset() {
        ImageWindow w(start(fastSettings()));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 10, 60000);
        const std::int64_t before = w.lastSnapshot()->step;
        // The user picks denoising score matching in the combo box.
        QComboBox* method = w.controls()->methodBox();
        method->setCurrentIndex(method->findData(QStringLiteral("dsm")));
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->method == std::string("dsm"), 20000);
        QVERIFY(w.lastSnapshot()->step >= before); // no reset
        // Score matching brings its own, smaller Langevin step; CD's comes back with CD.
        QCOMPARE(w.controls()->settings().trainer.chains.langevin.stepSize, 0.01f);
        QCOMPARE(w.controls()->settings().samplers.at(std::string("cd")).steps, 5);
        QVERIFY(!w.lastSnapshot()->chainsAreNegatives);
        QCOMPARE(w.lastSnapshot()->chains.cols(), ImageSettings::kGridImages);
        // Without CD the replay buffer rests, while the window's own chains keep moving.
        const ImageSnapshotPtr a = w.lastSnapshot();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->step > a->step + 3, 30000);
        QVERIFY(w.lastSnapshot()->buffer == a->buffer);
        QVERIFY((w.lastSnapshot()->chains - a->chains).cwiseAbs().maxCoeff() > 0.001f);
        // NCE's key (keys 1–9 follow the registry's image methods); key 1: back to CD, the step count
        // still going up.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        const int nceIndex = method->findData(QStringLiteral("nce"));
        QTest::keyClick(&w, Qt::Key(Qt::Key_1 + nceIndex));
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->method == std::string("nce"), 20000);
        QCOMPARE(method->currentIndex(), nceIndex);
        const std::int64_t nce = w.lastSnapshot()->step;
        QTest::keyClick(&w, Qt::Key_1);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.lastSnapshot()->method == std::string("cd") && w.lastSnapshot()->step > nce, 20000);
        QCOMPARE(w.controls()->settings().trainer.chains.langevin.stepSize, kCdStep);
        QCOMPARE(w.controls()->settings().trainer.chains.langevin.steps, 5);
    }

    void watchesOneChainAndExportsIt() {
        ImageWindow w(start(fastSettings(), m_model));
        w.show();
        QSignalSpy opened(&w, &ImageWindow::modelOpened);
        QVERIFY(opened.wait(60000));
        w.setPlaying(false);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && !w.lastSnapshot()->playing, 20000);
        ImageGrid* chains = w.grid(ImageWindow::Chains);
        QTRY_VERIFY_WITH_TIMEOUT(chains->images().cols() > 5, 20000);
        const core::Vecf start = chains->images().col(5);
        QSignalSpy changed(w.chainWatch(), &ChainWatchPanel::trajectoryChanged);
        QTest::mouseClick(chains, Qt::LeftButton, {}, chains->cellRect(5).center());
        QCOMPARE(chains->selected(), 5);
        QVERIFY(changed.wait(60000));
        const ChainTrajectory& t = w.chainWatch()->trajectory();
        QCOMPARE(t.frames.cols(), 201); // 200 steps by default, plus the start
        QVERIFY(t.frames.col(0) == start);
        QVERIFY(t.energy.allFinite());
        // Langevin with small noise goes downhill in energy overall.
        QVERIFY2(t.energy(200) < t.energy(0),
                 qPrintable(QStringLiteral("%1 -> %2").arg(t.energy(0)).arg(t.energy(200))));
        // Frame by frame: the panel shows the chosen step.
        w.chainWatch()->setFrame(17);
        QCOMPARE(w.chainWatch()->frame(), 17);
        shot(w, QStringLiteral("image-window-watch.png"));

        // The animation: a GIF with one frame per step, written through the exporter.
        const QString gif = m_dir.filePath(QStringLiteral("chain.gif"));
        QSignalSpy exported(w.chainWatch(), &ChainWatchPanel::exportFinished);
        w.chainWatch()->exportAnimation(gif, 25);
        QVERIFY(exported.wait(120000));
        QVERIFY2(exported.first().at(0).toBool(), qPrintable(exported.first().at(1).toString()));
        QFile f(gif);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("GIF89a"));
        QCOMPARE(int(quint8(bytes[6])) | int(quint8(bytes[7])) << 8, kChainFrameWidth);
        // A frame is the image at that step beside the curve: its left part shows frame 0's pixels.
        const QImage frame0 = chainFrame(t, 0, QStringLiteral("x"));
        const QRect imageRect(12, 28, kChainFrameHeight - 40, kChainFrameHeight - 40);
        const int px = int(t.frames(0, 0) * 255 + 0.5f);
        QCOMPARE(qGray(frame0.pixel(imageRect.x() + 2, imageRect.y() + 2)), px);
        // A path the exporter cannot write: one message, no file.
        exported.clear();
        const QString bad = m_dir.filePath(QStringLiteral("no-such-folder/chain.gif"));
        w.chainWatch()->exportAnimation(bad, 25);
        QVERIFY(exported.wait(60000));
        QVERIFY(!exported.first().at(0).toBool());
        QVERIFY(!exported.first().at(1).toString().isEmpty());
        QVERIFY(!QFile::exists(bad));
    }

    void opensModelAndRepairsImages() {
        ImageSettings s = fastSettings().withMethod(std::string("dsm"));
        QCOMPARE(s.trainer.chains.langevin.stepSize, 0.01f); // score matching's own sampler
        s.training = false;
        ImageWindow w(start(s));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() != nullptr, 60000);
        QSignalSpy opened(&w, &ImageWindow::modelOpened);
        QVERIFY(w.openModel(m_model));
        QVERIFY(opened.wait(30000));
        const io::ImageModelFile file = io::loadImageModel(m_model.toStdString());
        const core::Vecf theta =
            onWorker<core::Vecf>(w, [](ImageSession& s) { return s.trainer().model().parameters(); });
        QVERIFY(theta == file.model->parameters());
        // The window takes the file's method (CD) and CD's sampler with it.
        QCOMPARE(w.controls()->methodBox()->currentIndex(), 0);
        QCOMPARE(w.controls()->settings().trainer.chains.langevin.stepSize, kCdStep);
        QTRY_COMPARE_WITH_TIMEOUT(
            onWorker<float>(w,
                            [](ImageSession& s) { return s.trainer().options().chains.langevin.stepSize; }),
            kCdStep, 10000);

        // Inpainting: the user clicks a training digit (the demo tab comes up with it), erases its lower half
        // with the mouse, and clamped Langevin fills it in.
        RepairPanel* r = w.repair();
        ImageGrid* data = w.grid(ImageWindow::Data);
        QTRY_VERIFY_WITH_TIMEOUT(data->images().cols() == 64, 20000);
        QTest::mouseClick(data, Qt::LeftButton, {}, data->cellRect(3).center());
        QVERIFY(r->original() == data->images().col(3));
        QVERIFY(r->isVisible());
        RepairCanvas* canvas = r->canvas();
        for (int y = 9; y < 16; y += 2) {
            QTest::mousePress(canvas, Qt::LeftButton, {}, canvas->pixelCentre(0, y));
            for (int x = 1; x < 16; ++x)
                QTest::mouseMove(canvas, canvas->pixelCentre(x, y));
            QTest::mouseRelease(canvas, Qt::LeftButton, {}, canvas->pixelCentre(15, y));
        }
        const int freePixels = int((r->known().array() < 0.5f).count());
        QCOMPARE(freePixels, 8 * 16);    // rows 8..15, a brush of radius 1.6 pixels
        for (int i = 0; i < 8 * 16; ++i) // the top half is untouched
            QCOMPARE(r->known()(i), 1.0f);
        QSignalSpy repaired(r, &RepairPanel::repairFinished);
        r->runLangevin();
        QVERIFY(repaired.wait(60000));
        const core::Vecf& out = r->result();
        for (int i = 0; i < 256; ++i)
            if (r->known()(i) > 0.5f) QCOMPARE(out(i), r->original()(i)); // clamped: bit for bit
        qInfo("inpainting %d free pixels: mean |error| %.3f -> %.3f", freePixels, r->errorBefore(),
              r->errorAfter());
        QVERIFY(r->errorAfter() < 0.75 * r->errorBefore());
        const ChainTrajectory& t = w.chainWatch()->trajectory(); // the repair shows in "watch one chain"
        const int steps = core::kImageRepairSteps; // the panel's default, what ebmlab-cli eval measures with
        QCOMPARE(t.frames.cols(), steps + 1);
        QVERIFY(t.energy(steps) < t.energy(0));
        shot(w, QStringLiteral("image-window-repair.png"));

        // Denoising: Gaussian noise (σ = 0.3) on every pixel, all pixels free.
        r->setOriginal(r->original(), 16, 16);
        r->addNoise(0.3f);
        QCOMPARE(int((r->known().array() < 0.5f).count()), 256);
        repaired.clear();
        r->runLangevin();
        QVERIFY(repaired.wait(60000));
        qInfo("denoising sigma 0.3: mean |error| %.3f -> %.3f", r->errorBefore(), r->errorAfter());
        QVERIFY(r->errorAfter() < r->errorBefore());

        // Anomalies: held-out digits rank below every uniform-noise image.
        QSignalSpy ranked(r, &RepairPanel::rankingFinished);
        r->rank();
        QVERIFY(ranked.wait(60000));
        QVERIFY(r->ranking().size() >= 12 + 6 + 6 + 1);
        for (size_t i = 1; i < r->ranking().size(); ++i)
            QVERIFY(r->ranking()[i - 1].energy <= r->ranking()[i].energy);
        QCOMPARE(r->separation(RankedImage::Noise), 1.0);
        const double ood = r->separation(RankedImage::OutOfDistribution);
        if (io::fashionMnistAvailable()) {
            qInfo("held-out digits below Fashion-MNIST images in %.0f%% of pairs", 100 * ood);
            QVERIFY(std::isfinite(ood));
        }
    }

    void exportsGridsAsPng() {
        ImageWindow w(start(fastSettings()));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 3, 60000);
        w.setPlaying(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastSnapshot()->playing, 10000);
        // The model: saved with the same bits, which clears "unsaved"; a bad path changes nothing.
        QVERIFY(w.hasUnsavedChanges());
        const QString modelPath = m_dir.filePath(QStringLiteral("saved-model.json"));
        std::optional<bool> saved;
        w.saveModel(modelPath, [&](bool ok) { saved = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 20000);
        QVERIFY(*saved);
        QVERIFY(!w.hasUnsavedChanges());
        QVERIFY(io::loadImageModel(modelPath.toStdString()).model->parameters() ==
                onWorker<core::Vecf>(w, [](ImageSession& s) { return s.trainer().model().parameters(); }));
        saved.reset();
        const QString badModel = m_dir.filePath(QStringLiteral("missing/model.json"));
        w.saveModel(badModel, [&](bool ok) { saved = ok; });
        QTRY_VERIFY_WITH_TIMEOUT(saved.has_value(), 20000);
        QVERIFY(!*saved);
        QVERIFY(w.lastError().contains(QStringLiteral("missing")));
        QVERIFY(!QFile::exists(badModel));

        const QString path = m_dir.filePath(QStringLiteral("data.png"));
        QVERIFY(w.exportGrid(ImageWindow::Data, path, 3));
        const io::GrayImage g = io::readPngGray(path.toStdString());
        QCOMPARE(g.width, (8 * 17 + 1) * 3);
        QCOMPARE(g.height, (8 * 17 + 1) * 3);
        // Pixel (x, y) of image 9 (row 1, column 1) is at ((1 + 17 + x) * 3, (1 + 17 + y) * 3).
        const core::Matf& img = w.grid(ImageWindow::Data)->images();
        for (int y = 0; y < 16; y += 5)
            for (int x = 0; x < 16; x += 5)
                QVERIFY(std::abs(g.pixels[size_t((18 + y) * 3) * g.width + (18 + x) * 3] -
                                 img(y * 16 + x, 9) * 255) <= 1);
        const QString chains = m_dir.filePath(QStringLiteral("chains.png"));
        QVERIFY(w.exportGrid(ImageWindow::Chains, chains));
        QVERIFY(io::readPngGray(chains.toStdString()).width > 0);
        const QString bad = m_dir.filePath(QStringLiteral("missing/dir/x.png"));
        QVERIFY(!w.exportGrid(ImageWindow::Buffer, bad));
        QVERIFY(!w.lastError().isEmpty());
        QVERIFY(!QFile::exists(bad));
    }

    void badInputChangesNothing() {
        ImageSettings s = fastSettings();
        s.training = false;
        ImageWindow w(start(s));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() != nullptr, 60000);
        const core::Vecf theta =
            onWorker<core::Vecf>(w, [](ImageSession& s) { return s.trainer().model().parameters(); });
        // Not a model file.
        const QString garbage = m_dir.filePath(QStringLiteral("garbage.json"));
        {
            QFile f(garbage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"format\": \"ebmlab-image-model\", \"version\": 1, \"model\": \"conv\"");
        }
        QVERIFY(!w.openModel(garbage));
        QVERIFY(w.lastError().contains(QStringLiteral("garbage.json")));
        // A model for 8 x 8 images: read fine, refused by the worker for the 16 x 16 data.
        core::Rng rng(3);
        core::MlpOptions mo{64, {16}, core::Activation::SiLU};
        io::ImageModelFile small;
        small.model = std::make_shared<core::Mlp<float>>(mo, rng);
        small.width = small.height = 8;
        const QString smallPath = m_dir.filePath(QStringLiteral("small.json"));
        io::saveImageModel(small, smallPath.toStdString());
        QueuedMessages failed(w.worker(), &ImageWorker::failed, &w);
        QVERIFY(w.openModel(smallPath));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.list.isEmpty(),
                                 30000); // emitted on the worker: may come before a wait()
        QVERIFY2(failed.list.first().contains(QStringLiteral("8 x 8")), qPrintable(failed.list.first()));
        QVERIFY(theta ==
                onWorker<core::Vecf>(w, [](ImageSession& s) { return s.trainer().model().parameters(); }));
        // A folder that does not hold images: the digits stay.
        failed.list.clear();
        ImageSettings folder = w.controls()->settings();
        const QString empty = m_dir.filePath(QStringLiteral("no-images"));
        QVERIFY(QDir().mkpath(empty));
        {
            QFile f(empty + QStringLiteral("/notes.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("not an image");
        }
        folder.data = empty.toStdString();
        w.applySettings(folder);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.list.isEmpty(), 30000);
        QVERIFY2(failed.list.first().contains(QStringLiteral("png"), Qt::CaseInsensitive),
                 qPrintable(failed.list.first()));
        QVERIFY(theta ==
                onWorker<core::Vecf>(w, [](ImageSession& s) { return s.trainer().model().parameters(); }));
        QCOMPARE(onWorker<std::string>(w, [](ImageSession& s) { return s.settings().data; }),
                 std::string("digits"));
    }

    void closingAsksAboutAnUnsavedModel() {
        ImageStartOptions o = start(fastSettings());
        o.askToSave = true;
        ImageWindow w(o);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 2, 60000);
        QVERIFY(w.hasUnsavedChanges());
        auto asked = answerNextQuestion(QMessageBox::Cancel);
        QVERIFY(!w.close()); // Cancel: the window stays
        QVERIFY(*asked);
        QVERIFY(w.isVisible());
        asked = answerNextQuestion(QMessageBox::Discard);
        QVERIFY(w.close());
        QVERIFY(*asked);
        QVERIFY(!w.isVisible());
    }

    void closingThe2dWindowClosesTheImageWindowFirst() {
        StartOptions o;
        o.restoreSettings = false;
        o.settings.trainer.model.hidden = {32, 32};
        o.settings.particleCount = 200;
        MainWindow main(o); // asks to save, like a user's window
        main.show();
        QTRY_VERIFY_WITH_TIMEOUT(main.lastSnapshot() && main.lastSnapshot()->step > 0, 60000);
        ImageWindow* images = openImageWindow(main);
        QVERIFY(images);
        QTRY_VERIFY_WITH_TIMEOUT(images->lastSnapshot() && images->lastSnapshot()->step > 0, 60000);
        QPointer<ImageWindow> guard(images);
        main.resetTraining(); // an edit of the scene, which the 2D window asks about
        QVERIFY(main.hasUnsavedChanges());
        // Cancel on the image model's question: nothing closes.
        auto asked = answerNextQuestion(QMessageBox::Cancel);
        QVERIFY(!main.close());
        QVERIFY(*asked);
        QVERIFY(main.isVisible() && images->isVisible());
        // Discard the image model, then the scene: both go (the image window deletes itself).
        asked = answerNextQuestion(QMessageBox::Discard);
        auto askedScene = std::make_shared<bool>(false);
        QTimer::singleShot(0, [&] { askedScene = answerNextQuestion(QMessageBox::Discard); });
        QVERIFY(main.close());
        QVERIFY(*asked);
        QVERIFY2(*askedScene,
                 "no question about the scene"); // two questions: the image model's, then the scene's
        QVERIFY(!main.isVisible());
        QTRY_VERIFY(guard.isNull());
    }

    void badCommandLineExitsWithTwo() {
#ifndef EBMLAB_GUI
        QSKIP("the ebmlab binary is not built");
#else
        const QString garbage = m_dir.filePath(QStringLiteral("not-a-model.json"));
        {
            QFile f(garbage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[1, 2");
        }
        const QStringList cases[] = {{"--images", m_dir.filePath(QStringLiteral("missing-folder"))},
                                     {"--image-model", garbage},
                                     {"--images", "digits", "--method", "sm"},
                                     {"--threads", "0"},
                                     {"--threads", "many"}};
        for (const QStringList& args : cases) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(EBMLAB_GUI), QStringList{"--no-restore"} + args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QVERIFY2(p.exitCode() == 2, qPrintable(args.join(' ')));
            const QString err = QString::fromUtf8(p.readAllStandardError());
            QVERIFY2(err.count(QStringLiteral("ebmlab: ")) == 1, qPrintable(err)); // one message of ours
        }
#endif
    }

    void statsPrintTheTrainingSpeedOnAllCores() {
#ifndef EBMLAB_GUI
        QSKIP("the ebmlab binary is not built");
#else
        // The image window draws little, so it trains on every core by default (the 2D window keeps one
        // for drawing); --stats prints its speed, thread count and step on exit.
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(EBMLAB_GUI),
                {"--no-restore", "--images", "digits", "--stats", "--quit-after", "6"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QRegularExpression line(QStringLiteral(
            "ebmlab: image training ([0-9.]+) steps/s on ([0-9]+) thread\\(s\\), step ([0-9]+)"));
        const QRegularExpressionMatch m = line.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        qInfo("%s", qPrintable(m.captured(0)));
        QCOMPARE(m.captured(2).toInt(), QThread::idealThreadCount());
        QVERIFY(m.captured(3).toLongLong() > 0);
        QVERIFY(m.captured(1).toDouble() > 0);
#endif
    }

    void switchesToFashionMnist() {
        if (!io::fashionMnistAvailable()) QSKIP("dataset-fashion-mnist is not installed");
        ImageWindow w(start(fastSettings()));
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot() && w.lastSnapshot()->step >= 2, 60000);
        QueuedMessages loaded(w.worker(), &ImageWorker::dataLoaded, &w);
        QComboBox* data = w.controls()->dataBox();
        data->setCurrentIndex(1);
        emit data->activated(1); // what a user's pick in the combo box sends
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.list.isEmpty(), 60000);
        QCOMPARE(loaded.list.first(), QStringLiteral("fashion-mnist"));
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot()->dataName == "fashion-mnist" && w.lastSnapshot()->step >= 3,
                                 60000);
        const core::ImageSet fashion = io::loadFashionMnist(io::kFashionMnistDir, true, 16, 64);
        QTRY_VERIFY_WITH_TIMEOUT(w.grid(ImageWindow::Data)->images() == fashion.pixels, 10000);
    }
};

EBM_GUI_TEST_MAIN(TestImageWindow)
#include "tst_imagewindow.moc"
