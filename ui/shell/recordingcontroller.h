#pragma once
/// @file recordingcontroller.h
/// Recording the live view: starts a LiveRecorder at the view's size, grabs the plot at the recording's
/// frame rate with the figure the exports draw around it, and stops or reports the end.
#include <QObject>
#include <QString>

class QTimer;

namespace ebm::ui {

class LandscapeView;
class LiveRecorder;

class RecordingController : public QObject {
    Q_OBJECT
public:
    explicit RecordingController(LandscapeView* view, QObject* parent = nullptr);

    /// Starts recording into a GIF/MP4/WebM at fps frames a second. False if a recording is already
    /// running, or (with *error set to a one-line reason) if the file cannot be written.
    bool start(const QString& path, double fps, QString* error);
    /// Finishes the file; finished() follows.
    void stop();
    bool recording() const { return m_recorder != nullptr; }

signals:
    /// A frame was queued: "● Recording live.gif: 12 frames".
    void progress(const QString& message);
    /// The recording ended: ok when the file is complete.
    void finished(bool ok, const QString& message);

private:
    LandscapeView* m_view;
    LiveRecorder* m_recorder = nullptr;
    QTimer* m_timer;

    void grabFrame();
};

} // namespace ebm::ui
