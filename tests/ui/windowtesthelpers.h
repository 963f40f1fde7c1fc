#pragma once
// Shared by the tests that open the 2D window: a quick start (no remembered settings, no questions) and
// waiting for a condition, for a snapshot the window has shown, and for a window that trains.
#include "mainwindow.h"
#include "testtime.h"
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

/// Waits until pred holds, processing events (false after timeoutMs, scaled in sanitizer builds).
template <class Pred> bool waitUntil(Pred pred, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ebm::testtime::scaledMs(timeoutMs)) {
        if (pred()) return true;
        QTest::qWait(10);
    }
    return false;
}

/// Waits until the window shows a snapshot satisfying pred (false after timeoutMs, scaled likewise).
template <class Pred> bool waitForSnapshot(MainWindow& w, Pred pred, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ebm::testtime::scaledMs(timeoutMs)) {
        if (SnapshotPtr s = w.lastSnapshot(); s && pred(*s)) return true;
        QTest::qWait(10);
    }
    return false;
}

/// Shows w at size and waits until it is on screen and has shown a snapshot past step minStep.
inline bool showTraining(MainWindow& w, QSize size, std::int64_t minStep, int timeoutMs = 20000) {
    w.resize(size);
    w.show();
    return QTest::qWaitForWindowExposed(&w) &&
           waitForSnapshot(
               w, [&](const TrainingSnapshot& s) { return s.step > minStep; }, timeoutMs);
}

} // namespace ebm::ui::test
