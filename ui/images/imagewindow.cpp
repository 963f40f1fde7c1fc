#include "imagewindow.h"

#include "appsettings.h"
#include "autosaveslot.h"
#include "chainwatch.h"
#include "chartgrid.h"
#include "closequestion.h"
#include "energyhistogram.h"
#include "imagecontrols.h"
#include "imagegrid.h"
#include "imageworker.h"
#include "repairpanel.h"
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QScrollArea>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <ebm/core/objective.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/imagesessionfile.h>
#include <ebm/io/png.h>

namespace ebm::ui {

namespace {
QString startFolder() {
    QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty() || !QDir(dir).exists()) dir = QDir::homePath();
    return dir;
}
const char* const kGridFile[] = {"chains.png", "replay-buffer.png", "data.png"};
} // namespace

ImageWindow::ImageWindow(const ImageStartOptions& o, QWidget* parent)
    : QMainWindow(parent), m_worker(std::make_unique<ImageWorker>(o.settings, o.threads)),
      m_settings(o.settings), m_autosave(new AutosaveSlot(QStringLiteral("autosave.ebmlab-images"), this)) {
    setWindowTitle(tr("EBM Lab — image EBMs"));
    setWindowIcon(QIcon(QStringLiteral(":/ebmlab.svg")));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    buildGrids();
    buildDocks(o.settings);

    m_dataLabel = new QLabel;
    m_stepLabel = new QLabel;
    m_rateLabel = new QLabel;
    m_rateLabel->setObjectName(QStringLiteral("rateLabel"));
    statusBar()->addPermanentWidget(m_dataLabel);
    statusBar()->addPermanentWidget(m_stepLabel);
    statusBar()->addPermanentWidget(m_rateLabel);
    buildMenus();

    connect(m_controls, &ImageControls::settingsChanged, this, &ImageWindow::applySettings);
    connect(m_controls, &ImageControls::stepRequested, this, [this] { m_worker->step(1); });
    connect(m_controls, &ImageControls::resetRequested, this, [this] { m_worker->reset(); });
    connectWorker(o.modelFile);
    connectDemos();
    m_askToSave = o.askToSave;
    resize(1500, 950);
    if (o.restoreGeometry) {
        QSettings st = appSettings();
        restoreGeometry(st.value(QStringLiteral("imageWindow/geometry")).toByteArray());
        restoreState(st.value(QStringLiteral("imageWindow/state")).toByteArray());
    }
    m_worker->start();

    connect(m_autosave, &AutosaveSlot::due, this, [this] { autosaveNow(); });
    connect(m_autosave, &AutosaveSlot::failed, this, [this](const QString& error) {
        m_lastError = error;
        statusBar()->showMessage(AutosaveSlot::failureText(error), 20000);
        emit autosaveFailed(error);
    });
    if (o.autosaveMs > 0) {
        const QString crashed = m_autosave->start(o.autosaveMs);
        if (!crashed.isEmpty()) QTimer::singleShot(0, this, [this, crashed] { offerRecovery(crashed); });
    }
}

ImageWindow::~ImageWindow() = default;

// The three image grids side by side, the energy histogram below them.
void ImageWindow::buildGrids() {
    auto* central = new QWidget;
    auto* cv = new QVBoxLayout(central);
    cv->setContentsMargins(2, 2, 2, 2);
    auto* grids = new QHBoxLayout;
    const QString titles[GridCount] = {tr("Chains"), tr("Replay buffer"), tr("Training data")};
    const QString tips[GridCount] = {
        tr("The chains' current samples: a contrastive method's negatives after K Langevin steps, or, for "
           "the other methods, 64 persistent Langevin chains under the current model. Click one to watch "
           "its chain."),
        tr("64 fixed slots of the replay buffer (the persistent chains of the methods with negatives). "
           "Click one to watch a chain from it."),
        tr("Training images. Click one to use it in the denoise / inpaint demo.")};
    for (int g = 0; g < GridCount; ++g) {
        m_grids[g] = new ImageGrid(titles[g]);
        m_grids[g]->setToolTip(tips[g]);
        m_grids[g]->setContextMenuPolicy(Qt::ActionsContextMenu);
        auto* save = new QAction(tr("Save grid as PNG…"), m_grids[g]);
        connect(save, &QAction::triggered, this, [this, g] { exportGridDialog(Grid(g)); });
        m_grids[g]->addAction(save);
        grids->addWidget(m_grids[g], 1);
    }
    cv->addLayout(grids, 5); // the grids get most of the height: the images are what the class looks at
    m_histogram = new EnergyHistogram;
    cv->addWidget(m_histogram, 2);
    setCentralWidget(central);
}

