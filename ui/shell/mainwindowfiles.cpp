// MainWindow's File menu: sessions (open, save, recent files), autosave and recovery, and the question
// before closing with unsaved changes. The file formats live in io/; SessionFiles knows the files.
#include "autosaveslot.h"
#include "controlpanel.h"
#include "drawpanel.h"
#include "exportdialog.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "recordingcontroller.h"
#include "sessionfiles.h"
#include "sessionrecords.h"
#include "trainingengine.h"
#include "trainingworker.h"
#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

namespace ebm::ui {

void MainWindow::captureSession(std::function<void(io::SessionFile)> done) {
    m_worker->capture([this, done = std::move(done)](io::SessionFile f) {
        f.view = m_view->viewBox();
        f.display = toRecord(m_view->display());
        f.history = m_charts->history();
        // The drawing is kept even while a preset is the target: switching back to it loses nothing.
        if (!m_draw->document()->drawing().isEmpty() || f.target == kDrawingTarget)
            f.drawing = toRecord(m_draw->document()->drawing());
        m_document.captured(f.trainer.step);
        done(std::move(f));
    });
}

void MainWindow::applySession(const io::SessionFile& f) {
    // Everything is checked first, exactly as the worker will apply it: a probe session restores f.
    const auto target = io::targetOf(f);
    const std::optional<core::DensityDrawing> drawing =
        f.drawing ? std::optional<core::DensityDrawing>(io::drawingOf(*f.drawing)) : std::nullopt;
    {
        WorkerSettings probeSettings = TrainingEngine::settingsOf(f, target);
        probeSettings.particleCount = 1; // the probe's own particles are replaced by restore()
        TrainingEngine probe(probeSettings);
        probe.restore(f, target);
    }
    // Apply.
    m_worker->restore(std::make_shared<const io::SessionFile>(f), target);
    m_document.newEpoch();
    m_last.reset();
    m_settings = TrainingEngine::settingsOf(f, target);
    m_controls->setSettings(m_settings);
    if (m_playAction) m_playAction->setChecked(m_settings.training);
    if (drawing) m_draw->document()->reset(*drawing);
    m_view->resetView(targetBox(m_settings.target));
    m_view->showBox(f.view);
    m_worker->setView(m_view->viewBox());
    DisplaySettings display = displayFromRecord(f.display);
    display.lockRange = m_view->display().lockRange; // a window setting, not kept in the session
    setDisplay(display);
    m_charts->setHistory(f.history);
    m_modelHistory->clear(); // the undo entries belong to the scene that was replaced
    m_document.markClean(f.trainer.step);
    updateStatus();
}

bool MainWindow::openSession(const QString& path) {
    QString error;
    if (!m_files->open(path, &error)) {
        m_lastError = error;
        statusBar()->showMessage(tr("Could not open %1: %2").arg(QFileInfo(path).fileName(), error), 15000);
        return false;
    }
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::hasUnsavedChanges() const {
    return m_document.hasUnsavedChanges(m_files->currentPath(), m_last ? m_last->step : -1);
}

void MainWindow::buildFileMenu() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open session…"), this, &MainWindow::openSessionDialog);
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Open a saved scene (.ebmlab) and continue where it stopped (Ctrl+O)"));
    m_recentMenu = file->addMenu(tr("Open &recent"));
    updateRecentMenu();
    connect(m_files, &SessionFiles::recentFilesChanged, this, &MainWindow::updateRecentMenu);
    QAction* save = file->addAction(tr("&Save session"), this, [this] { saveSession(); });
    save->setShortcut(QKeySequence::Save);
    save->setToolTip(tr("Save the whole scene: target, model, optimiser, settings, particles, view, charts "
                        "(Ctrl+S)"));
    QAction* saveAs = file->addAction(tr("Save session &as…"), this, [this] { saveSessionAs(); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* exp = file->addAction(tr("&Export animation or image…"), this, &MainWindow::showExportDialog);
    exp->setShortcut(Qt::CTRL | Qt::Key_E);
    exp->setToolTip(
        tr("Write a GIF, MP4, WebM or PNG frames of the run continued from now, or one image at any "
           "size (Ctrl+E)"));
    m_recordAction = file->addAction(tr("&Record the live run…"));
    m_recordAction->setCheckable(true);
    m_recordAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_R);
    m_recordAction->setToolTip(tr("Record the view as it trains into a GIF, MP4 or WebM; again to stop "
                                  "(Ctrl+Shift+R)"));
    connect(m_recordAction, &QAction::triggered, this, [this](bool on) {
        if (!on) {
            stopRecording();
            return;
        }
        m_recordAction->setChecked(false); // checked once recording really starts
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Record the live run"), QStringLiteral("live.mp4"),
                                         tr("Animations (*.gif *.mp4 *.webm)"));
        if (!path.isEmpty() && !startRecording(path))
            QMessageBox::warning(this, tr("Record"),
                                 tr("Could not record to %1.\n\n%2").arg(path, m_lastError));
    });
    QAction* svg = file->addAction(tr("Export &charts as SVG…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the charts"),
                                                          QStringLiteral("charts.svg"), tr("SVG (*.svg)"));
        if (path.isEmpty()) return;
        try {
            m_charts->saveSvg(path);
            statusBar()->showMessage(tr("Wrote %1").arg(path), 5000);
        } catch (const std::exception& e) {
            QMessageBox::warning(this, tr("Export charts"),
                                 tr("Could not write %1.\n\n%2").arg(path, e.what()));
        }
    });
    svg->setToolTip(tr("The training charts as vector graphics, for slides"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = m_files->recentFiles();
    for (int i = 0; i < recent.size(); ++i) {
        const QString path = recent[i];
        QAction* a =
            m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            if (!openSession(path))
                QMessageBox::warning(this, tr("Open session"),
                                     tr("Could not open %1.\n\n%2").arg(path, m_lastError));
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::openSessionDialog() {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open session"), QFileInfo(m_files->currentPath()).path(),
                                     tr("EBM Lab sessions (*.ebmlab);;All files (*)"));
    if (path.isEmpty()) return;
    if (!openSession(path))
        QMessageBox::warning(
            this, tr("Open session"),
            tr("Could not open %1; the current scene is unchanged.\n\n%2").arg(path, m_lastError));
}

void MainWindow::saveSession(std::function<void(bool)> after) {
    if (m_files->currentPath().isEmpty()) {
        saveSessionAs(std::move(after));
        return;
    }
    const QString path = m_files->currentPath();
    m_files->save(path, [this, path, after](bool ok, const QString& error) {
        if (ok) {
            statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
        } else {
            m_lastError = error;
            QMessageBox::warning(this, tr("Save session"), tr("Could not save %1.\n\n%2").arg(path, error));
        }
        if (after) after(ok);
    });
}

void MainWindow::saveSessionAs(std::function<void(bool)> after) {
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save session"),
        m_files->currentPath().isEmpty() ? QStringLiteral("scene.ebmlab") : m_files->currentPath(),
        tr("EBM Lab sessions (*.ebmlab)"));
    if (path.isEmpty()) {
        if (after) after(false);
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".ebmlab");
    m_files->save(path, [this, path, after](bool ok, const QString& error) {
        if (!ok) {
            m_lastError = error;
            QMessageBox::warning(this, tr("Save session"), tr("Could not save %1.\n\n%2").arg(path, error));
        }
        if (after) after(ok);
    });
}

ExportDialog* MainWindow::exportDialog() {
    if (!m_export) {
        m_export = new ExportDialog(
            [this](std::function<void(io::SessionFile)> done) { captureSession(std::move(done)); }, this);
        connect(m_export, &ExportDialog::exportFinished, this, [this](bool ok, const QString& message) {
            statusBar()->showMessage(ok ? message : tr("Export failed: %1").arg(message), 10000);
        });
    }
    return m_export;
}

void MainWindow::showExportDialog() {
    const DisplaySettings& d = m_view->display();
    render::Layers l = exportDialog()->layers();
    l.landscape = d.landscape;
    l.contours = d.contours;
    l.arrows = d.vectorField;
    l.particles = d.particles;
    l.trails = d.trails;
    l.data = d.data;
    l.method = d.methodView;
    exportDialog()->setLayers(l); // as the window shows them; the caption keeps its last choice
    exportDialog()->show();
    exportDialog()->raise();
}

bool MainWindow::startRecording(const QString& path, double fps) {
    QString error;
    if (m_recording->start(path, fps, &error)) {
        m_recordAction->setChecked(true);
        return true;
    }
    if (!error.isEmpty()) {
        m_lastError = error;
        statusBar()->showMessage(tr("Cannot record: %1").arg(m_lastError), 10000);
    }
    return false;
}

void MainWindow::stopRecording() {
    m_recording->stop();
    if (m_recordAction) m_recordAction->setChecked(false);
}

bool MainWindow::recording() const {
    return m_recording->recording();
}

void MainWindow::recordingEnded(bool ok, const QString& message) {
    if (!ok) m_lastError = message;
    statusBar()->showMessage(message, 10000);
    emit recordingFinished(ok, message);
}

void MainWindow::offerRecovery(const QString& autosave) {
    const bool yes = AutosaveSlot::askToRecover(this, autosave, tr("EBM Lab"), tr("scene"));
    // From here on the autosave holds this window's scene: the recovered one, or (No, or unreadable) the
    // fresh one.
    const bool opened = yes && openSession(autosave);
    m_files->resumeAutosave();
    if (opened) {
        m_document.markEdited(); // recovered, but not saved anywhere yet
        return;
    }
    if (yes)
        QMessageBox::warning(this, tr("Recover"),
                             tr("The autosave could not be read.\n\n%1").arg(m_lastError));
}

} // namespace ebm::ui
