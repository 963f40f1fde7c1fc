#include "autosaveslot.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

namespace ebm::ui {

namespace {
QString dataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}
} // namespace

AutosaveSlot::AutosaveSlot(const QString& fileName, QObject* parent)
    : QObject(parent), m_fileName(fileName) {}

AutosaveSlot::~AutosaveSlot() = default;

QString AutosaveSlot::path() const {
    return QDir(dataDir()).filePath(m_fileName);
}

QString AutosaveSlot::start(int intervalMs) {
    if (m_lock) return {};
    QDir().mkpath(dataDir());
    m_lock = std::make_unique<QLockFile>(path() + QStringLiteral(".lock"));
    // A lock left by a killed owner is stale (its process is gone) and is taken over at once.
    if (!m_lock->tryLock(0)) {
        m_lock.reset();
        return {};
    }
    // A write the previous owner was killed in the middle of leaves its temporary file (the autosave itself
    // is whole: files are written atomically); as the owner now, this one removes them.
    const QFileInfo file(path());
    for (const QString& stale :
         QDir(file.absolutePath())
             .entryList({file.fileName() + QStringLiteral(".tmp-*")}, QDir::Files | QDir::Hidden))
        QFile::remove(QDir(file.absolutePath()).filePath(stale));
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &AutosaveSlot::due);
    }
    m_timer->setInterval(intervalMs);
    if (QFileInfo::exists(path())) return path(); // resume() after the recovery question
    m_timer->start();
    return {};
}

void AutosaveSlot::resume() {
    if (m_lock && m_timer && !m_timer->isActive()) m_timer->start();
}

void AutosaveSlot::report(bool ok, const QString& error) {
    if (!ok && !m_failing) emit failed(error);
    m_failing = !ok;
}

void AutosaveSlot::finish() {
    if (!m_lock) return;
    if (m_timer) m_timer->stop();
    QFile::remove(path());
    m_lock->unlock();
    m_lock.reset();
}

QString AutosaveSlot::failureText(const QString& error) {
    return tr("Autosave failed: %1. The last autosave is kept; EBM Lab tries again at the next interval.")
        .arg(error);
}

bool AutosaveSlot::askToRecover(QWidget* parent, const QString& path, const QString& who,
                                const QString& scene) {
    const auto answer = QMessageBox::question(
        parent, tr("Recover the last %1?").arg(scene),
        tr("%1 did not close normally last time. Recover the %2 autosaved at %3?")
            .arg(who, scene, QFileInfo(path).lastModified().toString(QStringLiteral("yyyy-MM-dd hh:mm"))),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
    return answer == QMessageBox::Yes;
}

} // namespace ebm::ui