// The training controls on the left, the demos (watch a chain; repair) on the right, the charts below.
void ImageWindow::buildDocks(const ImageSettings& settings) {
    m_controls = new ImageControls(settings);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_controls);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(m_controls->sizeHint().width() + 20);
    auto* left = new QDockWidget(tr("Training"), this);
    left->setObjectName(QStringLiteral("imageControls"));
    left->setWidget(scroll);
    left->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, left);

    m_watch = new ChainWatchPanel(m_worker.get());
    m_repair = new RepairPanel(m_worker.get());
    auto* tabs = m_demoTabs = new QTabWidget;
    tabs->addTab(m_watch, tr("Watch one chain"));
    auto* repairScroll = new QScrollArea;
    repairScroll->setWidget(m_repair);
    repairScroll->setWidgetResizable(true);
    repairScroll->setFrameShape(QFrame::NoFrame);
    tabs->addTab(repairScroll, tr("Denoise · inpaint · anomalies"));
    auto* right = new QDockWidget(tr("Demos"), this);
    right->setObjectName(QStringLiteral("imageDemos"));
    right->setWidget(tabs);
    right->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::RightDockWidgetArea, right);
    resizeDocks({right}, {380}, Qt::Horizontal);

    using R = ChartGrid::YRange;
    m_charts = new ChartGrid(
        {{tr("Training loss"), {tr("loss")}, {QColor(120, 190, 255)}, R::Auto, {}, true},
         {tr("Mean energy"),
          {tr("held-out"), tr("chains"), tr("noise")},
          {QColor(255, 170, 60), QColor(120, 200, 255), QColor(190, 190, 190)},
          R::Auto,
          {},
          false},
         {tr("Throughput"), {tr("steps/s")}, {QColor(255, 230, 120)}, R::FromZero, tr("steps/s"), false}});
    auto* bottom = new QDockWidget(tr("Charts"), this);
    bottom->setObjectName(QStringLiteral("imageCharts"));
    bottom->setWidget(m_charts);
    bottom->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::BottomDockWidgetArea, bottom);
}

// Snapshots, errors and loaded data from the worker; modelFile (if any) is opened once the data is there.
void ImageWindow::connectWorker(const QString& modelFile) {
    connect(m_worker.get(), &ImageWorker::snapshotReady, this, &ImageWindow::onSnapshot);
    connect(m_worker.get(), &ImageWorker::failed, this, &ImageWindow::showError);
    connect(
        m_worker.get(), &ImageWorker::dataLoaded, this, [this, modelFile](const QString& name, int w, int h) {
            m_settings.data = name.toStdString();
            m_controls->setSettings(m_settings);
            m_dataLabel->setText(
                tr("%1, %2 × %3").arg(name == QLatin1String("digits") ? tr("digits") : name).arg(w).arg(h));
            m_repair->nextHeldOut();
            if (!m_startModelOpened && !modelFile.isEmpty()) openModel(modelFile);
            m_startModelOpened = true;
        });
}

