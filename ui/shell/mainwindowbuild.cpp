// MainWindow's construction steps, in the constructor's order: the docks, session files, status bar, and
// the connections from the worker, the view and the panels.
#include "autosaveslot.h"
#include "controlpanel.h"
#include "displaypanel.h"
#include "drawpanel.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "sessionfiles.h"
#include "trainingworker.h"
#include <QDockWidget>
#include <QLabel>
#include <QScrollArea>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace ebm::ui {

// The control and display panels on the left, the charts below, the Draw pane on the right (hidden).
void MainWindow::buildDocks() {
    m_controls = new ControlPanel;
    m_display = new DisplayPanel;
    auto* panel = new QWidget;
    auto* pv = new QVBoxLayout(panel);
    pv->setContentsMargins(0, 0, 0, 0);
    pv->setSpacing(0);
    pv->addWidget(m_display);
    pv->addWidget(m_controls);
    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(panel->sizeHint().width() + 18);
    auto* left = new QDockWidget(tr("Controls"));
    left->setObjectName(QStringLiteral("controlsDock"));
    left->setWidget(scroll);
    left->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(Qt::LeftDockWidgetArea, left);

    m_charts = new MetricsChart;
    auto* bottom = new QDockWidget(tr("Training charts"));
    bottom->setObjectName(QStringLiteral("chartsDock"));
    bottom->setWidget(m_charts);
    bottom->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                        QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::BottomDockWidgetArea, bottom);

    m_draw = new DrawPanel;
    auto* drawScroll = new QScrollArea;
    drawScroll->setWidget(m_draw);
    drawScroll->setWidgetResizable(true);
    drawScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Always there: a scroll bar that came and went with the pane's texts would resize the canvas.
    drawScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    drawScroll->setMinimumWidth(m_draw->sizeHint().width() + 18);
    m_drawDock = new QDockWidget(tr("Draw the target"));
    m_drawDock->setObjectName(QStringLiteral("drawDock"));
    m_drawDock->setWidget(drawScroll);
    addDockWidget(Qt::RightDockWidgetArea, m_drawDock);
    m_drawDock->hide();
}

// Sessions: saving and opening through SessionFiles; a save to the user's file makes the scene clean.
void MainWindow::buildSessionFiles() {
    m_files = new SessionFiles([this](SessionFiles::Done done) { captureSession(std::move(done)); },
                               [this](const io::SessionFile& f) { applySession(f); }, this);
    connect(m_files, &SessionFiles::saved, this, [this](const QString& path) {
        if (path == m_files->autosavePath()) return; // the autosave is not the user's file
        m_document.saved();
    });
    connect(m_files, &SessionFiles::currentPathChanged, this, &MainWindow::updateStatus);
    connect(m_files, &SessionFiles::autosaveFailed, this, [this](const QString& error) {
        m_lastError = error;
        statusBar()->showMessage(AutosaveSlot::failureText(error), 20000);
    });
}

// The permanent labels: the stuck-run diagnostic (while it has a finding), method, step, steps per second,
// frames per second; the debug line.
void MainWindow::buildStatusBar() {
    m_methodLabel = new QLabel;
    m_stepLabel = new QLabel;
    m_rateLabel = new QLabel;
    m_rateLabel->setObjectName(QStringLiteral("rateLabel"));
    m_fpsLabel = new QLabel;
    m_debugLabel = new QLabel;
    m_methodLabel->setToolTip(tr("The training method in use"));
    m_stepLabel->setToolTip(tr("Training steps taken"));
    m_rateLabel->setToolTip(tr("Training steps per second on the worker thread, or \"paused\""));
    m_fpsLabel->setToolTip(tr("Frames drawn per second by the view"));
    m_debugLabel->setToolTip(tr("Debug: GUI frame interval percentiles, evaluation path and renderer"));
    buildDiagnosis(); // the leftmost permanent label
    for (QLabel* l : {m_methodLabel, m_stepLabel, m_rateLabel, m_fpsLabel})
        statusBar()->addPermanentWidget(l);
    statusBar()->addWidget(m_debugLabel, 1);
}

// The worker's snapshots and errors, and what the view asks of it.
void MainWindow::connectWorker() {
    connect(m_worker.get(), &TrainingWorker::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_worker.get(), &TrainingWorker::failed, this, [this](const QString& msg) {
        m_lastError = msg;
        statusBar()->showMessage(tr("Training error: %1").arg(msg), 10000);
    });
    connect(m_view, &LandscapeView::viewBoxChanged, m_worker.get(),
            [this](const core::Box& b) { m_worker->setView(b); });
    connect(m_view, &LandscapeView::spawnRequested, this, [this](QPointF p) {
        m_worker->spawnParticles(p.x(), p.y(), std::max(50, m_settings.particleCount / 20));
    });
    connect(m_view, &LandscapeView::glFailed, this, [this](const QString& log) {
        m_lastError = log;
        statusBar()->showMessage(tr("OpenGL problem: %1").arg(log.left(200)), 15000);
    });
}

// The panels' changes: settings, display, the drawing (coalesced while it is dragged).
void MainWindow::connectPanels() {
    connect(m_controls, &ControlPanel::settingsChanged, this, [this](const WorkerSettings& s) {
        m_document.markEdited();
        if (s.target == m_settings.target && rebuildsModel(m_settings.trainer, s.trainer))
            recordModelChange(describeModelChange(m_settings.trainer, s.trainer));
        applySettings(s);
    });
    connect(m_draw->document(), &DrawingDocument::changed, this, [this] { m_document.markEdited(); });
    connect(m_controls, &ControlPanel::resetParticlesRequested, m_worker.get(),
            [this] { m_worker->resetParticles(); });
    connect(m_display, &DisplayPanel::displayChanged, this, &MainWindow::setDisplay);
    connect(m_draw, &DrawPanel::trainRequested, this, &MainWindow::trainOnDrawing);
    connect(m_draw, &DrawPanel::drawingChanged, this, [this] {
        if (m_settings.target == kDrawingTarget && m_draw->liveUpdates()) m_drawingTimer->start();
    });
    connect(m_drawingTimer, &QTimer::timeout, this, [this] {
        // An emptied drawing cannot be learned: the model keeps the last drawing that had mass.
        if (m_settings.target != kDrawingTarget || m_draw->document()->drawing().isEmpty()) return;
        trainOnDrawing(m_draw->document()->drawing().toDensity());
    });
}

} // namespace ebm::ui
