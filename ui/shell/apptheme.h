#pragma once
/// @file apptheme.h
/// The application's dark theme (Fusion style with a dark palette), shared by the app and the tests.
class QApplication;

namespace ebm::ui {
void applyDarkTheme(QApplication& app);
}
