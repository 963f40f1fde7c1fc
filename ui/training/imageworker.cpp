#include "imageworker.h"

#include <ebm/core/parallel.h>

#include <QThread>
#include <exception>

namespace ebm::ui {

ImageWorker::ImageWorker(const ImageSettings& settings, int threads, QObject* parent)
    : QObject(parent), m_initial(settings), m_threads(threads) {
    connect(
        this, &ImageWorker::deliveryQueued, this, [this] { m_loop.runDeliveries(); }, Qt::QueuedConnection);
    qRegisterMetaType<ImageSnapshotPtr>();
}

ImageWorker::~ImageWorker() {
    m_loop.stop(); // joins the thread before the rest of this object goes
}

void ImageWorker::start() {
    m_loop.start(QStringLiteral("ebm-images"), [this] { run(); });
}

void ImageWorker::applySettings(const ImageSettings& s) {
    m_loop.post([this, s](ImageSession& session) {
        if (s.data != session.settings().data || s.size != session.settings().size) {
            io::ImageData d = io::loadImageData(s.data, s.size, 0, s.trainer.seed); // throws: nothing changes
            session.setData(s, std::move(d));
            emit dataLoaded(QString::fromStdString(s.data), s.size, s.size);
        } else {
            session.apply(s);
        }
    });
}
void ImageWorker::reset() {
    m_loop.post([](ImageSession& s) { s.reset(); });
}
void ImageWorker::step(int n) {
    m_loop.post([n](ImageSession& s) { s.requestSteps(n); });
}

void ImageWorker::compute(std::function<std::function<void()>(ImageSession&)> job) {
    m_loop.post([this, job = std::move(job)](ImageSession& s) {
        std::function<void()> deliver = job(s);
        if (!deliver) return;
        m_loop.deliver(std::move(deliver));
        emit deliveryQueued();
    });
}

ImageSnapshotPtr ImageWorker::takeLatest() {
    return m_loop.take();
}

ImageSnapshotPtr ImageWorker::latest() const {
    return m_loop.latest();
}

void ImageWorker::publish(ImageSnapshotPtr s) {
    // Emitted on the worker thread: receivers on the GUI thread (auto connection) get a queued call.
    if (m_loop.publish(std::move(s))) emit snapshotReady();
}

void ImageWorker::run() {
    core::setThreadCountForThisThread(m_threads);
    std::unique_ptr<ImageSession> session;
    try {
        ImageSettings s = m_initial;
        io::ImageData d;
        try {
            d = io::loadImageData(s.data, s.size, 0, s.trainer.seed);
        } catch (const std::exception& e) {
            emit failed(QString::fromStdString(e.what()) + tr(" — showing the embedded digits instead"));
            s.data = "digits";
            d = io::loadImageData(s.data, s.size, 0, s.trainer.seed);
        }
        session = std::make_unique<ImageSession>(s, std::move(d));
        emit dataLoaded(QString::fromStdString(s.data), session->data().train->width,
                        session->data().train->height);
        publish(session->snapshot());
    } catch (const std::exception& e) {
        emit failed(QString::fromStdString(e.what()));
        return;
    }
    m_loop.run(
        *session, [](ImageSession& s, const Command& c) { c(s); },
        [this](ImageSnapshotPtr s) { publish(std::move(s)); },
        [this](const std::exception& e) { emit failed(QString::fromStdString(e.what())); });
}

} // namespace ebm::ui
