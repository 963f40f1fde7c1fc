#include "documentstate.h"

#include <QFileInfo>

namespace ebm::ui {

QString DocumentState::title(const QString& path, std::int64_t lastStep, const QString& target,
                             const QString& method) const {
    const QString file = path.isEmpty()
                             ? QString()
                             : QFileInfo(path).fileName() +
                                   (hasUnsavedChanges(path, lastStep) ? QStringLiteral("*") : QString()) +
                                   QStringLiteral(" — ");
    return tr("EBM Lab — %1%2 · %3").arg(file, target, method);
}

} // namespace ebm::ui
