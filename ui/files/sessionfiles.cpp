#include "sessionfiles.h"

#include "appsettings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <ebm/io/atomicfile.h>

namespace ebm::ui {

namespace {
QString dataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}
} // namespace

SessionFiles::SessionFiles(Capture capture, Apply apply, QObject* parent)
    : QObject(parent), m_capture(std::move(capture)), m_apply(std::move(apply)) {}

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
    return QDir(dataDir()).filePath(QStringLiteral("autosave.ebmlab"));
}

QString SessionFiles::startAutosave(int intervalMs) {
    QDir().mkpath(dataDir());
    m_lock = std::make_unique<QLockFile>(QDir(dataDir()).filePath(QStringLiteral("autosave.lock")));
    // A lock left by a crashed instance is stale (its process is gone) and is taken over.
    if (!m_lock->tryLock(0)) {
        m_lock.reset(); // another window autosaves; this one does not compete for the file
        return {};
    }
    m_autosave = new QTimer(this);
    m_autosave->setInterval(intervalMs);
    connect(m_autosave, &QTimer::timeout, this, [this] { autosaveNow(); });
    m_autosave->start();
    return QFileInfo::exists(autosavePath()) ? autosavePath() : QString();
}

void SessionFiles::autosaveNow(std::function<void(bool, QString)> done) {
    if (m_saving) { // the user's save is writing the scene now: this autosave is skipped, not failed
        if (done) done(false, tr("a save is already in progress"));
        return;
    }
    write(autosavePath(), false, [this, done = std::move(done)](bool ok, const QString& error) {
        // A failing autosave (a full disk) is reported once, not at every interval; the last good
        // autosave stays as it was. A success re-arms the report.
        if (!ok && !m_autosaveFailing) emit autosaveFailed(error);
        m_autosaveFailing = !ok;
        if (done) done(ok, error);
    });
}

void SessionFiles::finish() {
    if (!m_lock) return;
    if (m_autosave) m_autosave->stop();
    QFile::remove(autosavePath());
    m_lock->unlock();
    m_lock.reset();
}

} // namespace ebm::ui
