#include "autosaveslot.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
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
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &AutosaveSlot::due);
    }
    m_timer->setInterval(intervalMs);
    m_timer->start();
    return QFileInfo::exists(path()) ? path() : QString();
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

} // namespace ebm::ui
