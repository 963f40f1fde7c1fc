#pragma once
/// @file mainwindow.h
/// The main window: wires the landscape view, the control and display panels, the charts and the
/// training worker together, plus menus, shortcuts, the status bar and remembered settings. No logic
/// of its own beyond the wiring.
#include "displaysettings.h"
#include "documentstate.h"
#include "modelhistory.h"
#include "trainingsnapshot.h"
#include "workersettings.h"
#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <ebm/core/rundiagnosis.h>
#include <ebm/io/session.h>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QTimer;
class QUndoGroup;

namespace ebm::ui {

class ControlPanel;
class DisplayPanel;
class DrawPanel;
class ImageWindow;
class ExportDialog;
class RecordingController;
class SessionFiles;
class LandscapeView;
class MetricsChart;
class TrainingWorker;

/// How the window starts (command-line options of ebmlab; defaults give the live default scene).
struct StartOptions {
    WorkerSettings settings;                ///< eight gaussians, CD with Langevin, training
    bool restoreSettings = true;            ///< read layer toggles, colour map and geometry from QSettings
    bool stats = false;                     ///< debug statistics in the status bar and on stdout
    std::optional<DisplaySettings> display; ///< overrides the remembered display settings
    bool askToSave = true; ///< ask before closing with unsaved changes (off for scripted runs and tests)
    /// Autosave every autosaveMs into the data folder and offer recovery after a crash (needs
    /// restoreSettings: a fresh, scripted start leaves the user's autosave alone).
    int autosaveMs = 60000;
    /// Threads the image window opened from this one (View ▸ Image EBMs) trains on; 0: the process's count
    /// (core::threadCount(), which ebmlab sets to all cores but one for this window's own training).
    int imageThreads = 0;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const StartOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    LandscapeView* view() const { return m_view; }
    ControlPanel* controls() const { return m_controls; }
    DisplayPanel* displayPanel() const { return m_display; }
    MetricsChart* charts() const { return m_charts; }
    DrawPanel* drawPanel() const { return m_draw; }
    SessionFiles* sessionFiles() const { return m_files; }
    /// Changes that rebuilt the model (width, depth, activation, seed, Reset model), undoable.
    ModelHistory* modelHistory() const { return m_modelHistory; }
    /// Edit ▸ Undo / Redo: the model's history, or the drawing's while the Draw pane has the focus.
    QUndoGroup* undoGroup() const { return m_undoGroup; }
    /// Collects the whole scene (the worker's state between chunks, plus view, display, history and
    /// drawing) and calls done with it on the GUI thread.
    void captureSession(std::function<void(io::SessionFile)> done);
    /// Checks everything in f (the same way the worker will), then replaces the scene. Throws, changing
    /// nothing, if f cannot be applied.
    void applySession(const io::SessionFile& f);
    /// Opens a session file; on failure shows why (status bar, lastError()) and returns false.
    bool openSession(const QString& path);
    /// The export dialog (created on first use).
    ExportDialog* exportDialog();
    /// Starts recording the live view into a GIF/MP4/WebM (false, with lastError(), if it cannot).
    bool startRecording(const QString& path, double fps = 10);
    void stopRecording();
    bool recording() const;
    /// Edits, or training since the last save of a named session.
    bool hasUnsavedChanges() const;
    TrainingWorker* worker() const { return m_worker.get(); }
    WorkerSettings settings() const { return m_settings; }
    SnapshotPtr lastSnapshot() const { return m_last; }
    QString lastError() const { return m_lastError; }
    /// Frame interval percentiles (ms) and the status line the debug mode shows.
    QString statsLine() const;
    /// The stuck-run diagnostic fed by the snapshots (its finding is shown in the status bar).
    const core::RunDiagnosis& runDiagnosis() const { return m_diagnosis; }

public slots:
    void setPlaying(bool on);
    void stepOnce();
    void resetTraining();
    void applySettings(const ebm::ui::WorkerSettings& s);
    /// Training ▸ Use recommended settings: the target's and method's recommended trainer settings
    /// (core::recommendedSettings; the defaults where there are none), shown in the controls and applied
    /// as one undoable step. The model keeps training unless the architecture changes.
    void useRecommendedSettings();
    void setDisplay(const ebm::ui::DisplaySettings& d);
    /// Makes the density the target (the model keeps its parameters and learns it).
    void trainOnDrawing(std::shared_ptr<const ebm::core::TargetDensity> density);
    void showDrawPane(bool on);
    void openSessionDialog();
    void showExportDialog();
    /// Saves to the current file (or asks for one); then calls after(ok).
    void saveSession(std::function<void(bool)> after = {});
    void saveSessionAs(std::function<void(bool)> after = {});

signals:
    /// A live recording ended: ok when the file is complete.
    void recordingFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    std::unique_ptr<TrainingWorker> m_worker;
    LandscapeView* m_view;
    ControlPanel* m_controls;
    DisplayPanel* m_display;
    MetricsChart* m_charts;
    DrawPanel* m_draw;
    QDockWidget* m_drawDock;
    QTimer* m_drawingTimer; ///< coalesces live drawing changes (a drag moves many times a frame)
    SessionFiles* m_files;
    ExportDialog* m_export = nullptr;
    RecordingController* m_recording;
    QPointer<ImageWindow> m_imageWindow;
    QAction* m_recordAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    ModelHistory* m_modelHistory = nullptr;
    QUndoGroup* m_undoGroup = nullptr;
    bool m_askToSave = true;
    bool m_restoreSettings = true;
    int m_imageThreads = 0; ///< StartOptions::imageThreads
    int m_autosaveMs = 0; ///< the autosave interval (0: none); the image window opened from here uses it too
    DocumentState m_document; ///< unsaved changes, the saved step, the scene's epoch, the title
    bool m_closeAfterSave = false;
    WorkerSettings m_settings;
    SnapshotPtr m_last;
    QString m_lastError;
    bool m_stats = false;
    QAction* m_playAction = nullptr;
    QActionGroup* m_pathGroup = nullptr;
    QLabel *m_methodLabel, *m_stepLabel, *m_rateLabel, *m_fpsLabel, *m_debugLabel;
    // The stuck-run diagnostic (mainwindowadvice.cpp): the settings and scene it watches, its status label.
    core::RunDiagnosis m_diagnosis;
    WorkerSettings m_diagnosed; ///< the settings its history belongs to (trainer, target, drawing)
    std::int64_t m_diagnosedEpoch = -1;
    QLabel* m_diagnosisLabel = nullptr;
    QTimer* m_statusTimer;
    long long m_framesAtLastStatus = 0;
    /// --stats: the training speed averaged since training last (re)started, like the CLI's figure.
    QElapsedTimer m_rateClock;
    std::int64_t m_rateFirstStep = -1;

