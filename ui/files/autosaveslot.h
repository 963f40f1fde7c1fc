#pragma once
/// @file autosaveslot.h
/// One autosave file in the application's data folder (e.g. autosave.ebmlab), owned by at most one window
/// at a time through a lock file beside it. The owner writes the scene when due() fires, reports each
/// write, and calls finish() on a clean exit, which removes the file; a file still there when the slot is
/// taken was left by an owner that did not finish (a crash, a kill, a power cut) and is offered for
/// recovery. What a scene is and how it is written are the owner's: this class knows the file and the
/// timer only.
#include <QLockFile>
#include <QObject>
#include <QString>
#include <memory>

class QTimer;
class QWidget;

namespace ebm::ui {

class AutosaveSlot : public QObject {
    Q_OBJECT
public:
    /// fileName: the autosave's name in the data folder; the lock is fileName + ".lock".
    explicit AutosaveSlot(const QString& fileName, QObject* parent = nullptr);
    ~AutosaveSlot() override;

    QString path() const;
    /// Takes the slot and fires due() every intervalMs. Returns the path of a file left by an owner that
    /// did not finish, or "". If another window holds the slot, returns "" and stays idle (one autosave
    /// per kind of scene; the second window does not compete for the file). While a left file waits for
    /// the user's answer the timer does not run, so the fresh scene cannot overwrite the one to recover:
    /// the owner calls resume() once the question is answered.
    QString start(int intervalMs);
    /// Starts the timer held back by start() (no-op if not held or already running).
    void resume();
    /// The slot is held (start() took the lock).
    bool held() const { return bool(m_lock); }
    /// The owner's report of one write: a failure (e.g. a full disk) is announced by failed() once, not at
    /// every interval, until a write succeeds again.
    void report(bool ok, const QString& error);
    /// A clean exit: stops the timer, removes the file and releases the lock (nothing to recover).
    void finish();

    /// The status bar's text when an autosave fails: the reason, and that the last good autosave is kept.
    static QString failureText(const QString& error);
    /// The recovery offer for a file left by a crash: "<who> did not close normally last time. Recover the
    /// <scene> autosaved at …?" True if the user says Yes (the default).
    static bool askToRecover(QWidget* parent, const QString& path, const QString& who, const QString& scene);

signals:
    void due();
    void failed(const QString& error);

private:
    QString m_fileName;
    QTimer* m_timer = nullptr;
    std::unique_ptr<QLockFile> m_lock;
    bool m_failing = false; ///< the last write failed (and was reported)
};

} // namespace ebm::ui
