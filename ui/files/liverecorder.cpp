#include "liverecorder.h"

#include "displaymapping.h"
#include <QImage>
#include <QMetaObject>
#include <cmath>
#include <cstring>

namespace ebm::ui {

namespace {
constexpr size_t kMaxWaiting = 8; // frames queued for the encoder before new ones are dropped
}

LiveRecorder::LiveRecorder(const QString& path, int width, int height, double fps, QObject* parent)
    : QObject(parent), m_path(path), m_width(width & ~1), m_height(height & ~1) {
    // The outcome passes through m_mutex, not a functor posted to Qt's event queue: the hand-over stays
    // visible to ThreadSanitizer.
    connect(
        this, &LiveRecorder::runEnded, this,
        [this] {
            bool ok;
            QString message;
            {
                std::lock_guard lock(m_mutex);
                ok = m_ok;
                message = m_outcome;
            }
            emit finished(ok, message);
        },
        Qt::QueuedConnection);
    const exporter::Format f = exporter::formatFromPath(path.toStdString());
    if (f == exporter::Format::PngSequence)
        throw core::InvalidArgument("record to a .gif, .mp4 or .webm file (PNG frames: use Export)");
    exporter::EncoderOptions o;
    o.width = m_width;
    o.height = m_height;
    o.fps = fps;
    exporter::checkOutput(path.toStdString(), f, o);
    m_control.cancel = &m_cancel;
    try {
        m_fonts = std::make_unique<render::FigureFonts>(m_width, m_height);
    } catch (const std::exception&) {
        m_fonts.reset(); // no font: frames without the figure's text, the plot fills them
    }
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

render::FigureSpec LiveRecorder::figureFor(const TrainingSnapshot& snap, const DisplaySettings& in,
                                           const core::Box& view) {
    DisplaySettings d = in;
    if (d.source == FieldSource::FisherMap && snap.fisher.empty()) d.source = FieldSource::Model;
    render::FigureSpec f;
    f.view = view;
    f.colorBar = d.landscape;
    if (d.landscape) {
        const DisplayParams p = displayParams(snap, d, view);
        f.colorMap = p.colorMap;
        f.lo = p.lo;
        f.hi = p.hi;
        f.barLabel = p.label.toStdString();
    }
    render::Layers l;
    l.landscape = d.landscape;
    l.arrows = d.vectorField;
    l.particles = d.particles;
    l.data = d.data;
    l.method = d.methodView;
    f.legend = render::legendFor(snap.method, l);
    if (std::isfinite(snap.kl)) m_lastKl = snap.kl; // KL is computed every few snapshots
    f.caption = render::captionLines(snap.method, snap.step, m_lastKl);
    return f;
}

void LiveRecorder::addFrame(const QImage& plot, const render::FigureSpec& figure) {
    const QImage img = plot.convertToFormat(QImage::Format_RGB888);
    render::Image out(img.width(), img.height());
    for (int y = 0; y < img.height(); ++y)
        std::memcpy(out.pixel(0, y), img.constScanLine(y), size_t(img.width()) * 3);
    std::lock_guard lock(m_mutex);
    if (m_stopping) return;
    if (m_queue.size() >= kMaxWaiting) {
        ++m_dropped;
        return;
    }
    m_queue.push_back({std::move(out), figure});
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
            Pending next;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
                if (m_queue.empty()) break; // stopping, and every queued frame is written
                next = std::move(m_queue.front());
                m_queue.pop_front();
            }
            m_control.check();
            // The plot keeps its aspect ratio (it is the window's view box); the figure goes around it.
            const render::FigureLayout layout =
                render::figureLayout(m_width, m_height, next.figure, m_fonts.get(), false);
            m_encoder->addFrame(render::composeFigure(next.plot, next.figure, layout, m_fonts.get()));
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
    {
        std::lock_guard lock(m_mutex);
        m_ok = ok;
        m_outcome = message;
    }
    emit runEnded();
}

} // namespace ebm::ui
