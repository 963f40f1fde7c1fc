#pragma once
// Shared by the tests that open the 2D window: a quick start (no remembered settings, no questions) and
// waiting for a snapshot the window has shown.
#include "mainwindow.h"
#include <QElapsedTimer>
#include <QTest>

namespace ebm::ui::test {

/// The default scene without the user's settings and without the save question.
inline StartOptions quickStart() {
    StartOptions o;
    o.restoreSettings = false;
    o.askToSave = false;
    return o;
}

/// Waits until the window shows a snapshot satisfying pred (false after timeoutMs).
template <class Pred> bool waitForSnapshot(MainWindow& w, Pred pred, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        if (SnapshotPtr s = w.lastSnapshot(); s && pred(*s)) return true;
        QTest::qWait(10);
    }
    return false;
}

} // namespace ebm::ui::test
