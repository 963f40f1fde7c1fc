#pragma once
/// @file appsettings.h
/// The application's remembered settings (QSettings under organisation and application "EBM Lab"), named
/// explicitly so that they are the same whatever QCoreApplication's names are (tests set test mode).
#include <QSettings>

namespace ebm::ui {

inline QSettings appSettings() {
    return QSettings(QStringLiteral("EBM Lab"), QStringLiteral("EBM Lab"));
}

} // namespace ebm::ui
