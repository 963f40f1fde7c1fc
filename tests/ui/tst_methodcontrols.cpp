// The window's method controls come from the objective registry: the method combo lists exactly the
// registered 2D methods in registry order, each method's hyperparameter widgets are built from its schema
// (ranges, defaults, units, tooltips), keys 1–9 select the methods in order, an edited hyperparameter
// reaches the worker's trainer and a saved session reopens with it. Every check iterates core::objectives(),
// so a newly registered objective is covered without an edit here. The image controls list the image
// methods and build their widgets from the image schemas the same way.
#include "controlpanel.h"
#include "imagecontrols.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "paramform.h"
#include "sessionfiles.h"
#include "uitesthelpers.h"
#include "windowtesthelpers.h"
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <ebm/core/objective.h>
#include <ebm/io/session.h>

using namespace ebm;
using namespace ebm::ui;
using ebm::ui::test::quickStart;
using ebm::ui::test::waitForSnapshot;
using ebm::ui::test::waitUntil;

namespace {
std::vector<const core::Objective*> planeObjectives() {
    std::vector<const core::Objective*> v;
    for (const core::Objective* o : core::objectives())
        if (o->info().supports(core::ModelKind::Plane)) v.push_back(o);
    return v;
}

StartOptions small() {
    StartOptions o = quickStart();
    o.settings.trainer.model.hidden = {16, 16};
    o.settings.trainer.chains.bufferSize = 256;
    o.settings.particleCount = 200;
    return o;
}

io::SessionFile capture(MainWindow& w) {
    std::optional<io::SessionFile> got;
    w.captureSession([&](io::SessionFile f) { got = std::move(f); });
    if (!waitUntil([&] { return got.has_value(); })) throw std::runtime_error("no capture");
    return *got;
}

/// A value inside spec's range other than its default (what a user would set).
double otherValue(const core::ParamSpec& s) {
    switch (s.type) {
    case core::ParamType::Flag:
        return s.def != 0 ? 0 : 1;
    case core::ParamType::Choice:
        return s.def == 0 ? 1 : 0;
    case core::ParamType::Integer:
        return s.def < s.max ? s.def + 1 : s.def - 1;
    default:
        return s.def * 2 <= s.max && s.def != 0 ? s.def * 2 : (s.min + s.def) / 2;
    }
}

/// Sets an editor as the user would (emits its change signal).
void setEditor(QWidget* w, const core::ParamSpec& s, double v) {
    if (auto* b = qobject_cast<QSpinBox*>(w)) b->setValue(int(v));
    if (auto* b = qobject_cast<QDoubleSpinBox*>(w)) b->setValue(v);
    if (auto* b = qobject_cast<QCheckBox*>(w)) b->setChecked(v != 0);
    if (auto* b = qobject_cast<QComboBox*>(w)) b->setCurrentIndex(int(v));
    (void)s;
}
} // namespace