// A click in a grid starts a demo: chains and buffer slots are watched, training images repaired.
void ImageWindow::connectDemos() {
    for (int g : {Chains, Buffer})
        connect(m_grids[g], &ImageGrid::imageClicked, this, [this, g](int i) {
            for (ImageGrid* other : m_grids)
                other->setSelected(-1);
            m_grids[g]->setSelected(i);
            const QString origin = (g == Chains ? tr("chain %1") : tr("buffer slot %1")).arg(i);
            m_watch->watch(m_grids[g]->images().col(i), origin);
            if (m_demoTabs) m_demoTabs->setCurrentIndex(0);
        });
    connect(m_grids[Data], &ImageGrid::imageClicked, this, [this](int i) {
        for (ImageGrid* other : m_grids)
            other->setSelected(-1);
        m_grids[Data]->setSelected(i);
        m_repair->setOriginal(m_grids[Data]->images().col(i), m_grids[Data]->imageWidth(),
                              m_grids[Data]->imageHeight());
        if (m_demoTabs) m_demoTabs->setCurrentIndex(1);
    });
    connect(m_repair, &RepairPanel::repairFinished, this,
            [this](const ChainTrajectory& t) { m_watch->setTrajectory(t, tr("the repair")); });
    connect(m_repair, &RepairPanel::status, this,
            [this](const QString& m) { statusBar()->showMessage(m, 4000); });
    connect(m_watch, &ChainWatchPanel::exportFinished, this, [this](bool ok, const QString& m) {
        if (ok)
            statusBar()->showMessage(m, 6000);
        else
            showError(m);
    });
}

void ImageWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open image model…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open an image model"), startFolder(),
                                                          tr("Image models (*.json);;All files (*)"));
        if (!path.isEmpty()) openModel(path);
    });
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("A model saved here or by ebmlab-cli train --images … --save"));
    QAction* save = file->addAction(tr("&Save image model"), this, [this] { saveModelDialog(false); });
    save->setShortcut(QKeySequence::Save);
    save->setToolTip(tr("The model's architecture and parameters, for this window or ebmlab-cli eval"));
    QAction* saveAs = file->addAction(tr("Save image model &as…"), this, [this] { saveModelDialog(true); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* openSessionAction = file->addAction(tr("Open s&ession…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open an image session"), m_sessionPath.isEmpty() ? startFolder() : m_sessionPath,
            tr("EBM Lab image sessions (*.ebmlab-images);;All files (*)"));
        if (!path.isEmpty()) openSession(path);
    });
    openSessionAction->setObjectName(QStringLiteral("openImageSession"));
    openSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O));
    openSessionAction->setToolTip(
        tr("Continue a saved scene: data, model, optimiser, replay buffer, settings "
           "and chains (Ctrl+Alt+O)"));
    QAction* saveSessionAction = file->addAction(tr("Save sess&ion…"), this, [this] {
        QString path = QFileDialog::getSaveFileName(
            this, tr("Save the image session"),
            m_sessionPath.isEmpty() ? startFolder() + QStringLiteral("/scene.ebmlab-images") : m_sessionPath,
            tr("EBM Lab image sessions (*.ebmlab-images)"));
        if (path.isEmpty()) return;
        if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".ebmlab-images");
        saveSession(path);
    });
    saveSessionAction->setObjectName(QStringLiteral("saveImageSession"));
    saveSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    saveSessionAction->setToolTip(tr("Save the whole scene so that reopening continues bit for bit: data, "
                                     "model, optimiser, replay buffer, settings and chains (Ctrl+Alt+S)"));
    file->addSeparator();
    QMenu* grids = file->addMenu(tr("Export &grid as PNG"));
    const QString names[GridCount] = {tr("&Chains…"), tr("&Replay buffer…"), tr("&Training data…")};
    for (int g = 0; g < GridCount; ++g) {
        QAction* a = grids->addAction(names[g], this, [this, g] { exportGridDialog(Grid(g)); });
        if (g == Chains) a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    }
    QAction* anim = file->addAction(tr("Export chain &animation…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the chain"),
                                                          startFolder() + QStringLiteral("/chain.gif"),
                                                          tr("Animations (*.gif *.mp4 *.webm)"));
        if (!path.isEmpty()) m_watch->exportAnimation(path);
    });
    anim->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    anim->setToolTip(tr("The chain shown in \"Watch one chain\", as GIF, MP4 or WebM"));
    file->addAction(tr("Export c&harts as SVG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the charts"),
                                                          startFolder() + QStringLiteral("/image-charts.svg"),
                                                          tr("SVG (*.svg)"));
        if (path.isEmpty()) return;
        try {
            m_charts->saveSvg(path, tr("EBM Lab image training charts"));
            statusBar()->showMessage(tr("Wrote %1").arg(path), 6000);
        } catch (const std::exception& e) {
            showError(tr("Could not write %1: %2").arg(path, QString::fromStdString(e.what())));
        }
    });
    file->addSeparator();
    QAction* close = file->addAction(tr("&Close"), this, &QWidget::close);
    close->setShortcut(QKeySequence::Close);

    QMenu* train = menuBar()->addMenu(tr("&Training"));
    QAction* play = train->addAction(tr("&Play / pause"), this, [this] { setPlaying(!m_settings.training); });
    play->setShortcut(Qt::Key_Space);
    QAction* step = train->addAction(tr("&Step"), this, [this] { m_worker->step(1); });
    step->setShortcut(Qt::Key_S);
    QAction* reset = train->addAction(tr("&Reset model"), this, [this] { m_worker->reset(); });
    reset->setShortcut(Qt::Key_R);
    train->addSeparator();
    // Every registered image method, in registry order; the first nine on keys 1–9.
    QMenu* methodMenu = train->addMenu(tr("&Method"));
    const std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Image);
    for (size_t i = 0; i < methods.size(); ++i) {
        const core::ObjectiveInfo& info = core::objective(methods[i]).info();
        QAction* a = methodMenu->addAction(QString::fromStdString(info.label), this,
                                           [this, m = methods[i]] { setMethod(m); });
        a->setObjectName(QStringLiteral("method_") + QString::fromStdString(methods[i]));
        a->setToolTip(QString::fromStdString(info.help));
        if (i < 9) a->setShortcut(QKeySequence(Qt::Key_1 + int(i)));
    }
}

