#pragma once
/// @file sessionfiles.h
/// Where sessions live: the current file, the recent-files list (QSettings), and the autosave of the scene
/// every minute (ebmlab --autosave) into the application's data folder (AutosaveSlot), offered for recovery
/// after a crash. Capturing and applying a scene are the window's (callbacks), so this class knows files,
/// not widgets. Saving is asynchronous: the worker hands its state over between chunks and the GUI never
/// waits for training.
#include <QObject>
#include <QString>
#include <QStringList>
#include <ebm/io/session.h>
#include <functional>
#include <memory>

namespace ebm::ui {

class AutosaveSlot;

class SessionFiles : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(io::SessionFile)>;
    /// capture(done): collect the scene and call done with it (later, on the GUI thread).
    using Capture = std::function<void(Done)>;
    /// apply(file): check everything, then replace the scene; throws (changing nothing) if it cannot.
    using Apply = std::function<void(const io::SessionFile&)>;

    static constexpr int kMaxRecent = 8;

    SessionFiles(Capture capture, Apply apply, QObject* parent = nullptr);
    ~SessionFiles() override;

    QString currentPath() const { return m_path; }
    QStringList recentFiles() const;

    /// Reads, checks and applies a session file; on failure returns false with the reason in *error and
    /// the scene untouched.
    bool open(const QString& path, QString* error);
    /// Captures the scene and writes it atomically; done(ok, error) follows on the GUI thread.
    void save(const QString& path, std::function<void(bool, QString)> done = {});

    /// Starts autosaving every intervalMs if no other EBM Lab window holds the autosave (a lock file).
    /// Returns the path of an autosave left by a crash (the previous owner did not finish cleanly), or "".
    /// With such an autosave the timer waits for resumeAutosave(), called once the user has answered the
    /// recovery offer, so the fresh scene does not overwrite it meanwhile.
    QString startAutosave(int intervalMs);
    void resumeAutosave();
    QString autosavePath() const;
    /// Writes the autosave now (what the timer does).
    void autosaveNow(std::function<void(bool, QString)> done = {});
    /// Removes the autosave and releases the lock (a clean exit: nothing to recover).
    void finish();

signals:
    void currentPathChanged(const QString& path);
    void recentFilesChanged();
    /// A file was written (path, or the autosave) or opened: the scene matches it now.
    void saved(const QString& path);
    void opened(const QString& path);
    /// An autosave could not be written (e.g. the disk is full); emitted once until an autosave succeeds.
    void autosaveFailed(const QString& error);

private:
    Capture m_capture;
    Apply m_apply;
    QString m_path;
    AutosaveSlot* m_slot;
    bool m_saving = false;

    void addRecent(const QString& path);
    void write(const QString& path, bool remember, std::function<void(bool, QString)> done);
};

} // namespace ebm::ui
