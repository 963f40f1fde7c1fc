#pragma once
// Shared by the image window's GUI tests: a window without questions or remembered geometry, a job run on
// its worker, and the image window opened from the 2D window.
#include "imagewindow.h"
#include "imageworker.h"
#include "mainwindow.h"
#include <QAction>
#include <QApplication>
#include <QString>
#include <QTest>
#include <functional>
#include <optional>

namespace ebm::ui::test {

// A window for a test: no question on close, no remembered geometry.
inline ImageStartOptions start(const ImageSettings& s, const QString& model = {}) {
    ImageStartOptions o;
    o.settings = s;
    o.modelFile = model;
    o.askToSave = false;
    o.restoreGeometry = false;
    return o;
}

// Runs a job on the window's worker and waits for its answer (tests only: the GUI itself never waits).
template <class T> T onWorker(ImageWindow& w, std::function<T(ImageSession&)> job) {
    std::optional<T> out;
    w.worker()->compute([&out, job](ImageSession& s) -> std::function<void()> {
        T v = job(s);
        return [&out, v] { out = v; };
    });
    if (!QTest::qWaitFor([&] { return out.has_value(); }, 60000)) qFatal("the worker did not answer");
    return *out;
}

// View ▸ Image EBMs… (Ctrl+I) in main, as a user opens it: the image window it shows, or nullptr.
inline ImageWindow* openImageWindow(MainWindow& main) {
    QAction* open = nullptr;
    for (QAction* a : main.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_I)) open = a;
    if (!open) return nullptr;
    open->trigger();
    for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* iw = qobject_cast<ImageWindow*>(top); iw && iw->isVisible()) return iw;
    return nullptr;
}
} // namespace ebm::ui::test