void ImageWindow::applySettings(const ImageSettings& s) {
    if (s.data != m_settings.data || s.size != m_settings.size)
        statusBar()->showMessage(tr("Loading %1…").arg(QString::fromStdString(s.data)));
    const bool switched = s.training != m_settings.training;
    m_settings = s;
    m_controls->setSettings(s);
    m_worker->applySettings(s);
    if (switched) emit trainingChanged(s.training);
}

void ImageWindow::setPlaying(bool on) {
    ImageSettings s = m_settings;
    s.training = on;
    applySettings(s);
}

void ImageWindow::setMethod(const std::string& m) {
    applySettings(m_settings.withMethod(m));
}

void ImageWindow::showError(const QString& message) {
    m_lastError = message;
    statusBar()->showMessage(message, 10000);
}

void ImageWindow::onSnapshot() {
    const ImageSnapshotPtr s = m_worker->takeLatest();
    if (!s) return;
    m_last = s;
    const core::ObjectiveInfo& info = core::objective(s->method).info();
    const QString method = QString::fromStdString(info.label);
    m_grids[Chains]->setTitle(
        s->chainsAreNegatives ? tr("Chains · %1's negatives x⁻").arg(QString::fromStdString(info.shortLabel))
                              : tr("Chains · Langevin under the model"));
    m_grids[Chains]->setImages(s->chains, s->width, s->height, 8);
    m_grids[Buffer]->setTitle(s->chainsAreNegatives ? tr("Replay buffer · 64 fixed slots")
                                                    : tr("Replay buffer · idle (methods with negatives)"));
    m_grids[Buffer]->setImages(s->buffer, s->width, s->height, 8);
    // The data grid is one shared matrix until the data or seed change: redraw only a new one.
    if (s->data && s->data != m_shownData) {
        m_shownData = s->data;
        m_grids[Data]->setImages(*s->data, s->width, s->height, 8);
    }
    m_histogram->setEnergies(s->energyData, s->energyChains, s->energyNoise);
    if (s->step < m_lastChartStep) m_charts->clearPoints();
    m_charts->markChanges(double(s->step), QString::fromStdString(info.shortLabel),
                          tr("data: %1").arg(QString::fromStdString(s->dataName)));
    if (s->stepsInChunk > 0 || s->step != m_lastChartStep) {
        const double x = double(s->step);
        if (s->stepsInChunk > 0) m_charts->addPoint(Loss, 0, x, s->loss);
        m_charts->addPoint(MeanEnergy, 0, x, s->energyData.size() ? s->energyData.mean() : NAN);
        m_charts->addPoint(MeanEnergy, 1, x, s->energyChains.size() ? s->energyChains.mean() : NAN);
        m_charts->addPoint(MeanEnergy, 2, x, s->energyNoise.size() ? s->energyNoise.mean() : NAN);
        if (s->playing) m_charts->addPoint(Throughput, 0, x, s->stepsPerSecond);
    }
    m_lastChartStep = s->step;
    m_stepLabel->setText(tr("%1 · step %2").arg(method).arg(s->step));
    m_rateLabel->setText(s->playing ? tr("%1 steps/s").arg(s->stepsPerSecond, 0, 'f', 1) : tr("paused"));
    m_rateLabel->setToolTip(tr("Training steps per second, on %n thread(s)", nullptr, s->threads));
    if (s->diverged)
        showError(tr("A step diverged and was rolled back: %1").arg(QString::fromStdString(s->message)));
    if (s->guardEvents != m_settings.guardEventsSeen) {
        const bool acted = s->guardEvents > m_settings.guardEventsSeen;
        m_settings.guardEventsSeen = s->guardEvents; // fewer: the model was reset
        if (acted) {
            // The chain guard halved the learning rate on the worker: the controls show it and send it
            // from now on.
            m_settings.trainer.optimizer.learningRate = s->learningRate;
            statusBar()->showMessage(tr("Chain guard: %1").arg(QString::fromStdString(s->guardMessage)),
                                     30000);
        }
        m_controls->setSettings(m_settings);
    }
}

