#include "recordingcontroller.h"

#include "landscapeview.h"
#include "liverecorder.h"
#include <QFileInfo>
#include <QTimer>

namespace ebm::ui {

RecordingController::RecordingController(LandscapeView* view, QObject* parent)
    : QObject(parent), m_view(view), m_timer(new QTimer(this)) {
    connect(m_timer, &QTimer::timeout, this, &RecordingController::grabFrame);
}

bool RecordingController::start(const QString& path, double fps, QString* error) {
    if (m_recorder) return false;
    try {
        m_recorder = new LiveRecorder(path, m_view->width() * m_view->devicePixelRatio(),
                                      m_view->height() * m_view->devicePixelRatio(), fps, this);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    connect(m_recorder, &LiveRecorder::finished, this, [this](bool ok, const QString& message) {
        m_recorder->deleteLater();
        m_recorder = nullptr;
        emit finished(ok, message);
    });
    m_timer->start(int(1000 / fps));
    return true;
}

void RecordingController::stop() {
    m_timer->stop();
    if (m_recorder) m_recorder->stop();
}

void RecordingController::grabFrame() {
    if (!m_recorder) return;
    // The plot as the view draws it, in the figure the exports draw (composed by the recorder).
    render::FigureSpec figure;
    figure.view = m_view->viewBox();
    figure.colorBar = false;
    if (const SnapshotPtr snap = m_view->snapshot())
        figure = m_recorder->figureFor(*snap, m_view->display(), m_view->viewBox());
    m_recorder->addFrame(m_view->grabPlot(), figure);
    emit progress(tr("● Recording %1: %2 frames")
                      .arg(QFileInfo(m_recorder->path()).fileName())
                      .arg(m_recorder->framesQueued()));
}

} // namespace ebm::ui
