#pragma once
/// @file imagewindow.h
/// The image mode: an EBM learning small images live. Centre: the chains' current samples, replay-buffer
/// samples and training data side by side over the energy histogram; left: data, model, method and
/// hyperparameters; right: "watch one chain" and the denoise / inpaint / anomaly demo; bottom: charts.
/// Wiring only: the maths is in core/ (ImageTrainer, imageLangevin) and runs on the ImageWorker's thread.
#include "imagesettings.h"
#include "imagesnapshot.h"
#include <QMainWindow>
#include <functional>
#include <memory>

class QLabel;
class QTabWidget;

namespace ebm::ui {

class ChainWatchPanel;
class ChartGrid;
class EnergyHistogram;
class ImageControls;
class ImageGrid;
class AutosaveSlot;
class ImageWorker;
class RepairPanel;

struct ImageStartOptions {
    ImageSettings settings;
    QString modelFile;           ///< a saved image model to open once the data are loaded (optional)
    bool askToSave = true;       ///< ask before closing with a model trained since the last save
    bool restoreGeometry = true; ///< window geometry and docks from QSettings
    /// Autosave the scene every autosaveMs into the data folder (autosave.ebmlab-images) and offer to
    /// recover it after a crash; 0: no autosave (tests, --no-restore). ebmlab sets 60 s (--autosave).
    int autosaveMs = 0;
    /// Threads the training uses (0: the process's count, core::threadCount()). The 2D window opens this
    /// window with every core, as `ebmlab --images` trains, unless --threads was given.
    int threads = 0;
};

class ImageWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Grid { Chains = 0, Buffer, Data, GridCount };
    enum Chart { Loss = 0, MeanEnergy, Throughput };

    explicit ImageWindow(const ImageStartOptions& o = {}, QWidget* parent = nullptr);
    ~ImageWindow() override;

    ImageWorker* worker() const { return m_worker.get(); }
    ImageControls* controls() const { return m_controls; }
    ImageGrid* grid(Grid g) const { return m_grids[g]; }
    EnergyHistogram* histogram() const { return m_histogram; }
    ChartGrid* charts() const { return m_charts; }
    ChainWatchPanel* chainWatch() const { return m_watch; }
    RepairPanel* repair() const { return m_repair; }
    ImageSnapshotPtr lastSnapshot() const { return m_last; }
    QString lastError() const { return m_lastError; }

    /// Reads an image model file (ebmlab-cli train --images … --save) and installs it on the worker
    /// (modelOpened follows); false with lastError() if the file cannot be read. A model for another image
    /// size is refused by the worker (lastError(), the scene stays).
    bool openModel(const QString& path);
    /// Saves the current model (atomically) on the GUI thread once the worker has copied it; after(ok)
    /// follows (failure: lastError()).
    void saveModel(const QString& path, std::function<void(bool)> after = {});
    /// Reads an image session file (.ebmlab-images) and continues its scene bit for bit: data, model,
    /// optimiser, replay buffer, every setting, the live chains. False with lastError() and one message
    /// box if the file cannot be read; a file that does not fit its data is refused by the worker (one
    /// message box, lastError()). Either way the running scene stays as it was.
    bool openSession(const QString& path);
    /// Saves the whole scene (atomically) once the worker has copied it; after(ok) follows (failure:
    /// lastError() and a message box).
    void saveSession(const QString& path, std::function<void(bool)> after = {});
    /// The autosave file (in the data folder; written only while autosaving, see ImageStartOptions).
    QString autosavePath() const;
    /// Writes the autosave now (what the timer does); done(ok, error) follows on the GUI thread.
    void autosaveNow(std::function<void(bool, QString)> done = {});
    /// Training since the last save or open of a model or a session.
    bool hasUnsavedChanges() const;
    /// Writes a grid as it is shown, each image pixel zoom x zoom, as a grey PNG (atomically).
    bool exportGrid(Grid g, const QString& path, int zoom = 4);
    /// Training is on (playing); the 2D window pauses its own trainer meanwhile.
    bool isTraining() const { return m_settings.training; }

signals:
    void modelOpened();            ///< a model from openModel() is installed
    void sessionOpened();          ///< a session from openSession() is installed
    void trainingChanged(bool on); ///< play / pause switched
    /// An autosave could not be written (e.g. the disk is full); emitted once until an autosave succeeds.
    void autosaveFailed(const QString& error);

public slots:
    void setPlaying(bool on);
    void setMethod(const std::string& method); ///< a registered objective supporting images
    void applySettings(const ebm::ui::ImageSettings& s);

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    std::unique_ptr<ImageWorker> m_worker;
    ImageSettings m_settings;
    ImageControls* m_controls;
    ImageGrid* m_grids[GridCount];
    EnergyHistogram* m_histogram;
    ChartGrid* m_charts;
    ChainWatchPanel* m_watch;
    RepairPanel* m_repair;
    QTabWidget* m_demoTabs = nullptr;
    ImageSnapshotPtr m_last;
    QString m_lastError;
    QLabel *m_stepLabel, *m_rateLabel, *m_dataLabel;
    bool m_startModelOpened = false;               ///< the --image-model file went in with the first data
    std::shared_ptr<const core::Matf> m_shownData; ///< what the data grid shows
    bool m_askToSave = true;
    bool m_closeAfterSave = false;
    std::int64_t m_lastChartStep = -1;
    std::int64_t m_savedStep = 0; ///< the step of the last save or open
    QString m_modelPath;          ///< where the model was last saved or opened from
    QString m_sessionPath;        ///< where the session was last saved or opened from
    AutosaveSlot* m_autosave;     ///< the scene's autosave (held only when autosaving)

    // Construction steps (imagewindow.cpp), in the constructor's order.
    void buildGrids();
    void buildDocks(const ImageSettings& settings);
    void connectWorker(const QString& modelFile);
    void connectDemos();
    void buildMenus();
    void onSnapshot();
    void showError(const QString& message);
    void exportGridDialog(Grid g);
    void saveModelDialog(bool askForPath, std::function<void(bool)> after = {});
    void sessionError(const QString& message); ///< lastError, status bar and one (non-blocking) message box
    /// Captures the scene on the worker and writes it to path atomically; done(ok, error, step) follows.
    void writeSession(const QString& path, std::function<void(bool, QString, std::int64_t)> done);
    void offerRecovery(const QString& autosave);
};

} // namespace ebm::ui