bool ImageWindow::openModel(const QString& path) {
    std::shared_ptr<const io::ImageModelFile> f;
    try {
        f = std::make_shared<io::ImageModelFile>(io::loadImageModel(path.toStdString()));
    } catch (const std::exception& e) {
        showError(tr("Could not open %1: %2").arg(path, QString::fromStdString(e.what())));
        return false;
    }
    // Installed on the worker, which checks it against the data (a mismatch arrives through failed());
    // the settings it ends with (architecture, method) come back to the controls.
    QPointer<ImageWindow> self(this);
    const QString name = QFileInfo(path).fileName();
    m_worker->compute([self, f, name, path](ImageSession& s) -> std::function<void()> {
        s.loadModel(*f);
        const core::ImageTrainerOptions o = s.settings().trainer;
        return [self, f, name, o, path] {
            if (!self) return;
            // The file's architecture, and its method with that method's sampler.
            ImageSettings next = self->m_settings.withMethod(o.method);
            next.trainer.model = o.model;
            next.trainer.conv = o.conv;
            next.trainer.mlp = o.mlp;
            self->applySettings(next);
            self->m_savedStep = 0; // a freshly installed model: nothing trained on it yet
            self->m_modelPath = path;
            self->statusBar()->showMessage(tr("Opened %1 (%2, %3 steps of %4)")
                                               .arg(name, QString::fromStdString(f->images))
                                               .arg(f->steps)
                                               .arg(QString::fromStdString(f->method)),
                                           6000);
            emit self->modelOpened();
        };
    });
    return true;
}

