#include "imageworker.h"

#include <QThread>
#include <chrono>
#include <exception>

namespace ebm::ui {

ImageWorker::ImageWorker(const ImageSettings& settings, QObject* parent)
    : QObject(parent), m_initial(settings) {
    qRegisterMetaType<ImageSnapshotPtr>();
}

ImageWorker::~ImageWorker() {
    m_cancel.store(true);
    {
        std::lock_guard lock(m_mutex);
        m_wake.notify_all();
    }
    if (m_thread) {
        // As in TrainingWorker: hear run() finish under our mutex, then join (an edge TSan can see).
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_finished; });
        }
        m_thread->wait();
        delete m_thread;
    }
}

void ImageWorker::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(QStringLiteral("ebm-images"));
    m_thread->start();
}

void ImageWorker::post(Command c) {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(c));
    m_wake.notify_all();
}

void ImageWorker::applySettings(const ImageSettings& s) {
    post([this, s](ImageSession& session) {
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
    post([](ImageSession& s) { s.reset(); });
}
void ImageWorker::step(int n) {
    post([n](ImageSession& s) { s.requestSteps(n); });
}

void ImageWorker::compute(std::function<std::function<void()>(ImageSession&)> job) {
    post([this, job = std::move(job)](ImageSession& s) {
        std::function<void()> deliver = job(s);
        if (deliver) QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

ImageSnapshotPtr ImageWorker::takeLatest() {
    std::lock_guard lock(m_mutex);
    m_notified = false;
    return m_latest;
}

ImageSnapshotPtr ImageWorker::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

void ImageWorker::publish(ImageSnapshotPtr s) {
    bool notify = false;
    {
        std::lock_guard lock(m_mutex);
        m_latest = std::move(s);
        notify = !m_notified;
        m_notified = true;
    }
    if (notify) emit snapshotReady();
}

void ImageWorker::run() {
    struct Finished {
        ImageWorker* w;
        ~Finished() {
            std::lock_guard lock(w->m_mutex);
            w->m_finished = true;
            w->m_wake.notify_all();
        }
    } finished{this};
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
    while (!m_cancel.load()) {
        std::deque<Command> commands;
        bool guiIdle = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_cancel.load() || !m_queue.empty() || session->wantsToRun(); });
            commands.swap(m_queue);
            guiIdle = !m_notified;
        }
        if (m_cancel.load()) break;
        bool changed = !commands.empty();
        for (const Command& c : commands) {
            try {
                c(*session);
            } catch (const std::exception& e) {
                emit failed(QString::fromStdString(e.what()));
            }
        }
        try {
            const bool ran = session->wantsToRun();
            session->advance();
            // While training, a snapshot only when the GUI took the last one (training never waits and
            // builds none the GUI would drop); after commands always, as nothing else would follow.
            if (changed || (ran && guiIdle)) publish(session->snapshot());
        } catch (const std::exception& e) {
            emit failed(QString::fromStdString(e.what()));
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::milliseconds(200),
                            [&] { return m_cancel.load() || !m_queue.empty(); });
        }
    }
}

} // namespace ebm::ui
