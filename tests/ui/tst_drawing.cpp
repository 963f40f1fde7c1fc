// Drawing a target density: strokes painted with simulated mouse events, undo/redo, Gaussians, images,
// text, formulas, presets, export/import, bad input, and that a drawn density samples where the paint
// is and can be learned. Widgets only (no OpenGL), under Xvfb like the other GUI tests.
#include "densitycanvas.h"
#include "drawingfile.h"
#include "drawingsources.h"
#include "drawpanel.h"
#include "uitesthelpers.h"
#include <QBuffer>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QVector3D>
#include <cmath>
#include <ebm/core/metrics.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>

using namespace ebm;
using namespace ebm::ui;

namespace {
// Distance from p to the segment ab.
double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
    const double vx = bx - ax, vy = by - ay;
    const double t = std::clamp(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0.0, 1.0);
    return std::hypot(px - ax - t * vx, py - ay - t * vy);
}

// Presses at a, moves to b in small steps with the button held, releases: a user's drag.
void drag(QWidget* w, QPointF a, QPointF b, int steps = 20) {
    QTest::mousePress(w, Qt::LeftButton, {}, a.toPoint());
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(w, (a + (b - a) * (double(i) / steps)).toPoint());
    QTest::mouseRelease(w, Qt::LeftButton, {}, b.toPoint());
}

// Fraction of the drawn density's mass in cells whose centre satisfies pred(x, y).
template <class Pred> double massWhere(const core::DensityDrawing& d, Pred pred) {
    const Eigen::MatrixXd v = d.values();
    double in = 0;
    for (int ix = 0; ix < d.cells(); ++ix)
        for (int iy = 0; iy < d.cells(); ++iy)
            if (pred(d.cellX(ix), d.cellY(iy))) in += v(iy, ix);
    return in / v.sum();
}
} // namespace

class TestDrawing : public QObject {
    Q_OBJECT

    std::unique_ptr<DrawPanel> m_panel;

    DensityCanvas* canvas() { return m_panel->canvas(); }
    const core::DensityDrawing& drawing() { return m_panel->document()->drawing(); }
    QPointF at(double x, double y) { return canvas()->toWidget(QPointF(x, y)); }
    QPushButton* trainButton() { return m_panel->findChild<QPushButton*>(QStringLiteral("trainOnDrawing")); }

private slots:
    void init() {
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        m_panel = std::make_unique<DrawPanel>();
        m_panel->resize(420, 900);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        QVERIFY(canvas()->plotRect().width() > 250); // room to draw at a useful resolution
    }
    void cleanup() { m_panel.reset(); }