void ImageWindow::saveModel(const QString& path, std::function<void(bool)> after) {
    // The model is the worker's: take a copy there, write it here (a few hundred kB at most).
    QPointer<ImageWindow> self(this);
    m_worker->compute([self, path, after](ImageSession& s) -> std::function<void()> {
        io::ImageModelFile f = s.modelFile();
        return [self, path, after, f = std::move(f)] {
            if (!self) return;
            bool ok = true;
            try {
                io::saveImageModel(f, path.toStdString());
                self->m_savedStep = f.steps;
                self->m_modelPath = path;
                self->statusBar()->showMessage(tr("Saved %1 (step %2)").arg(path).arg(f.steps), 6000);
            } catch (const std::exception& e) {
                ok = false;
                self->showError(tr("Could not save %1: %2").arg(path, QString::fromStdString(e.what())));
            }
            if (after) after(ok);
        };
    });
}

void ImageWindow::saveModelDialog(bool askForPath, std::function<void(bool)> after) {
    QString path = m_modelPath;
    if (askForPath || path.isEmpty()) {
        path = QFileDialog::getSaveFileName(
            this, tr("Save the image model"),
            m_modelPath.isEmpty() ? startFolder() + QStringLiteral("/image-model.json") : m_modelPath,
            tr("Image models (*.json)"));
        if (path.isEmpty()) {
            if (after) after(false);
            return;
        }
    }
    saveModel(path, std::move(after));
}

void ImageWindow::sessionError(const QString& message) {
    showError(message);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Image session"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // not modal to the event loop: training and tests go on
}