    /// Training paused because the image window trains (it resumes when that one pauses or closes).
    bool m_pausedForImages = false;
    /// The image window trains and this window has not been played by hand since: the live particles rest
    /// too (their redrawing took the image trainer's second core on a machine without a GPU), whatever
    /// "Move particles while paused" says; the setting itself is kept.
    bool m_restingForImages = false;
    /// m_settings as the worker gets them (the particles held while m_restingForImages).
    WorkerSettings workerSettings() const;

    // Construction steps (mainwindowbuild.cpp), in the constructor's order.
    void buildDocks();
    void buildSessionFiles();
    void buildStatusBar();
    void connectWorker();
    void connectPanels();
    void buildMenus();
    struct ViewActions {
        QAction* home; ///< Reset view
        QAction* draw; ///< show the Draw pane
    };
    ViewActions buildViewMenu();
    void buildHelpMenu();
    void buildFileMenu();
    void buildEditMenu(); // mainwindowundo.cpp
    // mainwindowadvice.cpp: the diagnostic's status label; feeding it a snapshot; starting it afresh when
    // the trainer's settings or the target changed (fromStep: the step shown then); showing its finding.
    void buildDiagnosis();
    void diagnose(const TrainingSnapshot& snap);
    void restartDiagnosisOnNewSettings(std::int64_t fromStep);
    void showFinding(bool announce);
    /// Makes the next model rebuild undoable and says so in the status bar (call just before it).
    void recordModelChange(const QString& what);
    void captureTraining(ModelHistory::Done done);
    void restoreTraining(const TrainingState& state);
    /// The image window started (on) or stopped training, or closed: the 2D trainer pauses while it trains,
    /// so the two do not share the cores, and resumes afterwards if it was playing.
    void imageWindowTraining(bool on);
    void updateRecentMenu();
    /// The live recording ended (finished, cancelled or failed): the status bar and recordingFinished say so.
    void recordingEnded(bool ok, const QString& message);
    void offerRecovery(const QString& autosave);
    void onSnapshot();
    void updateStatus();
    void saveSettings() const;
    void restoreSettings();
    core::Box targetBox(const std::string& name) const;
};

} // namespace ebm::ui
