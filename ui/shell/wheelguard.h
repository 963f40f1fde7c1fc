#pragma once
/// @file wheelguard.h
/// One application-wide rule for the mouse wheel: a spin box, combo box or slider changes with the wheel
/// only while it has keyboard focus. Over an unfocused one the wheel scrolls the scroll area around it
/// (the Controls panel, the Draw pane), so scrolling a panel never edits a setting on the way. Clicking a
/// control, or tabbing to it, gives it focus and the wheel then changes it as usual.
class QApplication;
class QObject;
class QWidget;

namespace ebm::ui {

/// Installs the guard on app (once; later calls do nothing). Widgets that take focus from the wheel
/// alone (Qt::WheelFocus) are polished to Qt::StrongFocus, so a wheel turn cannot focus them either.
void installWheelGuard(QApplication& app);

/// True for the widgets the guard protects (spin boxes, combo boxes, sliders; not scroll bars).
bool isWheelGuarded(const QObject* o);

} // namespace ebm::ui
