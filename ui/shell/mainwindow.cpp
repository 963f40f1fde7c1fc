#include "mainwindow.h"

#include "appsettings.h"

#include "closequestion.h"
#include "controlpanel.h"
#include "displaypanel.h"
#include "drawpanel.h"
#include "guidewindow.h"
#include "imagewindow.h"
#include "landscapeview.h"
#include "metricschart.h"
#include "recordingcontroller.h"
#include "sessionfiles.h"
#include "trainingworker.h"
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <cmath>
#include <cstdio>
#include <ebm/core/density.h>
#include <ebm/core/parallel.h>

namespace ebm::ui {

namespace {
/// Where a display layer is remembered between launches ("layers/vectorField", …).
QString layerSettingsKey(const io::DisplayLayerKey& k) {
    return QStringLiteral("layers/") + QLatin1String(k.settingsKey);
}
} // namespace

core::Box MainWindow::targetBox(const std::string& name) const {
    if (name == kDrawingTarget) return m_draw->document()->drawing().box();
    try {
        return core::makePreset(name)->suggestedBox();
    } catch (const std::exception&) {
        return core::Box{};
    }
}

MainWindow::MainWindow(const StartOptions& options, QWidget* parent)
    : QMainWindow(parent), m_settings(options.settings), m_stats(options.stats) {
    setWindowTitle(tr("EBM Lab"));
    setWindowIcon(QIcon(QStringLiteral(":/ebmlab.svg")));
    m_view = new LandscapeView;
    setCentralWidget(m_view);

    buildDocks();
    m_askToSave = options.askToSave;
    m_restoreSettings = options.restoreSettings;
    m_imageThreads = options.imageThreads;
    buildSessionFiles();
    m_drawingTimer = new QTimer(this);
    m_drawingTimer->setSingleShot(true);
    m_drawingTimer->setInterval(60);

    m_recording = new RecordingController(m_view, this);
    connect(m_recording, &RecordingController::progress, this,
            [this](const QString& message) { statusBar()->showMessage(message); });
    connect(m_recording, &RecordingController::finished, this, &MainWindow::recordingEnded);
    buildStatusBar();

    m_controls->setSettings(m_settings);
    DisplaySettings display;
    if (options.restoreSettings) {
        restoreSettings();
        display = m_display->display();
    }
    if (options.display) display = *options.display;
    m_display->setDisplay(display);
    m_view->setDisplay(display);
    buildMenus();
    if (!options.restoreSettings ||
        !restoreGeometry(appSettings().value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1500, 940);

    m_worker = std::make_unique<TrainingWorker>(m_settings);
    connectWorker();
    connectPanels();
    m_view->resetView(targetBox(m_settings.target));
    m_worker->setView(m_view->viewBox());
    m_worker->start();

    if (options.restoreSettings && options.autosaveMs > 0) {
        m_autosaveMs = options.autosaveMs;
        const QString crashed = m_files->startAutosave(options.autosaveMs);
        if (!crashed.isEmpty()) QTimer::singleShot(0, this, [this, crashed] { offerRecovery(crashed); });
    }

    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(500);
    connect(m_statusTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    m_statusTimer->start();
    updateStatus();
}

MainWindow::~MainWindow() {
    if (m_imageWindow) m_imageWindow->disconnect(this); // no resuming a trainer that is going away
    delete m_imageWindow; // a top-level window of its own: it goes with the 2D window
    m_worker.reset();     // stops and joins the training thread before the widgets go
}

void MainWindow::buildMenus() {
    buildFileMenu();

    buildEditMenu();

    QMenu* train = menuBar()->addMenu(tr("&Training"));
    m_playAction = train->addAction(tr("&Play / pause"));
    m_playAction->setCheckable(true);
    m_playAction->setChecked(m_settings.training);
    m_playAction->setShortcut(Qt::Key_Space);
    m_playAction->setToolTip(tr("Start or pause training (Space)"));
    connect(m_playAction, &QAction::toggled, this, &MainWindow::setPlaying);
    QAction* step = train->addAction(tr("&Single step"), this, &MainWindow::stepOnce);
    step->setShortcut(Qt::Key_S);
    step->setToolTip(tr("Take one training step (S)"));
    QAction* reset = train->addAction(tr("&Reset model"), this, &MainWindow::resetTraining);
    reset->setShortcut(Qt::Key_R);
    reset->setToolTip(tr("Re-initialise the model, optimiser and particles from the seed (R)"));
    train->addSeparator();
    // Every registered 2D method, in registry order; the first nine on keys 1–9.
    QMenu* methodMenu = train->addMenu(tr("&Method"));
    const std::vector<std::string> methods = planeMethods();
    for (const std::string& name : methods) {
        const core::ObjectiveInfo& info = core::objective(name).info();
        QAction* a = methodMenu->addAction(QString::fromStdString(info.label));
        a->setObjectName(QStringLiteral("method_") + QString::fromStdString(name));
        a->setToolTip(QString::fromStdString(info.help));
        if (const int key = methodKey(methods, name)) a->setShortcut(QKeySequence(Qt::Key_0 + key));
        connect(a, &QAction::triggered, this, [this, name] { m_controls->setMethod(name); });
    }
    train->addAction(m_controls->recommendedAction());
    connect(m_controls->recommendedAction(), &QAction::triggered, this, &MainWindow::useRecommendedSettings);
    train->addSeparator();
    QAction* resetParticles =
        train->addAction(tr("Reset &particles"), this, [this] { m_worker->resetParticles(); });
    resetParticles->setShortcut(Qt::Key_P);

    const ViewActions v = buildViewMenu();
    QToolBar* tb = addToolBar(tr("Training"));
    tb->setObjectName(QStringLiteral("trainingToolbar"));
    tb->addAction(m_playAction);
    tb->addAction(step);
    tb->addAction(reset);
    tb->addSeparator();
    tb->addAction(v.home);
    tb->addAction(resetParticles);
    tb->addSeparator();
    tb->addAction(v.draw);

    buildHelpMenu();
}

// View: reset the view, the image window, the Draw pane, the charts, the landscape's evaluation path, debug
// statistics.
MainWindow::ViewActions MainWindow::buildViewMenu() {
    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* home =
        view->addAction(tr("Reset &view"), this, [this] { m_view->resetView(targetBox(m_settings.target)); });
    home->setShortcut(Qt::Key_Home);
    QAction* images = view->addAction(tr("&Image EBMs…"), this, [this] {
        // One image window per 2D window, opened beside it; it trains on its own thread.
        if (!m_imageWindow) {
            ImageStartOptions o;
            o.askToSave = m_askToSave;
            o.restoreGeometry = m_restoreSettings;
            o.autosaveMs = m_autosaveMs;
            o.threads = m_imageThreads;
            m_imageWindow = new ImageWindow(o);
            m_imageWindow->setAttribute(Qt::WA_DeleteOnClose);
            connect(m_imageWindow, &ImageWindow::trainingChanged, this, &MainWindow::imageWindowTraining);
            connect(m_imageWindow, &QObject::destroyed, this, [this] { imageWindowTraining(false); });
        }
        m_imageWindow->show();
        m_imageWindow->raise();
        m_imageWindow->activateWindow();
        imageWindowTraining(m_imageWindow->isTraining());
    });
    images->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    images->setToolTip(
        tr("Learn and sample small images (digits, Fashion-MNIST, your PNGs) in a second window"));
    QAction* draw = m_drawDock->toggleViewAction();
    draw->setText(tr("&Draw the target"));
    draw->setShortcut(Qt::Key_D);
    draw->setToolTip(tr("Show the pane where you draw your own target density (D)"));
    view->addAction(draw);
    // A closed charts dock comes back from here (its title bar has a close button).
    if (auto* charts = findChild<QDockWidget*>(QStringLiteral("chartsDock"))) {
        QAction* a = charts->toggleViewAction();
        a->setText(tr("Training &charts"));
        a->setToolTip(tr("Show or hide the loss, KL, log Z, acceptance and speed charts"));
        view->addAction(a);
    }
    QMenu* path = view->addMenu(tr("Landscape &evaluation"));
    path->setToolTipsVisible(true);
    m_pathGroup = new QActionGroup(this);
    const std::pair<QString, EvalPath> paths[] = {
        {tr("Automatic (grid on software renderers)"), EvalPath::Auto},
        {tr("Grid texture (core on the worker thread)"), EvalPath::GridTexture},
        {tr("Per-pixel MLP shader"), EvalPath::ShaderMlp}};
    for (const auto& [name, p] : paths) {
        QAction* a = path->addAction(name);
        a->setCheckable(true);
        a->setChecked(m_view->display().path == p);
        a->setData(int(p));
        m_pathGroup->addAction(a);
        connect(a, &QAction::triggered, this, [this, p = p] {
            DisplaySettings d = m_view->display();
            d.path = p;
            setDisplay(d);
        });
    }
    QAction* stats = view->addAction(tr("&Debug statistics in the status bar"));
    stats->setCheckable(true);
    stats->setChecked(m_stats);
    connect(stats, &QAction::toggled, this, [this](bool on) {
        m_stats = on;
        updateStatus();
    });
    return {home, draw};
}

void MainWindow::buildHelpMenu() {
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* guide = help->addAction(tr("&Guide"), this, [this] { GuideWindow::showGuide(this); });
    guide->setShortcut(QKeySequence::HelpContents);
    guide->setToolTip(tr("What each layer, colour and chart shows, the keys, and a glossary (F1)"));
    help->addAction(tr("&About EBM Lab"), this, [this] {
        QMessageBox::about(
            this, tr("About EBM Lab"),
            tr("<b>EBM Lab</b> — watch an energy-based model learn a 2D density.<br>"
               "Space play/pause · S step · R reset · 1/2/3 method · drag to pan · wheel to zoom · "
               "click to spawn particles."));
    });
}

void MainWindow::onSnapshot() {
    SnapshotPtr snap = m_worker->takeLatest();
    if (!snap || m_document.isStale(snap->epoch)) return; // from the scene before an opened session
    // The average speed counts from the first snapshot of an uninterrupted stretch of training.
    if (!snap->playing || m_rateFirstStep < 0 || snap->step < m_rateFirstStep) {
        m_rateFirstStep = snap->playing ? snap->step : -1;
        m_rateClock.start();
    }
    m_last = snap;
    m_view->setSnapshot(snap);
    m_charts->addSnapshot(*snap);
    if (snap->methodInfo().needs.negatives) m_controls->showChainsRun(snap->chainSampler, snap->targetWidths);
    if (snap->diverged)
        statusBar()->showMessage(tr("Divergence rolled back: %1").arg(QString::fromStdString(snap->message)),
                                 8000);
    diagnose(*snap); // after: a new finding's message replaces the rollback's
}

void MainWindow::applySettings(const WorkerSettings& in) {
    WorkerSettings s = in;
    // The window owns the drawn density: settings coming from the controls may carry an older one.
    s.drawing = m_settings.drawing;
    if (s.target == kDrawingTarget && !s.drawing) {
        // Chosen from the target list: train on the drawing as it is now, if there is one.
        if (!s.drawing && !m_draw->document()->drawing().isEmpty())
            s.drawing = m_draw->document()->drawing().toDensity();
        if (!s.drawing) {
            showDrawPane(true);
            statusBar()->showMessage(
                tr("Nothing drawn yet: draw a density in the Draw pane, then train on it"), 8000);
            m_controls->setSettings(m_settings);
            return;
        }
    }
    const bool newTarget = s.target != m_settings.target;
    const bool newMethod = s.trainer.method != m_settings.trainer.method;
    if (s.training) // played again by hand: the image window no longer decides
        m_pausedForImages = m_restingForImages = false;
    m_settings = s;
    m_settings.view = m_view->viewBox();
    if (m_playAction && m_playAction->isChecked() != s.training) m_playAction->setChecked(s.training);
    m_worker->applySettings(workerSettings());
    if (newTarget) m_view->resetView(targetBox(s.target));
    // Seen in the next frame, before the worker's next snapshot shows what the switch does.
    if (newMethod || newTarget) {
        QStringList what;
        if (newMethod) what << QString::fromStdString(core::objective(s.trainer.method).info().label);
        if (newTarget) what << tr("target: %1").arg(QString::fromStdString(s.target));
        m_view->announce(what.join(QStringLiteral(" · ")));
    }
    if (m_controls->settings().target != s.target || m_controls->settings().training != s.training)
        m_controls->setSettings(m_settings);
    restartDiagnosisOnNewSettings(m_last ? m_last->step : 0);
    updateStatus();
}

void MainWindow::trainOnDrawing(std::shared_ptr<const core::TargetDensity> density) {
    if (!density) return;
    m_settings.drawing = std::move(density); // applySettings hands it over with the rest
    WorkerSettings s = m_settings;
    s.target = kDrawingTarget;
    applySettings(s);
}

void MainWindow::showDrawPane(bool on) {
    m_drawDock->setVisible(on);
    if (on) m_drawDock->raise();
}

void MainWindow::setPlaying(bool on) {
    if (m_settings.training == on) return;
    WorkerSettings s = m_settings;
    s.training = on;
    applySettings(s);
}

WorkerSettings MainWindow::workerSettings() const {
    WorkerSettings s = m_settings;
    if (m_restingForImages) s.particlesRunning = false;
    return s;
}

void MainWindow::imageWindowTraining(bool on) {
    if (on == m_restingForImages) return;
    m_restingForImages = on;
    if (on && m_settings.training) {
        m_pausedForImages = true;
        setPlaying(false);
        statusBar()->showMessage(
            tr("Paused while the image window trains (it resumes when that one pauses or closes)"));
    } else if (!on && m_pausedForImages) {
        m_pausedForImages = false;
        setPlaying(true);
        statusBar()->showMessage(tr("Training resumed: the image window paused or closed"), 6000);
    } else {
        m_worker->applySettings(workerSettings()); // the particles rest, or move again
        if (on)
            statusBar()->showMessage(tr("The particles rest while the image window trains (they move again "
                                        "when it pauses or closes)"),
                                     8000);
    }
}

void MainWindow::stepOnce() {
    setPlaying(false);
    m_worker->step(1);
}

void MainWindow::resetTraining() {
    m_document.markEdited();
    recordModelChange(tr("Reset model"));
    m_worker->reset();
    m_charts->clear();
}

void MainWindow::setDisplay(const DisplaySettings& d) {
    const bool lockChanged = d.lockRange != m_view->display().lockRange;
    m_view->setDisplay(d);
    if (lockChanged) {
        const DisplayParams& p = m_view->displayParams();
        statusBar()->showMessage(
            d.lockRange ? tr("Colour range locked at %1 … %2").arg(p.lo, 0, 'g', 3).arg(p.hi, 0, 'g', 3)
                        : tr("Colour range unlocked: it follows the visible field again"),
            4000);
    }
    if (m_display->display().path != d.path || m_display->display().source != d.source)
        m_display->setDisplay(d);
    if (m_pathGroup)
        for (QAction* a : m_pathGroup->actions())
            a->setChecked(a->data().toInt() == int(d.path));
    saveSettings();
}

QString MainWindow::statsLine() const {
    const FrameStats& f = m_view->frameStats();
    // Paused: no stretch of training to average over (0 over 0 s).
    const double seconds =
        m_rateFirstStep >= 0 && m_rateClock.isValid() ? m_rateClock.nsecsElapsed() / 1e9 : 0;
    const double average =
        m_last && m_rateFirstStep >= 0 && seconds > 0 ? double(m_last->step - m_rateFirstStep) / seconds : 0;
    return QStringLiteral("frame interval p50 %1 ms, p95 %2 ms (%3 frames) · training %4 steps/s now, %9 on "
                          "average over %10 s, on %8 thread(s), step %5 · %6 · %7")
        .arg(f.percentile(0.5), 0, 'f', 1)
        .arg(f.percentile(0.95), 0, 'f', 1)
        .arg(f.samples())
        .arg(m_last ? m_last->stepsPerSecond : 0.0, 0, 'f', 0)
        .arg(m_last ? m_last->step : 0)
        .arg(m_view->activePathName(), m_view->renderer())
        .arg(core::threadCount())
        .arg(average, 0, 'f', 0)
        .arg(seconds, 0, 'f', 1);
}

void MainWindow::updateStatus() {
    const long long frames = m_view->frameStats().frames();
    const double fps =
        (frames - m_framesAtLastStatus) / (m_statusTimer ? m_statusTimer->interval() / 1000.0 : 0.5);
    m_framesAtLastStatus = frames;
    // The method chosen, at once (the snapshots follow within a frame or two).
    const QString method = QString::fromStdString(core::objective(m_settings.trainer.method).info().label);
    m_methodLabel->setText(method);
    m_stepLabel->setText(tr("step %1").arg(m_last ? m_last->step : 0));
    // Paused says so (as the image window does), rather than a bare "0 steps/s".
    m_rateLabel->setText(m_last && !m_last->playing
                             ? tr("paused")
                             : tr("%1 steps/s").arg(m_last ? m_last->stepsPerSecond : 0.0, 0, 'f', 0));
    m_fpsLabel->setText(tr("%1 fps").arg(fps, 0, 'f', 0));
    m_debugLabel->setVisible(m_stats);
    if (m_stats) m_debugLabel->setText(statsLine());
    setWindowTitle(m_document.title(m_files->currentPath(), m_last ? m_last->step : -1,
                                    QString::fromStdString(m_settings.target), method));
}

void MainWindow::saveSettings() const {
    QSettings s = appSettings();
    const DisplaySettings d = m_view->display();
    s.setValue(QStringLiteral("display/source"), int(d.source));
    s.setValue(QStringLiteral("display/quantity"), int(d.quantity));
    s.setValue(QStringLiteral("display/colorMap"), qColorMapKey(d.colorMap));
    s.setValue(QStringLiteral("display/path"), int(d.path));
    s.setValue(QStringLiteral("display/lockRange"), d.lockRange);
    render::ColorRange r;
    std::int64_t key = 0;
    if (m_view->lockedRange(&r, &key))
        s.setValue(QStringLiteral("display/lockedRange"),
                   QVariantList{qlonglong(key), r.lo, r.hi, r.eMin, r.contourStep});
    for (const io::DisplayLayerKey& k : io::kDisplayLayers)
        s.setValue(layerSettingsKey(k), d.*k.member);
}

void MainWindow::restoreSettings() {
    QSettings s = appSettings();
    DisplaySettings d;
    d.source = FieldSource(std::clamp(s.value(QStringLiteral("display/source"), 0).toInt(), 0, 3));
    d.quantity = Quantity(std::clamp(s.value(QStringLiteral("display/quantity"), 0).toInt(), 0, 3));
    d.colorMap = colorMapFromKey(s.value(QStringLiteral("display/colorMap")).toString());
    d.path = EvalPath(std::clamp(s.value(QStringLiteral("display/path"), 0).toInt(), 0, 2));
    d.lockRange = s.value(QStringLiteral("display/lockRange"), false).toBool();
    // The locked range itself, so a lock holds across launches instead of catching the untrained model's.
    const QVariantList locked = s.value(QStringLiteral("display/lockedRange")).toList();
    if (d.lockRange && locked.size() == 5) {
        render::ColorRange r;
        r.lo = locked[1].toFloat();
        r.hi = locked[2].toFloat();
        r.eMin = locked[3].toFloat();
        r.contourStep = locked[4].toFloat();
        if (std::isfinite(r.lo) && std::isfinite(r.hi) && r.hi > r.lo && r.contourStep > 0)
            m_view->setLockedRange(r, locked[0].toLongLong());
    }
    for (const io::DisplayLayerKey& k : io::kDisplayLayers)
        d.*k.member = s.value(layerSettingsKey(k), d.*k.member).toBool();
    m_display->setDisplay(d);
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* e) {
    // The image window goes with this one, and asks about its own unsaved model first.
    if (m_imageWindow && m_imageWindow->isVisible() && !m_imageWindow->close()) {
        e->ignore();
        return;
    }
    if (!confirmClose(
            this, e, m_askToSave && hasUnsavedChanges(), tr("Save the scene?"),
            tr("The scene has changes that are not saved (edits, or training since the last save). "
               "Save them before closing?"),
            [this](std::function<void(bool)> after) { saveSession(std::move(after)); }, m_closeAfterSave))
        return;
    stopRecording();   // a recording in progress is finished, not lost (the recorder joins when destroyed)
    m_files->finish(); // a clean exit: no autosave to recover
    QSettings s = appSettings();
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    saveSettings();
    if (m_stats)
        std::printf("ebmlab: %s · kernels %s\n", qPrintable(statsLine()), core::simdInstructionSet());
    std::fflush(stdout);
    QMainWindow::closeEvent(e);
}

} // namespace ebm::ui
