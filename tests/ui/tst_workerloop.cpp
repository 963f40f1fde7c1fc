// The one loop both training workers run (WorkerLoop::run), driven with a scripted engine: snapshots
// only when the GUI took the previous one or after commands, idle chunks paced to ~60 Hz, a failing step
// reported once and paced.
#include "workerloop.h"
#include <QTest>
#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

using namespace ebm::ui;
using namespace std::chrono_literals;

namespace {
struct Frame {
    int advances = 0;
};
using Loop = WorkerLoop<int, Frame>;

struct FakeEngine {
    std::atomic<bool> running{true}; // wantsToRun
    std::atomic<bool> flatOut{true}; // busy
    std::atomic<bool> failing{false};
    std::atomic<int> advances{0}, publishingAdvances{0}, commands{0};

    bool wantsToRun() const { return running.load(); }
    bool busy() const { return flatOut.load(); }
    void advance(bool publishing) {
        ++advances;
        if (publishing) ++publishingAdvances;
        if (failing.load()) throw std::runtime_error("step failed");
    }
    Loop::SnapshotPtr snapshot() { return std::make_shared<const Frame>(Frame{advances.load()}); }
};

struct Harness {
    FakeEngine engine;
    Loop loop;
    std::atomic<int> published{0}, reports{0};
    explicit Harness() = default;
    void start() {
        loop.start(QStringLiteral("tst-workerloop"), [this] {
            loop.run(
                engine, [this](FakeEngine& e, int) { ++e.commands; },
                [this](Loop::SnapshotPtr s) {
                    loop.publish(std::move(s));
                    ++published;
                },
                [this](const std::exception&) { ++reports; });
        });
    }
};
} // namespace

class TestWorkerLoop : public QObject {
    Q_OBJECT
private slots:
    void publishesOnlyWhatTheGuiTakesOrAfterCommands() {
        Harness h;
        h.start();
        std::this_thread::sleep_for(200ms); // busy: advancing flat out, the GUI never takes a snapshot
        h.loop.stop();
        QVERIFY2(h.engine.advances > 50, qPrintable(QString::number(h.engine.advances)));
        QCOMPARE(h.published.load(), 1); // the first (the GUI had taken none), then none it would drop
        QCOMPARE(h.engine.publishingAdvances.load(), 1);
        QCOMPARE(h.loop.latest()->advances, 1);

        Harness g;
        g.start();
        QTRY_COMPARE(g.published.load(), 1);
        for (int i = 0; i < 3; ++i) { // each take allows one more
            QVERIFY(g.loop.take());
            QTRY_COMPARE(g.published.load(), 2 + i);
        }
        g.loop.post(7); // a command publishes what it changed although the GUI has not taken the last
        QTRY_COMPARE(g.engine.commands.load(), 1);
        QTRY_COMPARE(g.published.load(), 5);
        std::this_thread::sleep_for(50ms);
        QCOMPARE(g.published.load(), 5);
    }

    void idleChunksArePaced() {
        Harness h;
        h.engine.flatOut = false; // e.g. training at a set speed: ~60 chunks a second
        h.start();
        std::this_thread::sleep_for(500ms);
        h.loop.stop();
        QVERIFY2(h.engine.advances >= 10 && h.engine.advances <= 40,
                 qPrintable(QString::number(h.engine.advances)));
    }

    void nothingToDoWaitsForACommand() {
        Harness h;
        h.engine.running = false;
        h.start();
        std::this_thread::sleep_for(100ms);
        QCOMPARE(h.engine.advances.load(), 0);
        h.loop.post(1);
        QTRY_COMPARE(h.published.load(), 1); // the command's change is shown
        QCOMPARE(h.engine.commands.load(), 1);
    }

    void failingStepIsReportedOnceAndPaced() {
        Harness h;
        h.engine.failing = true; // busy, but every step throws
        h.start();
        std::this_thread::sleep_for(500ms);
        QCOMPARE(h.reports.load(), 1);
        const int advances = h.engine.advances.load();
        QVERIFY2(advances >= 10 && advances <= 40, qPrintable(QString::number(advances)));
        h.loop.post(1); // a command: a step failing after it is news again
        QTRY_COMPARE(h.reports.load(), 2);
        h.engine.failing = false;
        h.loop.take();
        QTRY_VERIFY(h.published.load() >= 1); // training goes on once the step succeeds
        h.engine.failing = true;
        QTRY_COMPARE(h.reports.load(), 3); // and a new failure after a success is reported
        std::this_thread::sleep_for(100ms);
        QCOMPARE(h.reports.load(), 3);
    }
};

QTEST_GUILESS_MAIN(TestWorkerLoop)
#include "tst_workerloop.moc"
