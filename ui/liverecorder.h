#pragma once
/// @file liverecorder.h
/// Recording the live run: frames of the view, taken at a fixed rate while training goes on, are encoded
/// on their own thread (the GUI only grabs and queues them) into a GIF, MP4 or WebM that appears when the
/// recording stops. Cancelling (or a failure) leaves no file behind.
#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <ebm/exporter/encoder.h>
#include <memory>
#include <mutex>
#include <thread>

class QImage;

namespace ebm::ui {

class LiveRecorder : public QObject {
    Q_OBJECT
public:
    /// Checks the output (format from the extension, size, location) and starts the encoding thread.
    /// Throws core::InvalidArgument with a one-line message. Odd sizes are rounded down to even.
    LiveRecorder(const QString& path, int width, int height, double fps, QObject* parent = nullptr);
    ~LiveRecorder() override; ///< cancels if still recording, and joins

    /// Queues a frame (scaled to the recording's size if the view was resized). At most a few frames wait
    /// for the encoder; when it falls behind, frames are dropped rather than the GUI waiting.
    void addFrame(const QImage& frame);
    /// Finishes the file; finished() follows.
    void stop();
    /// Stops without writing anything; finished(false, …) follows.
    void cancel();

    int width() const { return m_width; }
    int height() const { return m_height; }
    int framesQueued() const { return m_queued; }
    int framesDropped() const { return m_dropped; }
    QString path() const { return m_path; }

signals:
    void finished(bool ok, const QString& message);

private:
    QString m_path;
    int m_width, m_height;
    exporter::EncodeControl m_control;
    std::atomic<bool> m_cancel{false};
    std::unique_ptr<exporter::Encoder> m_encoder;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<render::Image> m_queue;
    bool m_stopping = false;
    int m_queued = 0, m_dropped = 0;
    std::thread m_thread;
    void run();
};

} // namespace ebm::ui
