// The training charts as a lecturer reads them: round tick steps (1-2-5 × 10^k), tick labels that are round
// and never repeat on any axis, the acceptance axis fixed at 0..1, x labels in thousands past 10k steps, a
// labelled marker at each method switch and target change, the newest KL in the title, and the log axis.
#include "chartaxis.h"
#include "chartgrid.h"
#include "metricschart.h"
#include "uitesthelpers.h"
#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QRegularExpression>
#include <QValueAxis>
#include <cmath>

using namespace ebm;
using namespace ebm::ui;

namespace {
bool isNiceStep(double s) {
    if (!(s > 0)) return false;
    const double m = s / std::pow(10.0, std::floor(std::log10(s) + 1e-9));
    return std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6;
}

// The labels Qt Charts draws for a dynamic-tick value axis, computed the way Qt Charts 6 does
// (ChartAxisElement::createValueLabels): the first tick from the anchor, then repeated addition of the
// interval up to the maximum, each value printed with the axis' printf format.
QStringList tickLabels(const QValueAxis* a, std::vector<double>* values = nullptr) {
    QStringList out;
    const double iv = a->tickInterval(), an = a->tickAnchor();
    if (!(iv > 0)) return out;
    const QByteArray fmt = a->labelFormat().toLatin1();
    for (double v = an - std::floor((an - a->min()) / iv) * iv; v <= a->max(); v += iv) {
        out << QString::asprintf(fmt.constData(), v);
        if (values) values->push_back(v);
    }
    return out;
}

QChart* chartTitled(QWidget& w, const QString& prefix) {
    for (QChartView* v : w.findChildren<QChartView*>())
        if (v->chart()->title().startsWith(prefix)) return v->chart();
    return nullptr;
}
QChartView* viewOf(QWidget& w, QChart* c) {
    for (QChartView* v : w.findChildren<QChartView*>())
        if (v->chart() == c) return v;
    return nullptr;
}

TrainingSnapshot snapshot(std::int64_t step, const std::string& m, const std::string& target, double kl) {
    TrainingSnapshot s;
    s.step = step;
    s.method = m;
    s.targetName = target;
    s.stepsInChunk = 5;
    s.loss = -0.55 + 0.9 * (0.5 + 0.5 * std::sin(double(step) * 0.01)); // −0.55 … 0.35: crosses 0
    s.kl = kl;
    s.logZ = 2.3 + 0.01 * std::cos(double(step));
    s.logZEstimate = m == std::string("nce") ? 2.1 : std::nan("");
    s.acceptRate = 0.999 + 0.001 * (step % 2); // the "1, 1, 1, 0.999" case
    s.liveAcceptRate = 0.6;
    s.stepsPerSecond = 61.3 + (step % 7);
    return s;
}
} // namespace