bool ImageWindow::openSession(const QString& path) {
    std::shared_ptr<const io::ImageSessionFile> f;
    try {
        f = std::make_shared<io::ImageSessionFile>(io::loadImageSession(path.toStdString()));
    } catch (const std::exception& e) {
        sessionError(tr("Could not open %1; the current scene is unchanged.\n\n%2")
                         .arg(path, QString::fromStdString(e.what())));
        return false;
    }
    // The data are loaded and the scene restored on the worker (checked there before anything changes).
    QPointer<ImageWindow> self(this);
    m_worker->compute([self, f, path](ImageSession& s) -> std::function<void()> {
        QString error;
        try {
            s.restore(*f, io::loadImageData(f->data, f->size, 0, f->trainer.options.seed));
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        const ImageSettings restored = s.settings();
        const int w = s.data().train->width, h = s.data().train->height;
        return [self, path, error, restored, w, h, step = f->trainer.step] {
            if (!self) return;
            if (!error.isEmpty()) {
                self->sessionError(
                    tr("Could not open %1; the current scene is unchanged.\n\n%2").arg(path, error));
                return;
            }
            const bool switched = restored.training != self->m_settings.training;
            self->m_settings = restored;
            self->m_controls->setSettings(restored);
            const QString name = QString::fromStdString(restored.data);
            self->m_dataLabel->setText(
                tr("%1, %2 × %3").arg(name == QLatin1String("digits") ? tr("digits") : name).arg(w).arg(h));
            self->m_repair->nextHeldOut();
            const bool recovered = path == self->autosavePath();
            self->m_savedStep = recovered ? -1 : step; // a recovered scene is not saved anywhere yet
            if (!recovered) self->m_sessionPath = path;
            self->statusBar()->showMessage(
                recovered ? tr("Recovered the autosaved scene (step %1)").arg(step)
                          : tr("Opened %1 (step %2)").arg(QFileInfo(path).fileName()).arg(step),
                6000);
            if (switched) emit self->trainingChanged(restored.training);
            emit self->sessionOpened();
        };
    });
    return true;
}

void ImageWindow::writeSession(const QString& path, std::function<void(bool, QString, std::int64_t)> done) {
    QPointer<ImageWindow> self(this);
    m_worker->compute([self, path, done](ImageSession& s) -> std::function<void()> {
        auto f = std::make_shared<io::ImageSessionFile>(s.sessionFile());
        return [self, path, done, f] {
            if (!self) return;
            QString error;
            try {
                QDir().mkpath(QFileInfo(path).absolutePath());
                io::saveImageSession(*f, path.toStdString());
            } catch (const std::exception& e) {
                error = QString::fromStdString(e.what());
            }
            done(error.isEmpty(), error, f->trainer.step);
        };
    });
}

void ImageWindow::saveSession(const QString& path, std::function<void(bool)> after) {
    writeSession(path, [this, path, after](bool ok, const QString& error, std::int64_t step) {
        if (ok) {
            m_savedStep = step;
            m_sessionPath = path;
            statusBar()->showMessage(tr("Saved %1 (step %2)").arg(QFileInfo(path).fileName()).arg(step),
                                     6000);
        } else {
            sessionError(tr("Could not save %1.\n\n%2").arg(path, error));
        }
        if (after) after(ok);
    });
}

QString ImageWindow::autosavePath() const {
    return m_autosave->path();
}

void ImageWindow::autosaveNow(std::function<void(bool, QString)> done) {
    // The autosave is not the user's file: the saved step and the session's path stay as they were.
    writeSession(autosavePath(), [this, done](bool ok, const QString& error, std::int64_t) {
        m_autosave->report(ok, error);
        if (done) done(ok, error);
    });
}

void ImageWindow::offerRecovery(const QString& autosave) {
    // A failure to read it says why (message box, lastError) and keeps the fresh scene.
    if (AutosaveSlot::askToRecover(this, autosave, tr("The image window"), tr("image scene")))
        openSession(autosave);
    m_autosave->resume(); // the autosave's timer waited for the answer (AutosaveSlot::start)
}

bool ImageWindow::hasUnsavedChanges() const {
    return m_last && m_last->step > 0 && m_last->step != m_savedStep;
}

bool ImageWindow::exportGrid(Grid g, const QString& path, int zoom) {
    const ImageGrid* grid = m_grids[g];
    const int n = int(grid->images().cols());
    if (n == 0) {
        showError(tr("The grid is still empty"));
        return false;
    }
    try {
        const int cols = std::min(grid->columns(), n);
        io::writeImageGrid(path.toStdString(), grid->images(), grid->imageWidth(), grid->imageHeight(),
                           (n + cols - 1) / cols, cols, zoom);
        statusBar()->showMessage(tr("Wrote %1").arg(path), 6000);
        return true;
    } catch (const std::exception& e) {
        showError(tr("Could not write %1: %2").arg(path, QString::fromStdString(e.what())));
        return false;
    }
}

void ImageWindow::exportGridDialog(Grid g) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export the grid"), startFolder() + QLatin1Char('/') + QLatin1String(kGridFile[g]),
        tr("PNG images (*.png)"));
    if (!path.isEmpty()) exportGrid(g, path);
}

void ImageWindow::closeEvent(QCloseEvent* e) {
    if (!confirmClose(
            this, e, m_askToSave && hasUnsavedChanges(), tr("Save the image model?"),
            tr("The model has trained for %1 steps since it was last saved. Save it before closing?")
                .arg(m_last ? m_last->step - m_savedStep : 0),
            [this](std::function<void(bool)> after) { saveModelDialog(false, std::move(after)); },
            m_closeAfterSave))
        return;
    m_autosave->finish(); // a clean exit: no autosave to recover
    QSettings s = appSettings();
    s.setValue(QStringLiteral("imageWindow/geometry"), saveGeometry());
    s.setValue(QStringLiteral("imageWindow/state"), saveState());
    QMainWindow::closeEvent(e);
}

} // namespace ebm::ui
