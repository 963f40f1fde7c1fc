#include "liverecorder.h"

#include <QImage>
#include <QMetaObject>
#include <cstring>

namespace ebm::ui {

namespace {
constexpr size_t kMaxWaiting = 8; // frames queued for the encoder before new ones are dropped
}

LiveRecorder::LiveRecorder(const QString& path, int width, int height, double fps, QObject* parent)
    : QObject(parent), m_path(path), m_width(width & ~1), m_height(height & ~1) {
    const exporter::Format f = exporter::formatFromPath(path.toStdString());
    if (f == exporter::Format::PngSequence)
        throw core::InvalidArgument("record to a .gif, .mp4 or .webm file (PNG frames: use Export)");
    exporter::EncoderOptions o;
    o.width = m_width;
    o.height = m_height;
    o.fps = fps;
    exporter::checkOutput(path.toStdString(), f, o);
    m_control.cancel = &m_cancel;
    m_encoder = exporter::makeEncoder(path.toStdString(), f, o, m_control);
    m_thread = std::thread([this] { run(); });
}

LiveRecorder::~LiveRecorder() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_stopping) m_cancel.store(true);
        m_stopping = true;
        m_wake.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
}

void LiveRecorder::addFrame(const QImage& frame) {
    QImage img = frame.convertToFormat(QImage::Format_RGB888);
    if (img.width() != m_width || img.height() != m_height)
        img = img.scaled(m_width, m_height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    render::Image out(m_width, m_height);
    for (int y = 0; y < m_height; ++y)
        std::memcpy(out.pixel(0, y), img.constScanLine(y), size_t(m_width) * 3);
    std::lock_guard lock(m_mutex);
    if (m_stopping) return;
    if (m_queue.size() >= kMaxWaiting) {
        ++m_dropped;
        return;
    }
    m_queue.push_back(std::move(out));
    ++m_queued;
    m_wake.notify_all();
}

void LiveRecorder::stop() {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
    m_wake.notify_all();
}

void LiveRecorder::cancel() {
    m_cancel.store(true);
    stop();
}

void LiveRecorder::run() {
    bool ok = false;
    QString message;
    try {
        for (;;) {
            render::Image frame;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
                if (m_queue.empty()) break; // stopping, and every queued frame is written
                frame = std::move(m_queue.front());
                m_queue.pop_front();
            }
            m_control.check();
            m_encoder->addFrame(frame);
        }
        m_control.check();
        if (m_encoder->frameCount() == 0) throw core::RuntimeError("no frame was recorded");
        m_encoder->finish();
        ok = true;
        message = tr("Recorded %1 frames to %2").arg(m_encoder->frameCount()).arg(m_path);
    } catch (const exporter::Cancelled&) {
        message = tr("Recording cancelled; nothing was written");
    } catch (const std::exception& e) {
        message = QString::fromStdString(e.what());
    }
    m_encoder.reset(); // an unfinished encoder removes its temporary file
    QMetaObject::invokeMethod(
        this, [this, ok, message] { emit finished(ok, message); }, Qt::QueuedConnection);
}

} // namespace ebm::ui
