#pragma once
/// @file exportdialog.h
/// File ▸ Export: an animation of a scripted run — from scratch (a fresh model with the scene's settings)
/// or continued from the scene as it is now — as GIF, MP4, WebM or PNG frames, or one image of the scene
/// at any size. Size, fps, steps, frame interval, layers, the axes and the caption are chosen here; the
/// export runs on its own thread with a progress bar, time left and Cancel, while the window keeps
/// training. The default file goes to the pictures folder, created on the first export if it is missing.
#include "exportjob.h"
#include <QDialog>
#include <QElapsedTimer>
#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QDoubleSpinBox;

namespace ebm::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    using Capture = std::function<void(std::function<void(io::SessionFile)>)>;
    /// capture collects the scene when Export is pressed (the window's captureSession).
    ExportDialog(Capture capture, QWidget* parent = nullptr);
    ~ExportDialog() override;

    /// The controls (tests set them directly).
    QLineEdit* pathEdit() const { return m_path; }
    void setSize(int w, int h);
    void setRun(int steps, int every, double fps);
    /// Starts the export as the Export button does; false (with the reason in status()) if it cannot.
    bool startExport();
    void cancelExport();
    /// Ticks the layer boxes as the window shows them (when the dialog is opened).
    void setLayers(const render::Layers& layers);
    render::Layers layers() const;
    /// From scratch (the default) or continued from the scene now.
    void setStart(exporter::Start start);
    exporter::Start start() const;
    /// The folder of the default file name (created by the first export that writes there).
    QString defaultFolder() const { return m_defaultFolder; }
    /// The length of the animation the controls describe, in seconds.
    double clipSeconds() const;
    /// The training step of the last export's first frame (-1 before one).
    qint64 firstStep() const { return m_firstStep; }
    bool busy() const { return m_job != nullptr; }
    QString status() const;
    int progressValue() const;

signals:
    void exportFinished(bool ok, const QString& message);

protected:
    void closeEvent(QCloseEvent* e) override;

private:
    Capture m_capture;
    QComboBox* m_format;
    QLineEdit* m_path;
    QSpinBox *m_width, *m_height, *m_steps, *m_every;
    QDoubleSpinBox* m_fps;
    QCheckBox *m_caption, *m_axes;
    QRadioButton *m_fromScratch, *m_continue;
    QString m_defaultFolder, m_folderNote;
    qint64 m_firstStep = -1;
    std::vector<std::pair<QCheckBox*, bool render::Layers::*>> m_layers;
    QLabel* m_frames;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton *m_start, *m_cancel;
    std::unique_ptr<ExportJob> m_job;
    QElapsedTimer m_clock;
    bool m_capturing = false;

    void formatChanged();
    void updateFrames();
    void onProgress(int frame, int frames, qint64 step);
    void onFinished(bool ok, const QString& message);
    void setStatus(const QString& text, bool error);
    /// A path in the missing default folder: creates it, or, if it cannot be made, moves the path to the
    /// home folder. Other missing folders are left for the job to refuse.
    void prepareFolder(QString& path);
};

} // namespace ebm::ui
