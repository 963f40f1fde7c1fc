#include "sessionfiles.h"

#include "appsettings.h"
#include "autosaveslot.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <ebm/io/atomicfile.h>

namespace ebm::ui {

SessionFiles::SessionFiles(Capture capture, Apply apply, QObject* parent)
    : QObject(parent), m_capture(std::move(capture)), m_apply(std::move(apply)),
      m_slot(new AutosaveSlot(QStringLiteral("autosave.ebmlab"), this)) {
    connect(m_slot, &AutosaveSlot::due, this, [this] { autosaveNow(); });
    connect(m_slot, &AutosaveSlot::failed, this, &SessionFiles::autosaveFailed);
}

SessionFiles::~SessionFiles() = default;

QStringList SessionFiles::recentFiles() const {
    return appSettings().value(QStringLiteral("session/recent")).toStringList();
}

void SessionFiles::addRecent(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList r = recentFiles();
    r.removeAll(abs);
    r.prepend(abs);
    while (r.size() > kMaxRecent)
        r.removeLast();
    appSettings().setValue(QStringLiteral("session/recent"), r);
    emit recentFilesChanged();
}

bool SessionFiles::open(const QString& path, QString* error) {
    try {
        const io::SessionFile f = io::loadSession(path.toStdString());
        m_apply(f);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
    if (path != autosavePath()) {
        m_path = QFileInfo(path).absoluteFilePath();
        addRecent(path);
        emit currentPathChanged(m_path);
    }
    emit opened(path);
    return true;
}

void SessionFiles::write(const QString& path, bool remember, std::function<void(bool, QString)> done) {
    if (m_saving) { // one capture at a time; a second request (an autosave during a save) waits for none
        if (done) done(false, tr("a save is already in progress"));
        return;
    }
    m_saving = true;
    m_capture([this, path, remember, done](io::SessionFile f) {
        m_saving = false;
        try {
            QDir().mkpath(QFileInfo(path).absolutePath());
            io::saveSession(f, path.toStdString());
        } catch (const std::exception& e) {
            if (done) done(false, QString::fromStdString(e.what()));
            return;
        }
        if (remember) {
            m_path = QFileInfo(path).absoluteFilePath();
            addRecent(path);
            emit currentPathChanged(m_path);
        }
        emit saved(path);
        if (done) done(true, QString());
    });
}

void SessionFiles::save(const QString& path, std::function<void(bool, QString)> done) {
    write(path, true, std::move(done));
}

QString SessionFiles::autosavePath() const {
    return m_slot->path();
}

QString SessionFiles::startAutosave(int intervalMs) {
    return m_slot->start(intervalMs);
}

void SessionFiles::resumeAutosave() {
    m_slot->resume();
}

void SessionFiles::autosaveNow(std::function<void(bool, QString)> done) {
    if (m_saving) { // the user's save is writing the scene now: this autosave is skipped, not failed
        if (done) done(false, tr("a save is already in progress"));
        return;
    }
    // A failing autosave (a full disk) is reported once (the slot's failed signal); the last good autosave
    // stays as it was.
    write(autosavePath(), false, [this, done = std::move(done)](bool ok, const QString& error) {
        m_slot->report(ok, error);
        if (done) done(ok, error);
    });
}

void SessionFiles::finish() {
    m_slot->finish();
}

} // namespace ebm::ui
