#pragma once
/// @file mainwindow.h
/// The main window: wires the landscape view, the control and display panels, the charts and the
/// training worker together, plus menus, shortcuts, the status bar and remembered settings. No logic
/// of its own beyond the wiring.
#include "displaysettings.h"
#include "trainingsnapshot.h"
#include "workersettings.h"
#include <QMainWindow>
#include <memory>
#include <optional>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QTimer;

namespace ebm::ui {

class ControlPanel;
class DisplayPanel;
class DrawPanel;
class LandscapeView;
class MetricsChart;
class TrainingWorker;

/// How the window starts (command-line options of ebmlab; defaults give the live default scene).
struct StartOptions {
    WorkerSettings settings;                ///< eight gaussians, CD with Langevin, training
    bool restoreSettings = true;            ///< read layer toggles, colour map and geometry from QSettings
    bool stats = false;                     ///< debug statistics in the status bar and on stdout
    std::optional<DisplaySettings> display; ///< overrides the remembered display settings
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
    TrainingWorker* worker() const { return m_worker.get(); }
    WorkerSettings settings() const { return m_settings; }
    SnapshotPtr lastSnapshot() const { return m_last; }
    QString lastError() const { return m_lastError; }
    /// Frame interval percentiles (ms) and the status line the debug mode shows.
    QString statsLine() const;

public slots:
    void setPlaying(bool on);
    void stepOnce();
    void resetTraining();
    void applySettings(const ebm::ui::WorkerSettings& s);
    void setDisplay(const ebm::ui::DisplaySettings& d);
    /// Makes the density the target (the model keeps its parameters and learns it).
    void trainOnDrawing(std::shared_ptr<const ebm::core::TargetDensity> density);
    void showDrawPane(bool on);

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
    WorkerSettings m_settings;
    SnapshotPtr m_last;
    QString m_lastError;
    bool m_stats = false;
    QAction* m_playAction = nullptr;
    QActionGroup* m_pathGroup = nullptr;
    QLabel *m_methodLabel, *m_stepLabel, *m_rateLabel, *m_fpsLabel, *m_debugLabel;
    QTimer* m_statusTimer;
    long long m_framesAtLastStatus = 0;

    void buildMenus();
    void onSnapshot();
    void updateStatus();
    void saveSettings() const;
    void restoreSettings();
    core::Box targetBox(const std::string& name) const;
};

} // namespace ebm::ui
