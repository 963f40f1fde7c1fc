#pragma once
/// @file imageworker.h
/// Runs an ImageSession on its own thread, like TrainingWorker does for 2D: commands are queued and
/// applied between training steps, the newest snapshot is picked up when notified, and demo computations
/// (a chain's trajectory, clamped Langevin, the energy ranking) run there too, their results delivered
/// on the GUI thread. The GUI never waits. The destructor stops and joins the thread.
#include "imagesession.h"
#include "workerloop.h"
#include <QObject>
#include <QString>
#include <functional>

namespace ebm::ui {

class ImageWorker : public QObject {
    Q_OBJECT
public:
    /// threads: batch operations of its training thread use that many threads (0: the process's count,
    /// core::threadCount()).
    explicit ImageWorker(const ImageSettings& settings, int threads = 0, QObject* parent = nullptr);
    ~ImageWorker() override;

    /// Starts the thread: it loads the data (failing that, the embedded digits, with failed()) and trains.
    void start();

    void applySettings(const ImageSettings& s); ///< loads new data first when s.data or s.size changed
    void reset();
    void step(int n = 1);
    /// Runs job on the worker between steps; the function it returns is called on the GUI thread.
    /// A job that throws is reported through failed() instead.
    void compute(std::function<std::function<void()>(ImageSession&)> job);

    ImageSnapshotPtr takeLatest(); ///< the newest snapshot; re-arms snapshotReady
    ImageSnapshotPtr latest() const;

signals:
    /// Internal: the worker queued a result for the GUI thread (m_loop.deliver); runs it there.
    void deliveryQueued();
    void snapshotReady(); ///< emitted on the worker thread (queued to the GUI)
    void failed(const QString& message);
    /// The data set changed (emitted on the worker thread): name and image size.
    void dataLoaded(const QString& name, int width, int height);

private:
    using Command = std::function<void(ImageSession&)>;
    void run();
    void publish(ImageSnapshotPtr s);

    ImageSettings m_initial;
    int m_threads = 0;
    WorkerLoop<Command, ImageSnapshot> m_loop;
};

} // namespace ebm::ui
