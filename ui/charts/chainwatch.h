#pragma once
/// @file chainwatch.h
/// "Watch one chain": a Langevin trajectory from a picked image, frame by frame, with its energy curve;
/// play, scrub, run again from the same start, and export the animation (GIF / MP4 / WebM).
#include "chaintrajectory.h"
#include "threadend.h"
#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QTimer;
class QThread;

namespace ebm::ui {

class EnergyCurve;
class ImageGrid;
class ImageWorker;

class ChainWatchPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChainWatchPanel(ImageWorker* worker, QWidget* parent = nullptr);
    ~ChainWatchPanel() override; ///< cancels a running export and waits for it

    /// Runs a new chain from x0 on the worker (steps from the spin box); origin names it ("chain 12").
    void watch(const core::Vecf& x0, const QString& origin);
    /// Shows a finished trajectory (also the repair demo's).
    void setTrajectory(const ChainTrajectory& t, const QString& origin);
    const ChainTrajectory& trajectory() const { return m_t; }
    int frame() const { return m_frame; }
    void setFrame(int f);
    QString title() const;
    /// Exports the trajectory on a background thread (a progress dialog shows); exportFinished follows.
    void exportAnimation(const QString& path, double fps = 20);
    bool exporting() const { return m_exporting; }

signals:
    void trajectoryChanged();
    void exportFinished(bool ok, const QString& message);

private:
    ImageWorker* m_worker;
    ChainTrajectory m_t;
    core::Vecf m_start;
    QString m_origin;
    int m_frame = 0;
    std::int64_t m_request = 0;
    bool m_exporting = false;
    QThread* m_exportThread = nullptr;
    std::shared_ptr<ThreadEnd> m_exportEnded; ///< the export thread's end (with m_exportThread)
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QLabel* m_info;
    ImageGrid* m_image;
    QSlider* m_slider;
    QPushButton *m_play, *m_again, *m_export;
    QSpinBox* m_steps;
    EnergyCurve* m_curve;
    QTimer* m_timer;
    void chooseExportFile();
};

} // namespace ebm::ui
