#pragma once
/// @file liverecorder.h
/// Recording the live run: the view's plot, grabbed at a fixed rate while training goes on, is composed
/// into the same figure the exports draw (render/figure.h: axes, colour bar, legend, caption strip) and
/// encoded on its own thread (the GUI only grabs and queues) into a GIF, MP4 or WebM that appears when
/// the recording stops. Cancelling (or a failure) leaves no file behind.
#include "displaysettings.h"
#include "trainingsnapshot.h"
#include <QObject>
#include <QString>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <ebm/exporter/encoder.h>
#include <ebm/render/figure.h>
#include <limits>
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

    /// Queues a frame: the plot as the view draws it (without the window's own decorations) and what the
    /// figure around it shows; the encoding thread composes the figure at the recording's size. At most a
    /// few frames wait for the encoder; when it falls behind, frames are dropped rather than the GUI waiting.
    void addFrame(const QImage& plot, const render::FigureSpec& figure);
    /// The figure of the window's view: its box, colour bar (range, map and label of what is shown),
    /// legend of the layers shown, and the caption (method, step, the latest KL known).
    render::FigureSpec figureFor(const TrainingSnapshot& snap, const DisplaySettings& d,
                                 const core::Box& view);
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
    /// Internal: emitted on the encoding thread when it is done; finished() follows on the GUI thread.
    void runEnded();

private:
    QString m_path;
    int m_width, m_height;
    exporter::EncodeControl m_control;
    std::atomic<bool> m_cancel{false};
    std::unique_ptr<exporter::Encoder> m_encoder;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::unique_ptr<render::FigureFonts> m_fonts; ///< null without a font: the plot fills the frame
    struct Pending {
        render::Image plot;
        render::FigureSpec figure;
    };
    std::deque<Pending> m_queue;
    double m_lastKl = std::numeric_limits<double>::quiet_NaN();
    bool m_stopping = false;
    bool m_ok = false; ///< the outcome, set by the encoding thread when it ends
    QString m_outcome; ///< its message
    int m_queued = 0, m_dropped = 0;
    std::thread m_thread;
    void run();
};

} // namespace ebm::ui
