#include "wheelguard.h"

#include <QAbstractScrollArea>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QScrollBar>
#include <QWheelEvent>

namespace ebm::ui {

namespace {
constexpr const char* kInstalled = "ebmWheelGuardInstalled";

class WheelGuard : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() == QEvent::Polish && isWheelGuarded(o)) {
            auto* w = static_cast<QWidget*>(o);
            if (w->focusPolicy() == Qt::WheelFocus) w->setFocusPolicy(Qt::StrongFocus);
            return false;
        }
        if (e->type() != QEvent::Wheel || !isWheelGuarded(o)) return false;
        auto* w = static_cast<QWidget*>(o);
        if (w->hasFocus()) return false; // focused: the wheel edits it, as the user asked for
        auto* wheel = static_cast<QWheelEvent*>(e);
        // Hand the turn to the nearest scroll area around the widget (its viewport decides the direction).
        for (QWidget* p = w->parentWidget(); p; p = p->parentWidget()) {
            auto* area = qobject_cast<QAbstractScrollArea*>(p);
            if (!area) continue;
            QWidget* viewport = area->viewport();
            QWheelEvent moved(viewport->mapFromGlobal(wheel->globalPosition()), wheel->globalPosition(),
                              wheel->pixelDelta(), wheel->angleDelta(), wheel->buttons(), wheel->modifiers(),
                              wheel->phase(), wheel->inverted(), wheel->source());
            QCoreApplication::sendEvent(viewport, &moved);
            return true;
        }
        // No scroll area: nothing scrolls, and the value stays as it is.
        e->ignore();
        return true;
    }
};
} // namespace

bool isWheelGuarded(const QObject* o) {
    if (!o || !o->isWidgetType() || qobject_cast<const QScrollBar*>(o)) return false;
    return qobject_cast<const QAbstractSpinBox*>(o) || qobject_cast<const QComboBox*>(o) ||
           qobject_cast<const QAbstractSlider*>(o);
}

void installWheelGuard(QApplication& app) {
    if (app.property(kInstalled).toBool()) return;
    app.setProperty(kInstalled, true);
    app.installEventFilter(new WheelGuard(&app));
    for (QWidget* w : QApplication::allWidgets()) // any made before the guard: no wheel focus either
        if (isWheelGuarded(w) && w->focusPolicy() == Qt::WheelFocus) w->setFocusPolicy(Qt::StrongFocus);
}

} // namespace ebm::ui
