#pragma once
/// @file exportjob.h
/// An export running on its own thread: a scripted run ("train N steps, one frame every K") continued
/// from a captured session or started from scratch with its settings, drawn by the CPU renderer inside
/// the figure (the same frames as `ebmlab-cli render --session [--from-scratch]`), or one still image of
/// the scene at any size. The window keeps training meanwhile; the
/// job reports progress and can be cancelled, and leaves no file behind unless it completes.
#include "threadend.h"
#include <QObject>
#include <QString>
#include <atomic>
#include <ebm/exporter/encoder.h>
#include <ebm/exporter/scriptedrun.h>
#include <ebm/io/session.h>
#include <memory>

class QThread;

namespace ebm::ui {

struct ExportRequest {
    QString path;                     ///< anim.gif | anim.mp4 | anim.webm | frames/ | image.png
    bool still = false;               ///< one PNG image of the scene now (path ends in .png)
    exporter::EncoderOptions encoder; ///< size and fps
    exporter::ScriptedRun run;        ///< steps, every, layers, colour map, quantity, view
    /// Continue from the scene's model, or train a fresh one with its settings (animations only: a still
    /// shows the scene as it is).
    exporter::Start start = exporter::Start::Continue;
};

/// The request for a session as the window shows it (its view, colour map, quantity, layers and live
/// sampler), at the given size.
ExportRequest requestFor(const io::SessionFile& s, const QString& path, int width, int height);

class ExportJob : public QObject {
    Q_OBJECT
public:
    /// Checks the request (sizes, the output's format and location) and throws core::InvalidArgument
    /// with a one-line message before anything starts.
    ExportJob(io::SessionFile session, ExportRequest request, QObject* parent = nullptr);
    ~ExportJob() override; ///< cancels and joins

    void start();
    void cancel() { m_cancel.store(true); }
    bool running() const;

signals:
    void progress(int frame, int frames, qint64 step);
    /// ok: the file is complete; otherwise message says why (a cancel included) and nothing was written.
    void finished(bool ok, const QString& message);

private:
    io::SessionFile m_session;
    ExportRequest m_request;
    exporter::Format m_format = exporter::Format::Gif;
    std::atomic<bool> m_cancel{false};
    QThread* m_thread = nullptr;
    ThreadEnd m_ended; ///< run() has returned
    void run();
};

} // namespace ebm::ui