    void emptyDrawingCannotBeTrained() {
        QVERIFY(drawing().isEmpty());
        QVERIFY(!trainButton()->isEnabled());
        QVERIFY(trainButton()->text().contains(QLatin1String("Nothing drawn")));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, drawing().toDensity());
        int requested = 0;
        connect(m_panel.get(), &DrawPanel::trainRequested, this, [&] { ++requested; });
        m_panel->train(); // e.g. the shortcut path: says why, emits nothing
        QCOMPARE(requested, 0);
        QVERIFY(m_panel->message().contains(QLatin1String("empty")));
    }

    void hardBrushStrokeSamplesInsideThePaint() {
        core::BrushOptions b;
        b.radius = 0.4;
        b.strength = 1.0;
        b.hardness = 1.0;
        canvas()->setBrush(b);
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-2, -1), at(2, 1));
        QVERIFY(!drawing().isEmpty());
        QVERIFY(trainButton()->isEnabled());
        // The stroke reached its end: paint at both ends and in the middle, none far from it.
        const auto& d = drawing();
        auto paintAt = [&](double x, double y) {
            const int ix = int((x - d.box().x0) / d.cellWidth()), iy = int((y - d.box().y0) / d.cellHeight());
            return d.paint()(iy, ix);
        };
        QCOMPARE(paintAt(-2, -1), 1.0f);
        QCOMPARE(paintAt(0, 0), 1.0f);
        QCOMPARE(paintAt(1.95, 0.97), 1.0f);
        QCOMPARE(paintAt(0, 2), 0.0f);
        // A cell is painted when its centre is within the radius; a pixel's rounding moves the stroke by
        // up to half a pixel (~0.015 data units here).
        const double slack = 0.5 * std::hypot(d.cellWidth(), d.cellHeight()) + 0.04;
        const double inStroke = massWhere(
            d, [&](double x, double y) { return segmentDistance(x, y, -2, -1, 2, 1) <= b.radius + slack; });
        QCOMPARE(inStroke, 1.0);

        const auto density = d.toDensity();
        core::Rng rng(7);
        const core::Matd s = density->sample(20000, rng);
        int inside = 0;
        for (Eigen::Index j = 0; j < s.cols(); ++j)
            inside += segmentDistance(s(0, j), s(1, j), -2, -1, 2, 1) <= b.radius + slack;
        const double frac = inside / double(s.cols());
        qInfo("samples inside the stroke: %.4f", frac);
        QVERIFY2(frac > 0.95, qPrintable(QString::number(frac)));
        // Samples cover the whole stroke, not one end: their mean is the stroke's middle.
        QVERIFY(std::abs(s.row(0).mean()) < 0.1 && std::abs(s.row(1).mean()) < 0.05);
    }

    void undoAndRedoEveryAction() {
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-2, 2), at(2, 2));
        const core::DensityDrawing afterFirst = drawing();
        drag(canvas(), at(0, -3), at(0, 3));
        const core::DensityDrawing afterSecond = drawing();
        QVERIFY(!(afterFirst == afterSecond));
        canvas()->setTool(DrawTool::Eraser);
        drag(canvas(), at(-3, 2), at(3, 2));
        const core::DensityDrawing afterErase = drawing();
        QVERIFY(massWhere(afterErase, [](double, double y) { return std::abs(y - 2) < 0.1; }) <
                0.2 * massWhere(afterSecond, [](double, double y) { return std::abs(y - 2) < 0.1; }));
        m_panel->blur();
        const core::DensityDrawing afterBlur = drawing();
        QVERIFY(!(afterBlur == afterErase));
        QCOMPARE(afterBlur.values().sum(), afterBlur.values().sum()); // finite
        QCOMPARE(m_panel->document()->undoStack()->count(), 4);

        // Ctrl+Z through the panel's action (what the menu and the shortcut trigger).
        m_panel->undoAction()->trigger();
        QVERIFY(drawing() == afterErase);
        m_panel->undoAction()->trigger();
        QVERIFY(drawing() == afterSecond);
        m_panel->undoAction()->trigger();
        QVERIFY(drawing() == afterFirst);
        m_panel->undoAction()->trigger();
        QVERIFY(drawing().isEmpty());
        QVERIFY(!trainButton()->isEnabled());
        for (int i = 0; i < 4; ++i)
            m_panel->redoAction()->trigger();
        QVERIFY(drawing() == afterBlur);
        m_panel->clear();
        QVERIFY(drawing().isEmpty());
        m_panel->undoAction()->trigger();
        QVERIFY(drawing() == afterBlur);
    }

    void keyboardShortcutsUndoAndRedo() {
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-1, 0), at(1, 0));
        const core::DensityDrawing painted = drawing();
        QVERIFY(!painted.isEmpty());
        // The actions' shortcuts work in a window holding them, as in the main window's Edit menu.
        m_panel->addAction(m_panel->undoAction());
        m_panel->addAction(m_panel->redoAction());
        m_panel->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
        QTest::keyClick(canvas(), Qt::Key_Z, Qt::ControlModifier);
        QVERIFY(drawing().isEmpty());
        QTest::keyClick(canvas(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(drawing() == painted);
    }

    void captionFollowsTheUndoState() {
        QVERIFY(m_panel->useText(QStringLiteral("L")));
        QCOMPARE(m_panel->caption(), QStringLiteral("Text \"L\""));
        const QString formula = QStringLiteral("-(sqrt(x^2+y^2)-2.6)^2/0.033");
        QVERIFY(test::applyFormula(m_panel.get(), formula));
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-1, 0), at(1, 0)); // drawn on top: still built on the formula
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
        m_panel->undoAction()->trigger(); // the stroke
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
        m_panel->undoAction()->trigger(); // the formula: the caption goes with it
        QCOMPARE(m_panel->caption(), QStringLiteral("Text \"L\""));
        m_panel->undoAction()->trigger();
        QVERIFY(drawing().isEmpty());
        QCOMPARE(m_panel->caption(), QString());
        m_panel->redoAction()->trigger();
        m_panel->redoAction()->trigger();
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
        m_panel->clear();
        QCOMPARE(m_panel->caption(), QString());
        m_panel->undoAction()->trigger();
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
        // A refused formula leaves the caption (and the drawing) as they were.
        QVERIFY(!test::applyFormula(m_panel.get(), QStringLiteral("log(x)")));
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + formula);
    }

    void activeToolIsHighlighted() {
        const DrawTool tools[] = {DrawTool::Brush, DrawTool::Eraser, DrawTool::Gaussian};
        // Mean colour of a button as drawn.
        const auto look = [](QToolButton* b) {
            const QImage img = b->grab().toImage();
            double r = 0, g = 0, bl = 0;
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x) {
                    const QColor c = img.pixelColor(x, y);
                    r += c.red();
                    g += c.green();
                    bl += c.blue();
                }
            const double n = double(img.width()) * img.height();
            return QVector3D(float(r / n), float(g / n), float(bl / n));
        };
        canvas()->setFocus();
        const std::pair<Qt::Key, DrawTool> keys[] = {
            {Qt::Key_E, DrawTool::Eraser}, {Qt::Key_G, DrawTool::Gaussian}, {Qt::Key_B, DrawTool::Brush}};
        for (const auto& [key, tool] : keys) {
            QTest::keyClick(canvas(), key);
            QCOMPARE(canvas()->tool(), tool);
            for (DrawTool t : tools)
                QCOMPARE(m_panel->toolButton(t)->isChecked(), t == tool);
        }
        for (DrawTool tool : tools) {
            QTest::mouseClick(m_panel->toolButton(tool), Qt::LeftButton);
            QCOMPARE(canvas()->tool(), tool);
            for (DrawTool t : tools)
                QCOMPARE(m_panel->toolButton(t)->isChecked(), t == tool);
            // Clearly highlighted: the active button's colour stands apart from the others'.
            const QVector3D on = look(m_panel->toolButton(tool));
            for (DrawTool t : tools)
                if (t != tool) {
                    const QVector3D off = look(m_panel->toolButton(t));
                    QVERIFY2((on - off).length() > 40,
                             qPrintable(QStringLiteral("%1").arg((on - off).length())));
                }
        }
    }

    void gaussianToolAddsMovesResizes() {
        canvas()->setTool(DrawTool::Gaussian);
        canvas()->setNewGaussian(0.5, 1.0);
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, at(1, 1).toPoint());
        QCOMPARE(drawing().gaussians().size(), size_t(1));
        QVERIFY(std::abs(drawing().gaussians()[0].x - 1) < 0.05);
        QCOMPARE(drawing().gaussians()[0].sigma, 0.5);
        // Its mass sits around (1, 1): 39% within 1σ of a 2D Gaussian.
        QVERIFY(
            std::abs(massWhere(drawing(), [](double x, double y) { return std::hypot(x - 1, y - 1) < 0.5; }) -
                     0.3935) < 0.02);
        drag(canvas(), at(1, 1), at(-2, 0.5)); // drag the centre
        QVERIFY(std::abs(drawing().gaussians()[0].x + 2) < 0.05);
        QVERIFY(std::abs(drawing().gaussians()[0].y - 0.5) < 0.05);
        drag(canvas(), at(-1.5, 0.5), at(-1.0, 0.5)); // the 1σ handle, outwards to 1.0
        QVERIFY(std::abs(drawing().gaussians()[0].sigma - 1.0) < 0.05);
        QWheelEvent wheel(at(-2, 0.5), canvas()->mapToGlobal(at(-2, 0.5)), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas(), &wheel);
        QVERIFY(std::abs(drawing().gaussians()[0].sigma - 1.1) < 0.06);
        canvas()->setSelectedWeight(0.25);
        QCOMPARE(drawing().gaussians()[0].weight, 0.25);
        QCOMPARE(m_panel->document()->undoStack()->count(), 5); // add, move, resize, wheel, weight
        QTest::keyClick(canvas(), Qt::Key_Delete);
        QVERIFY(drawing().gaussians().empty());
        m_panel->undoAction()->trigger();
        QCOMPARE(drawing().gaussians().size(), size_t(1));
    }

    void paintAndGaussiansAddUp() {
        core::DensityDrawing d;
        core::BrushOptions b;
        b.hardness = 1;
        b.strength = 1;
        d.dab(-2, 0, b);
        d.addGaussian(core::GaussianBlob{2, 0, 0.3, 1.0});
        const double painted = M_PI * b.radius * b.radius;  // area of the dab, height 1
        const double gaussian = 2 * M_PI * 0.3 * 0.3 * 1.0; // ∫ exp(-r²/2σ²) = 2πσ²
        const double left = massWhere(d, [](double x, double) { return x < 0; });
        QVERIFY2(std::abs(left - painted / (painted + gaussian)) < 0.03, qPrintable(QString::number(left)));
    }

    void loadsAnImage() {
        QTemporaryDir dir;
        // A white picture with a black square in its upper-left quarter.
        QImage img(400, 400, QImage::Format_RGB32);
        img.fill(Qt::white);
        {
            QPainter p(&img);
            p.fillRect(QRect(40, 40, 120, 120), Qt::black);
        }
        const QString path = dir.filePath(QStringLiteral("square.png"));
        QVERIFY(img.save(path));
        QVERIFY(m_panel->loadImageFile(path));
        // Pixels 40..160 of 400 map to x in [-3.2, -0.8] and (upside down) y in [0.8, 3.2].
        const double in = massWhere(
            drawing(), [](double x, double y) { return x > -3.25 && x < -0.75 && y > 0.75 && y < 3.25; });
        QVERIFY2(in > 0.99, qPrintable(QString::number(in)));
        m_panel->undoAction()->trigger();
        QVERIFY(drawing().isEmpty());
        // A JPEG of the same, inverted: the white surround becomes the density.
        const QString jpg = dir.filePath(QStringLiteral("square.jpg"));
        QVERIFY(img.save(jpg, "JPEG", 90));
        const auto inv = rasterFromImageFile(jpg, 256, true);
        double inSquare = 0;
        for (int ix = 0; ix < 256; ++ix)
            for (int iy = 0; iy < 256; ++iy) {
                const double x = -4 + (ix + 0.5) / 32, y = -4 + (iy + 0.5) / 32;
                if (x > -3.1 && x < -0.9 && y > 0.9 && y < 3.1) inSquare += inv(iy, ix);
            }
        QVERIFY(inSquare / inv.sum() < 0.01);
    }

    void badImagesChangeNothing() {
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-1, -1), at(1, 1));
        const core::DensityDrawing before = drawing();
        const int undoCount = m_panel->document()->undoStack()->count();
        QTemporaryDir dir;
        auto expectRefused = [&](const QString& path, const QString& fragment) {
            QVERIFY(!m_panel->loadImageFile(path));
            QVERIFY2(m_panel->message().contains(fragment, Qt::CaseInsensitive),
                     qPrintable(m_panel->message()));
            QVERIFY(drawing() == before);
            QCOMPARE(m_panel->document()->undoStack()->count(), undoCount);
        };
        QFile junk(dir.filePath(QStringLiteral("junk.png")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("this is not a PNG at all");
        junk.close();
        expectRefused(junk.fileName(), QStringLiteral("could not be read"));
        QImage wide(kMaxImageSide + 1, 2, QImage::Format_Grayscale8);
        wide.fill(0);
        QVERIFY(wide.save(dir.filePath(QStringLiteral("wide.png"))));
        expectRefused(dir.filePath(QStringLiteral("wide.png")), QStringLiteral("8192"));
        QImage white(64, 64, QImage::Format_RGB32);
        white.fill(Qt::white);
        QVERIFY(white.save(dir.filePath(QStringLiteral("white.png"))));
        expectRefused(dir.filePath(QStringLiteral("white.png")), QStringLiteral("no dark pixels"));
        expectRefused(dir.filePath(QStringLiteral("missing.png")), QStringLiteral("no such file"));
        QFile truncated(dir.filePath(QStringLiteral("cut.png")));
        {
            QByteArray full;
            QBuffer buf(&full);
            buf.open(QIODevice::WriteOnly);
            white.save(&buf, "PNG");
            QVERIFY(truncated.open(QIODevice::WriteOnly));
            truncated.write(full.left(full.size() / 2));
            truncated.close();
        }
        expectRefused(truncated.fileName(), QStringLiteral("cut.png"));
    }

    void textBecomesADensity() {
        QVERIFY(m_panel->useText(QStringLiteral("L")));
        // An L: more mass in the lower half and the left half, nothing in the upper right corner.
        QVERIFY(massWhere(drawing(), [](double, double y) { return y < 0; }) > 0.5);
        QVERIFY(massWhere(drawing(), [](double x, double) { return x < 0; }) > 0.5);
        QCOMPARE(massWhere(drawing(), [](double x, double y) { return x > 1.0 && y > 1.0; }), 0.0);
        QVERIFY(!m_panel->useText(QStringLiteral("   ")));
        QVERIFY(massWhere(drawing(), [](double, double y) { return y < 0; }) > 0.5); // unchanged
    }

    void formulaErrorsInlineAndDonut() {
        auto* field = m_panel->findChild<QLineEdit*>(QStringLiteral("drawFormula"));
        auto* status = m_panel->findChild<QLabel*>(QStringLiteral("formulaStatus"));
        QVERIFY(field && status);
        field->setText(QStringLiteral("-(sqrt(x^2+y^2)-2.6)^2/"));
        QVERIFY(status->text().startsWith(QStringLiteral("✗")));
        field->setText(QStringLiteral("-(sqrt(x^2+y^2)-2.6)^2/0.033 + foo"));
        QVERIFY2(status->text().contains(QLatin1String("foo")), qPrintable(status->text()));
        QVERIFY(!test::applyFormula(m_panel.get(), field->text()));
        QVERIFY(drawing().isEmpty());
        field->setText(QStringLiteral("-(sqrt(x^2+y^2)-2.6)^2/0.033"));
        QVERIFY(status->text().startsWith(QStringLiteral("✓")));
        QSignalSpy done(m_panel.get(), &DrawPanel::formulaDone);
        QTest::keyClick(field, Qt::Key_Return);
        QVERIFY(done.wait(30000));
        QVERIFY(!drawing().isEmpty());
        // The donut: its mass within ±0.4 of radius 2.6 (σ = 0.128, so ±3σ).
        const double ring =
            massWhere(drawing(), [](double x, double y) { return std::abs(std::hypot(x, y) - 2.6) < 0.4; });
        QVERIFY2(ring > 0.99, qPrintable(QString::number(ring)));
        // Undefined somewhere (log of a negative number): refused with the place, drawing kept.
        const core::DensityDrawing donut = drawing();
        QVERIFY(!test::applyFormula(m_panel.get(), QStringLiteral("log(x)")));
        QVERIFY(m_panel->message().contains(QLatin1String("NaN")));
        QVERIFY(drawing() == donut);
        QVERIFY(!test::applyFormula(m_panel.get(), QStringLiteral("-1/0 * (x^2+1)")));
        QVERIFY(drawing() == donut);
    }

    // A formula never holds the window: it is evaluated on a worker thread (useFormula returns before the
    // result), with a time budget, and one too long to check as it is typed is refused at once.
    void formulasHaveABudget() {
        QSignalSpy done(m_panel.get(), &DrawPanel::formulaDone);
        QVERIFY(m_panel->useFormula(QStringLiteral("-(x^2+y^2)")));
        QCOMPARE(done.count(), 0);
        QVERIFY(done.wait(30000));
        QVERIFY(done.front().front().toBool());
        const core::DensityDrawing gauss = drawing();
        // ~200 operations per point on a 2048 x 2048 grid take seconds; a 50 ms budget refuses it early.
        QString slow = QStringLiteral("x");
        for (int i = 0; i < 60; ++i)
            slow = QStringLiteral("sin(%1)*cos(y)").arg(slow);
        QVERIFY(checkFormula(slow).ok);
        try {
            (void)rasterFromFormula(slow, core::Box{}, 2048, 50);
            QFAIL("a formula over its budget was evaluated to the end");
        } catch (const DrawingError& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("too long")), e.what());
        }
        QString huge = QStringLiteral("x");
        while (huge.size() <= kMaxFormulaLength)
            huge += QStringLiteral("+x");
        QVERIFY(!checkFormula(huge).ok);
        QVERIFY(!test::applyFormula(m_panel.get(), huge));
        QVERIFY(m_panel->message().contains(QString::number(kMaxFormulaLength)));
        QVERIFY(drawing() == gauss);
    }

    // Enter pressed again before the first formula is evaluated: only the newest one becomes the drawing,
    // once; the older result never lands on top of it. A pane closed while a slow formula is evaluated
    // goes at once or within the formula's budget, never later.
    void theNewestFormulaWins() {
        QSignalSpy done(m_panel.get(), &DrawPanel::formulaDone);
        const QString first = QStringLiteral("-(x^2+y^2)"), second = QStringLiteral("-((x-2)^2+y^2)");
        QVERIFY(m_panel->useFormula(first));
        QVERIFY(m_panel->useFormula(second));
        QVERIFY(done.wait(30000));
        QVERIFY(done.front().front().toBool());
        QCOMPARE(m_panel->caption(), QStringLiteral("log p = ") + second);
        // The mass sits around x = 2, not at the origin where the first formula put it.
        QVERIFY(massWhere(drawing(), [](double x, double) { return x > 1; }) > 0.8);
        QTest::qWait(300);
        QCOMPARE(done.count(), 1);

        QString slow = QStringLiteral("x");
        for (int i = 0; i < 60; ++i)
            slow = QStringLiteral("sin(%1)*cos(y)").arg(slow);
        auto pane = std::make_unique<DrawPanel>();
        QVERIFY(pane->useFormula(slow));
        QElapsedTimer closing;
        closing.start();
        pane.reset();
        QVERIFY2(closing.elapsed() < DrawPanel::kFormulaBudgetMs + 2000,
                 qPrintable(QString::number(closing.elapsed())));
    }

    void presetBecomesEditable() {
        QVERIFY(m_panel->usePreset(QStringLiteral("eight-gaussians")));
        // The eight modes on the circle of radius 2 hold nearly all the mass.
        QVERIFY(massWhere(drawing(),
                          [](double x, double y) { return std::abs(std::hypot(x, y) - 2) < 0.7; }) > 0.99);
        canvas()->setTool(DrawTool::Eraser);
        core::BrushOptions b;
        b.radius = 0.8;
        b.strength = 1;
        b.hardness = 1;
        canvas()->setBrush(b);
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, at(2, 0).toPoint()); // erase the mode at (2, 0)
        QVERIFY(massWhere(drawing(), [](double x, double y) { return std::hypot(x - 2, y) < 0.6; }) < 0.001);
        QVERIFY(!m_panel->usePreset(QStringLiteral("no-such-preset")));
    }

    void exportImportRoundTrip() {
        canvas()->setTool(DrawTool::Brush);
        drag(canvas(), at(-2, 0), at(2, 0));
        canvas()->setTool(DrawTool::Gaussian);
        QTest::mouseClick(canvas(), Qt::LeftButton, {}, at(0, 2).toPoint());
        const core::DensityDrawing d = drawing();
        QTemporaryDir dir;
        const QString json = dir.filePath(QStringLiteral("mine.json"));
        QVERIFY(m_panel->exportDrawing(json));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("mine.png"))));
        m_panel->clear();
        QVERIFY(m_panel->importDrawing(json));
        QCOMPARE(drawing().gaussians(), d.gaussians());
        const float paintError = (drawing().paint() - d.paint()).cwiseAbs().maxCoeff();
        QVERIFY2(paintError < 1e-4f, qPrintable(QString::number(paintError))); // 16-bit PNG
        // Damaged files: one message, the drawing untouched.
        const core::DensityDrawing now = drawing();
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray text = f.readAll();
        f.resize(0);
        f.write(text.replace("\"version\": 1", "\"version\": 99"));
        f.close();
        QVERIFY(!m_panel->importDrawing(json));
        QVERIFY(m_panel->message().contains(QLatin1String("version 99")));
        QVERIFY(drawing() == now);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"format\": \"ebmlab-drawing\", \"version\": 1, \"box\": [0, 0, 0, 1], \"cells\": 256}");
        f.close();
        QVERIFY(!m_panel->importDrawing(json));
        QVERIFY(m_panel->message().contains(QLatin1String("box")));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("{\"format\": \"ebmlab-drawing\", \"ver");
        f.close();
        QVERIFY(!m_panel->importDrawing(json));
        QVERIFY(m_panel->message().contains(QLatin1String("not JSON")));
        QVERIFY(drawing() == now);
        // An unwritable place: a message, and no half-written file.
        QVERIFY(!m_panel->exportDrawing(dir.filePath(QStringLiteral("no/such/dir/x.json"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("no/such/dir/x.png"))));
    }

    void drawnDensityIsLearned() {
        QVERIFY(m_panel->useText(QStringLiteral("L")));
        const auto density = drawing().toDensity();
        core::setThreadCount(2);
        core::TrainerOptions o;
        o.method = std::string("nce");
        o.box = density->suggestedBox();
        core::Trainer t(density, o);
        const core::GridSpec spec{o.box, 128};
        const double kl0 = t.metrics(core::Matd(2, 0), spec).kl;
        for (int i = 0; i < 800; ++i)
            t.step();
        const double kl1 = t.metrics(core::Matd(2, 0), spec).kl;
        qInfo("KL(drawn L || model): %.3f at the start, %.3f after 800 NCE steps (factor %.1f)", kl0, kl1,
              kl0 / kl1);
        QVERIFY2(kl1 < kl0 / 4, qPrintable(QStringLiteral("%1 -> %2").arg(kl0).arg(kl1)));
    }
};

EBM_GUI_TEST_MAIN(TestDrawing)
#include "tst_drawing.moc"