class TestCharts : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void niceTickStep_data() {
        QTest::addColumn<double>("span");
        QTest::addColumn<int>("maxIntervals");
        QTest::addColumn<double>("step");
        QTest::newRow("unit in 5") << 1.0 << 5 << 0.2;
        QTest::newRow("unit in 4") << 1.0 << 4 << 0.5;
        QTest::newRow("0.001 in 4") << 0.001 << 4 << 0.0005;
        QTest::newRow("600 steps in 4") << 600.0 << 4 << 200.0;
        QTest::newRow("1.5 in 3") << 1.5 << 3 << 0.5;
        QTest::newRow("7 in 7") << 7.0 << 7 << 1.0;
        QTest::newRow("0.75 in 3") << 0.75 << 3 << 0.5;
        QTest::newRow("a million in 5") << 1e6 << 5 << 2e5;
        QTest::newRow("3 in 10") << 3.0 << 10 << 0.5;
        QTest::newRow("0.0123 in 2") << 0.0123 << 2 << 0.01;
        QTest::newRow("empty span") << 0.0 << 4 << 1.0;
    }
    void niceTickStep() {
        QFETCH(double, span);
        QFETCH(int, maxIntervals);
        QFETCH(double, step);
        const double s = ui::niceTickStep(span, maxIntervals);
        QVERIFY2(std::abs(s - step) <= 1e-9 * step, qPrintable(QString::number(s, 'g', 17)));
    }

    void niceScale_data() {
        QTest::addColumn<double>("lo");
        QTest::addColumn<double>("hi");
        QTest::addColumn<int>("maxIntervals");
        QTest::addColumn<double>("axisLo");
        QTest::addColumn<double>("axisHi");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("format");
        // The lecturer's "0.514, 1.26, 2.01" axis.
        QTest::newRow("loss") << 0.514 << 2.01 << 4 << 0.5 << 2.5 << 0.5 << "%.1f";
        // The "1, 1, 1, 0.999" axis, if a rate were auto-ranged: distinct labels.
        QTest::newRow("near one") << 0.999 << 1.0 << 4 << 0.999 << 1.0 << 0.0005 << "%.4f";
        QTest::newRow("straddles zero") << -3.0 << 7.0 << 5 << -5.0 << 10.0 << 5.0 << "%.0f";
        QTest::newRow("rate") << 0.0 << 1.0 << 5 << 0.0 << 1.0 << 0.2 << "%.1f";
        QTest::newRow("steps/s") << 0.0 << 68.3 << 4 << 0.0 << 80.0 << 20.0 << "%.0f";
        QTest::newRow("flat") << 2.0 << 2.0 << 4 << 1.9 << 2.1 << 0.05 << "%.2f";
    }
    void niceScale() {
        QFETCH(double, lo);
        QFETCH(double, hi);
        QFETCH(int, maxIntervals);
        QFETCH(double, axisLo);
        QFETCH(double, axisHi);
        QFETCH(double, step);
        QFETCH(QString, format);
        const AxisScale a = ui::niceScale(lo, hi, maxIntervals);
        QVERIFY2(std::abs(a.step - step) < 1e-9 * step, qPrintable(QString::number(a.step)));
        QVERIFY2(std::abs(a.lo - axisLo) < 1e-9 && std::abs(a.hi - axisHi) < 1e-9,
                 qPrintable(QStringLiteral("%1 .. %2").arg(a.lo).arg(a.hi)));
        QVERIFY(std::lround((a.hi - a.lo) / a.step) <= maxIntervals);
        QCOMPARE(tickFormat(a.step), format);
    }

    // A value that jumps by many decades (a loss from 0.01 to 1e9, a step count from 5 to 10⁷, as after
    // a diverging hyperparameter or an opened session) re-ranges the axes at once. Qt Charts creates one
    // label per tick under the interval in force, so changing the range before the interval asked for
    // 10¹¹ labels and kept the GUI thread busy for minutes (this test then runs into its time limit).
    void axesFollowAJumpOfManyDecades() {
        ChartGrid::Spec spec;
        spec.title = QStringLiteral("Loss");
        spec.names = {QStringLiteral("loss")};
        spec.colors = {Qt::blue};
        ChartGrid g({spec});
        g.resize(400, 260);
        g.show();
        QVERIFY(QTest::qWaitForWindowExposed(&g));
        for (int i = 0; i < 5; ++i)
            g.addPoint(0, 0, i, 0.01 * (i + 1));
        g.flush();
        g.addPoint(0, 0, 1e7, 1e9);
        g.flush();
        g.addPoint(0, 0, 1e7 + 5, 0.02); // and back down to a narrow range
        g.flush();
        auto* view = g.findChild<QChartView*>();
        QVERIFY(view);
        for (QAbstractAxis* ax : view->chart()->axes()) {
            auto* a = qobject_cast<QValueAxis*>(ax);
            QVERIFY(a);
            const QStringList labels = tickLabels(a);
            QVERIFY2(labels.size() >= 2 && labels.size() <= 7, qPrintable(labels.join(QStringLiteral(", "))));
        }
    }

    void titleValues() {
        QCOMPARE(formatValue(0.0843), QStringLiteral("0.0843"));
        QCOMPARE(formatValue(66.34), QStringLiteral("66.3"));
        QCOMPARE(formatValue(1250.4), QStringLiteral("1250"));
        QCOMPARE(formatValue(std::nan("")), QStringLiteral("–"));
    }

    // Synthetic training past 116k steps with a method switch and a target change: every axis of every
    // chart shows round, distinct labels; acceptance is 0..1; the markers are there, labelled and drawn.
    void axesMarkersAndTitles() {
        MetricsChart w;
        w.resize(1500, 260);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        std::int64_t step = 116000;
        double kl = 1.5;
        const auto feed = [&](const std::string& m, const std::string& target, int n) {
            for (int i = 0; i < n; ++i) {
                step += 5;
                kl = std::max(0.084, kl * 0.99);
                w.addSnapshot(snapshot(step, m, target, kl));
            }
        };
        feed(std::string("cd"), "eight-gaussians", 200);
        const std::int64_t switchStep = step + 5;
        feed(std::string("nce"), "eight-gaussians", 150);
        // Switched while paused: no new points, but the marker is there at once.
        TrainingSnapshot paused = snapshot(step, std::string("nce"), "rings", kl);
        paused.stepsInChunk = 0;
        w.addSnapshot(paused);
        const std::int64_t targetStep = step;
        kl = 3; // the spike after a target change
        feed(std::string("nce"), "rings", 150);
        w.flush();
        QTest::qWait(50); // one layout pass, then the axes follow the plot's size
        w.flush();
        w.addSnapshot(snapshot(step + 5, std::string("nce"), "rings", 0.084));
        w.flush();

        // Markers: the method's name at the switch, the target's name at the change.
        QCOMPARE(int(w.markers().size()), 2);
        QCOMPARE(w.markers()[0].x, double(switchStep));
        QCOMPARE(w.markers()[0].label, QStringLiteral("NCE"));
        QCOMPARE(w.markers()[1].x, double(targetStep));
        QCOMPARE(w.markers()[1].label, QStringLiteral("target: rings"));

        // The title carries the newest KL.
        QCOMPARE(w.title(MetricsChart::Kl), QStringLiteral("KL(target‖model) = 0.084 nats"));
        QVERIFY(chartTitled(w, QStringLiteral("KL(target‖model) = 0.084 nats")));
        QVERIFY(w.title(MetricsChart::Acceptance).startsWith(QStringLiteral("Acceptance: chains ")));
        QVERIFY(w.title(MetricsChart::Acceptance).endsWith(QStringLiteral(" · live 0.6")));

        const QList<QChartView*> views = w.findChildren<QChartView*>();
        QCOMPARE(views.size(), int(MetricsChart::ChartCount));
        for (QChartView* v : views) {
            for (QAbstractAxis* ax : v->chart()->axes()) {
                auto* a = qobject_cast<QValueAxis*>(ax);
                if (!a || !a->isVisible()) continue;
                const QString where =
                    v->chart()->title() + (a->orientation() == Qt::Horizontal ? " x" : " y");
                QCOMPARE(a->tickType(), QValueAxis::TicksDynamic);
                QVERIFY2(isNiceStep(a->tickInterval()), qPrintable(where));
                std::vector<double> values;
                const QStringList labels = tickLabels(a, &values);
                QVERIFY2(labels.size() >= 2 && labels.size() <= 7,
                         qPrintable(where + ": " + labels.join(QStringLiteral(", "))));
                QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size()); // unique
                for (size_t i = 0; i < values.size(); ++i) {
                    const double k = values[i] / a->tickInterval();
                    QVERIFY2(std::abs(k - std::round(k)) < 1e-5, qPrintable(where + ": " + labels[int(i)]));
                    // The label is the value itself, with no digits beyond the step's.
                    // (The x values themselves are in thousands past 10k steps.)
                    QString t = labels[int(i)];
                    t.remove(QLatin1Char('k'));
                    QVERIFY2(std::abs(t.toDouble() - values[i]) < a->tickInterval() * 1e-5,
                             qPrintable(where + ": " + labels[int(i)]));
                    QVERIFY2(!t.startsWith(QStringLiteral("-0")) || t.toDouble() != 0,
                             qPrintable(where + ": " + t));
                }
                if (a->orientation() == Qt::Horizontal) {
                    // Steps past 10k are counted in thousands: short labels ("117k").
                    for (const QString& l : labels)
                        QVERIFY2(l.endsWith(QLatin1Char('k')) && l.size() <= 6, qPrintable(where + ": " + l));
                }
            }
        }
        QChart* acc = chartTitled(w, QStringLiteral("Acceptance"));
        QVERIFY(acc);
        auto* accY = qobject_cast<QValueAxis*>(acc->axes(Qt::Vertical).value(0));
        QVERIFY(accY);
        QCOMPARE(accY->min(), 0.0);
        QVERIFY(std::abs(accY->max() - 1.0) < 1e-5);
        QCOMPARE(tickLabels(accY).first(), QStringLiteral("0.0"));
        QCOMPARE(tickLabels(accY).last(), QStringLiteral("1.0"));

        // The marker is drawn: a light dashed line in the loss chart's column of the switch step, where
        // the plot is otherwise dark or blue.
        QChart* loss = chartTitled(w, QStringLiteral("Training loss"));
        QVERIFY(loss);
        auto* lx = qobject_cast<QValueAxis*>(loss->axes(Qt::Horizontal).value(0));
        QChartView* lv = viewOf(w, loss);
        const QRectF pa = loss->plotArea();
        const QImage img = lv->grab().toImage();
        const auto lightIn = [&](double px) {
            int n = 0;
            for (int y = int(pa.top()) + 30; y < int(pa.bottom()); ++y) {
                const QColor c = img.pixelColor(int(std::round(px)), y);
                n += c.red() > 150 && c.green() > 150 && c.blue() > 150 && std::abs(c.red() - c.blue()) < 40;
            }
            return n;
        };
        const double sx = switchStep / 1000.0;
        const double px = pa.left() + (sx - lx->min()) / (lx->max() - lx->min()) * pa.width();
        const int onMarker = std::max({lightIn(px - 1), lightIn(px), lightIn(px + 1)});
        QVERIFY2(onMarker > 10, qPrintable(QString::number(onMarker)));
        QVERIFY2(lightIn(pa.left() + 0.1 * pa.width()) < 3, "light pixels away from the marker");
    }

    void aResetStartsEveryChartFromStepZero() {
        // After a reset the charts are empty until the new run's first points; none may go on showing the
        // old run's steps on its axis meanwhile (they did, for about a second, one chart after another).
        MetricsChart w;
        w.resize(1500, 260);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (std::int64_t step = 1000; step <= 20000; step += 1000)
            w.addSnapshot(snapshot(step, std::string("cd"), "eight-gaussians", 0.5));
        w.flush();
        TrainingSnapshot reset = snapshot(0, std::string("cd"), "eight-gaussians", 0.5);
        reset.stepsInChunk = 0; // the reset's first snapshot: nothing trained yet
        w.addSnapshot(reset);
        int charts = 0;
        for (QChartView* view : w.findChildren<QChartView*>())
            for (QAbstractAxis* ax : view->chart()->axes(Qt::Horizontal)) {
                auto* a = qobject_cast<QValueAxis*>(ax);
                QVERIFY(a);
                QVERIFY2(a->max() <= 10, qPrintable(view->chart()->title() + QStringLiteral(": ") +
                                                    QString::number(a->max())));
                ++charts;
            }
        QCOMPARE(charts, 5);
    }

    void logScaleToggle() {
        MetricsChart w;
        w.resize(1500, 260);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (int i = 1; i <= 50; ++i) {
            TrainingSnapshot s = snapshot(i * 10, std::string("cd"), "rings", 5.0 / i);
            s.loss = i % 10 == 0 ? -0.2 : 0.3; // CD's loss can be negative
            w.addSnapshot(s);
        }
        w.flush();
        QChart* kl = chartTitled(w, QStringLiteral("KL"));
        QVERIFY(kl);
        const auto verticalType = [](QChart* c) {
            for (QAbstractAxis* a : c->axes(Qt::Vertical))
                if (a->isVisible()) return a->type();
            return QAbstractAxis::AxisTypeNoAxis;
        };
        QCOMPARE(verticalType(kl), QAbstractAxis::AxisTypeValue);
        w.setLogScale(MetricsChart::Kl, true);
        QVERIFY(w.logScale(MetricsChart::Kl));
        QCOMPARE(verticalType(kl), QAbstractAxis::AxisTypeLogValue);
        auto* series = qobject_cast<QLineSeries*>(kl->series().value(0));
        QVERIFY(series);
        QCOMPARE(series->attachedAxes().value(1)->type(), QAbstractAxis::AxisTypeLogValue);
        auto* logAxis = qobject_cast<QLogValueAxis*>(series->attachedAxes().value(1));
        QVERIFY(logAxis->min() <= 0.1 && logAxis->max() >= 5.0); // whole decades around 0.1 … 5
        QVERIFY(std::abs(std::log10(logAxis->min()) - std::round(std::log10(logAxis->min()))) < 1e-3);
        // The loss chart leaves out its negative values on a log axis and says so.
        w.setLogScale(MetricsChart::Loss, true);
        QVERIFY(w.title(MetricsChart::Loss).contains(QStringLiteral("not shown")));
        // Back to linear; charts without a log toggle ignore it.
        w.setLogScale(MetricsChart::Kl, false);
        QCOMPARE(verticalType(kl), QAbstractAxis::AxisTypeValue);
        w.setLogScale(MetricsChart::Acceptance, true);
        QVERIFY(!w.logScale(MetricsChart::Acceptance));
        // A reset forgets the markers and the context.
        w.clear();
        QVERIFY(w.markers().empty());
        w.addSnapshot(snapshot(10, std::string("sm"), "moons", 1));
        QVERIFY(w.markers().empty());
    }
};

EBM_GUI_TEST_MAIN(TestCharts)
#include "tst_charts.moc"