class TestMethodControls : public QObject {
    Q_OBJECT
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void comboListsTheRegistry() {
        MainWindow w(small());
        auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("methodCombo"));
        QVERIFY(combo);
        const auto methods = planeObjectives();
        QCOMPARE(combo->count(), int(methods.size()));
        for (int i = 0; i < combo->count(); ++i) {
            const core::ObjectiveInfo& info = methods[size_t(i)]->info();
            QCOMPARE(combo->itemData(i).toString().toStdString(), info.name);
            QCOMPARE(combo->itemText(i).toStdString(), info.label);
            const QString tip = combo->itemData(i, Qt::ToolTipRole).toString();
            QVERIFY2(tip.startsWith(QString::fromStdString(info.help)), qPrintable(tip));
            if (i < 9) QVERIFY2(tip.contains(QStringLiteral("key %1").arg(i + 1)), qPrintable(tip));
            // The Training ▸ Method menu has the same method, with its key.
            auto* action =
                w.findChild<QAction*>(QStringLiteral("method_") + QString::fromStdString(info.name));
            QVERIFY(action);
            QCOMPARE(action->text().toStdString(), info.label);
            if (i < 9) QCOMPARE(action->shortcut(), QKeySequence(Qt::Key_1 + i));
        }
    }

    void widgetsFollowEachSchema() {
        MainWindow w(small());
        auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("methodCombo"));
        auto* chains = w.controls()->findChild<QWidget*>(QStringLiteral("chainOptions"));
        QVERIFY(combo && chains);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        int checked = 0;
        for (const core::Objective* o : planeObjectives()) {
            combo->setCurrentIndex(combo->findData(QString::fromStdString(o->info().name)));
            QCOMPARE(w.settings().trainer.method, o->info().name);
            QCoreApplication::processEvents(); // widgets added to a shown panel appear with the next events
            ParamForm* form = w.controls()->paramForm();
            const core::Schema schema = o->schema(core::ModelKind::Plane);
            QCOMPARE(int(form->schema().size()), int(schema.size()));
            QCOMPARE(chains->isVisibleTo(w.controls()), o->info().needs.negatives);
            for (const core::ParamSpec& s : schema) {
                const QString what = QString::fromStdString(o->info().name + "." + s.key);
                QWidget* e =
                    form->findChild<QWidget*>(QStringLiteral("param_") + QString::fromStdString(s.key));
                QVERIFY2(e && e->isVisibleTo(w.controls()), qPrintable(what));
                QCOMPARE(e->toolTip(), paramToolTip(s));
                QVERIFY2(e->toolTip().startsWith(QString::fromStdString(s.help)), qPrintable(what));
                const QString unit =
                    s.unit.empty() ? QString() : QStringLiteral(" ") + QString::fromStdString(s.unit);
                switch (s.type) {
                case core::ParamType::Integer: {
                    auto* b = qobject_cast<QSpinBox*>(e);
                    QVERIFY2(b, qPrintable(what));
                    QCOMPARE(b->minimum(), int(s.min));
                    QCOMPARE(b->maximum(), int(s.max));
                    QCOMPARE(b->value(), int(s.def));
                    QCOMPARE(b->suffix(), unit);
                    break;
                }
                case core::ParamType::Real: {
                    auto* b = qobject_cast<QDoubleSpinBox*>(e);
                    QVERIFY2(b, qPrintable(what));
                    QCOMPARE(b->minimum(), s.min);
                    QCOMPARE(b->maximum(), s.max);
                    QCOMPARE(b->value(), s.def);
                    QCOMPARE(b->suffix(), unit);
                    // A log-scale parameter steps by factors, a linear one by a fixed amount.
                    if (s.logScale) {
                        b->stepUp();
                        QVERIFY2(b->value() > s.def * 1.05 && b->value() <= s.def * 1.5, qPrintable(what));
                        b->stepDown();
                        QCOMPARE(b->value(), s.def);
                    }
                    break;
                }
                case core::ParamType::Flag: {
                    auto* b = qobject_cast<QCheckBox*>(e);
                    QVERIFY2(b, qPrintable(what));
                    QCOMPARE(b->isChecked(), s.def != 0);
                    break;
                }
                case core::ParamType::Choice: {
                    auto* b = qobject_cast<QComboBox*>(e);
                    QVERIFY2(b, qPrintable(what));
                    QCOMPARE(b->count(), int(s.choices.size()));
                    for (int i = 0; i < b->count(); ++i)
                        QCOMPARE(b->itemText(i).toStdString(), s.choices[size_t(i)]);
                    QCOMPARE(b->currentIndex(), int(s.def));
                    break;
                }
                }
                ++checked;
            }
        }
        qInfo("%d hyperparameter widgets checked against their schemas", checked);
        QVERIFY(checked > 5);
    }

    void keysSelectTheMethodsInOrder() {
        MainWindow w(small());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.view()->setFocus();
        auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("methodCombo"));
        const auto methods = planeObjectives();
        // Backwards, so that each key changes the method.
        for (int i = std::min(9, int(methods.size())) - 1; i >= 0; --i) {
            QTest::keyClick(w.view(), Qt::Key(Qt::Key_1 + i));
            QCOMPARE(w.settings().trainer.method, methods[size_t(i)]->info().name);
            QCOMPARE(combo->currentIndex(), i);
        }
        QVERIFY(waitForSnapshot(
            w, [&](const TrainingSnapshot& s) { return s.method == methods[0]->info().name; }, 20000));
    }

    void editedHyperparameterReachesTheWorkerAndTheSession() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("params.ebmlab"));
        // The first method's first numeric hyperparameter, and one of every other method's.
        std::vector<std::tuple<std::string, core::ParamSpec, double>> edits;
        for (const core::Objective* o : planeObjectives())
            for (const core::ParamSpec& s : o->schema(core::ModelKind::Plane))
                if (s.type != core::ParamType::Flag || o->schema(core::ModelKind::Plane).size() == 1) {
                    edits.emplace_back(o->info().name, s, otherValue(s));
                    break;
                }
        QVERIFY(!edits.empty());
        {
            MainWindow w(small());
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(waitForSnapshot(
                w, [](const TrainingSnapshot& s) { return s.step > 2; }, 60000));
            auto* combo = w.controls()->findChild<QComboBox*>(QStringLiteral("methodCombo"));
            for (const auto& [method, spec, value] : edits) {
                combo->setCurrentIndex(combo->findData(QString::fromStdString(method)));
                QWidget* e = w.controls()->paramForm()->editor(spec.key);
                QVERIFY(e);
                setEditor(e, spec, value);
                QCOMPARE(w.settings().trainer.params.get(method, spec.key), value);
            }
            // The worker's trainer has every edit (captured from it, as a save is).
            QVERIFY2(waitForSnapshot(
                         w, [&](const TrainingSnapshot& s) { return s.method == std::get<0>(edits.back()); },
                         60000),
                     qPrintable(w.lastError()));
            const io::SessionFile f = capture(w);
            for (const auto& [method, spec, value] : edits)
                QCOMPARE(f.trainer.options.params.get(method, spec.key), value);
            bool done = false, ok = false;
            w.sessionFiles()->save(path, [&](bool k, const QString&) { done = true, ok = k; });
            QVERIFY(waitUntil([&] { return done; }));
            QVERIFY(ok);
        }
        MainWindow w2(small());
        w2.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w2));
        QVERIFY(w2.openSession(path));
        auto* combo = w2.controls()->findChild<QComboBox*>(QStringLiteral("methodCombo"));
        for (const auto& [method, spec, value] : edits) {
            QCOMPARE(w2.settings().trainer.params.get(method, spec.key), value);
            combo->setCurrentIndex(combo->findData(QString::fromStdString(method)));
            QCOMPARE(w2.controls()->paramForm()->values().value(spec.key), value);
        }
    }

    void numberBoxesShowNoTrailingZeros() {
        // "0.001", not "0.0010000": every number box of both control panels shows its value without
        // padding, and the image learning rate still shows a value the chain guard has halved four times.
        ImageControls images(ImageSettings{});
        ControlPanel plane;
        plane.setSettings(WorkerSettings{});
        const QRegularExpression padded(QStringLiteral(R"(\.\d*0$)"));
        int boxes = 0;
        for (QWidget* panel : {static_cast<QWidget*>(&images), static_cast<QWidget*>(&plane)})
            for (auto* box : panel->findChildren<QDoubleSpinBox*>()) {
                const QString text = box->cleanText();
                QVERIFY2(!padded.match(text).hasMatch(), qPrintable(box->objectName() + ": " + text));
                ++boxes;
            }
        QVERIFY(boxes >= 8);
        auto* lr = images.findChild<QDoubleSpinBox*>(QStringLiteral("learningRate"));
        QVERIFY(lr);
        lr->setValue(1e-3);
        QCOMPARE(lr->cleanText(), QStringLiteral("0.001"));
        lr->setValue(1e-3 / 16);
        QCOMPARE(lr->cleanText(), QStringLiteral("0.0000625"));
        QCOMPARE(lr->value(), 1e-3 / 16);
    }

    void imageControlsFollowTheRegistry() {
        // The method list is the registry's image methods in order; each method's widgets are its image
        // schema's (a new objective appears here without an edit in ui/).
        ImageControls c(ImageSettings{});
        const std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Image);
        QComboBox* combo = c.methodBox();
        QCOMPARE(combo->count(), int(methods.size()));
        auto* chains = c.findChild<QWidget*>(QStringLiteral("chainOptions"));
        QVERIFY(chains);
        for (int i = 0; i < combo->count(); ++i) {
            const core::Objective& o = core::objective(methods[size_t(i)]);
            QCOMPARE(combo->itemData(i).toString().toStdString(), o.info().name);
            QCOMPARE(combo->itemText(i).toStdString(), o.info().label);
            c.setSettings(ImageSettings{}.withMethod(o.info().name));
            const core::Schema schema = o.schema(core::ModelKind::Image);
            QCOMPARE(int(c.paramForm()->schema().size()), int(schema.size()));
            QCOMPARE(chains->isVisibleTo(&c), o.info().needs.negatives);
            for (const core::ParamSpec& s : schema) {
                QWidget* e = c.paramForm()->editor(s.key);
                QVERIFY(e);
                QCOMPARE(e->toolTip(), paramToolTip(s));
                QCOMPARE(c.paramForm()->values().value(s.key), s.def);
                if (auto* b = qobject_cast<QDoubleSpinBox*>(e)) {
                    QCOMPARE(b->minimum(), s.min);
                    QCOMPARE(b->maximum(), s.max);
                }
            }
        }
        // Editing a widget writes the method's parameter and emits the settings.
        c.setSettings(ImageSettings{}.withMethod(methods.front()));
        const core::Schema schema = core::objective(methods.front()).schema(core::ModelKind::Image);
        for (const core::ParamSpec& s : schema)
            if (auto* b = qobject_cast<QDoubleSpinBox*>(c.paramForm()->editor(s.key))) {
                QSignalSpy changed(&c, &ImageControls::settingsChanged);
                const double v = s.def > 0 && s.def * 2 <= s.max ? s.def * 2 : (s.min + s.max) / 2;
                b->setValue(v);
                QCOMPARE(changed.count(), 1);
                QCOMPARE(c.settings().trainer.params.get(methods.front(), s.key), b->value());
                break;
            }
    }

    void logStepsFollowThePreferredNumbers() {
        QCOMPARE(logStep(1.0, 1), 1.2);
        QCOMPARE(logStep(3.0, 1), 4.0);
        QCOMPARE(logStep(3.0, -1), 2.5);
        QCOMPARE(logStep(8.0, 1), 10.0);
        QCOMPARE(logStep(1.0, -1), 0.8);
        QVERIFY(std::abs(logStep(0.07, 1) - 0.08) < 1e-12);
        QVERIFY(std::abs(logStep(1.7, 1) - 2.0) < 1e-12);
        QVERIFY(std::abs(logStep(1.7, -1) - 1.5) < 1e-12);
        QCOMPARE(logStep(2.0, 3), 4.0);
    }
};

QTEST_MAIN(TestMethodControls)
#include "tst_methodcontrols.moc"
