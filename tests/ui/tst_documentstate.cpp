// The 2D window's document state on its own: what counts as unsaved (an edit; for a scene in a file,
// training since it was saved or opened), that a failed save keeps the scene unsaved, that snapshots from
// before a replaced scene are stale, and the window title with its file name and star.
#include "documentstate.h"
#include <QtTest>

using namespace ebm::ui;

class TestDocumentState : public QObject {
    Q_OBJECT
private slots:
    void editsAndTrainingMakeUnsavedChanges() {
        DocumentState d;
        const QString file = QStringLiteral("/tmp/scene.ebmlab");
        QVERIFY(!d.hasUnsavedChanges(QString(), 500)); // a fresh, unnamed scene that trains is not "unsaved"
        QVERIFY(!d.hasUnsavedChanges(file, -1));       // no snapshot yet
        d.markClean(120);                              // opened at step 120
        QVERIFY(!d.hasUnsavedChanges(file, 120));
        QVERIFY(d.hasUnsavedChanges(file, 130)); // trained since it was opened
        QVERIFY(!d.hasUnsavedChanges(QString(), 130));
        d.markEdited();
        QVERIFY(d.hasUnsavedChanges(QString(), 120)); // an edit counts with or without a file
        QVERIFY(d.hasUnsavedChanges(file, 120));
    }

    void aSaveCleansOnlyWhatWasCaptured() {
        DocumentState d;
        const QString file = QStringLiteral("scene.ebmlab");
        d.markEdited();
        d.captured(300); // the save's capture; training goes on while the file is written
        QVERIFY(d.hasUnsavedChanges(file, 310));
        d.saved();
        QVERIFY(!d.edited());
        QCOMPARE(d.savedStep(), std::int64_t(300));
        QVERIFY(!d.hasUnsavedChanges(file, 300));
        QVERIFY(d.hasUnsavedChanges(file, 310)); // the steps after the capture are not in the file
        // The display thread's frame may still show a step from before the capture: nothing is unsaved.
        QVERIFY(!d.hasUnsavedChanges(file, 290));
        // A capture whose save failed changes nothing until saved() is called.
        d.markEdited();
        d.captured(400);
        QVERIFY(d.hasUnsavedChanges(file, 400));
        QCOMPARE(d.savedStep(), std::int64_t(300));
    }

    void snapshotsOfAReplacedSceneAreStale() {
        DocumentState d;
        QCOMPARE(d.epoch(), std::int64_t(0));
        QVERIFY(!d.isStale(0));
        d.newEpoch(); // a session opened, or an undo replaced the model
        QVERIFY(d.isStale(0));
        QVERIFY(!d.isStale(1));
        d.newEpoch();
        QVERIFY(d.isStale(1));
        QCOMPARE(d.epoch(), std::int64_t(2));
    }

    void titleNamesTheFileAndMarksUnsavedChanges() {
        DocumentState d;
        const QString cd = QStringLiteral("Contrastive divergence");
        QCOMPARE(d.title(QString(), 10, QStringLiteral("eight-gaussians"), cd),
                 QStringLiteral("EBM Lab — eight-gaussians · Contrastive divergence"));
        d.markClean(10);
        QCOMPARE(d.title(QStringLiteral("/home/a/rings.ebmlab"), 10, QStringLiteral("rings"), cd),
                 QStringLiteral("EBM Lab — rings.ebmlab — rings · Contrastive divergence"));
        QCOMPARE(d.title(QStringLiteral("/home/a/rings.ebmlab"), 11, QStringLiteral("rings"), cd),
                 QStringLiteral("EBM Lab — rings.ebmlab* — rings · Contrastive divergence"));
    }
};

QTEST_GUILESS_MAIN(TestDocumentState)
#include "tst_documentstate.moc"
