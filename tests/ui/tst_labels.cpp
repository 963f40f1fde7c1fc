// What the window writes next to the plot reads as plain text: no colour-bar label of any field × quantity
// and no legend row carries raw markup ("E_θ", "e^{…}"); every legend row has its own (glyph, colour) pair
// for every method; the window's legend draws score fields as arrows, point sets as dots.
#include "displaymapping.h"
#include "plotdecorations.h"
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QtTest>
#include <ebm/render/arrows.h>
#include <ebm/render/legend.h>
#include <ebm/render/particles.h>
#include <functional>
#include <set>

using namespace ebm;
using namespace ebm::ui;

namespace {
const QRegularExpression kMarkup(QStringLiteral(R"(_[θ{\p{L}]|\^\{|\\[a-z]+|\$)"));

TrainingSnapshot gridSnapshot() {
    TrainingSnapshot s;
    const core::Box box{-2, 2, -2, 2};
    s.energy.box = box;
    s.energy.nx = s.energy.ny = 8;
    s.energy.energy = core::Matf::Random(8, 8).array() + 2;
    s.targetEnergy.box = box;
    s.targetEnergy.nx = s.targetEnergy.ny = 8;
    s.targetEnergy.values = core::Matf::Random(8, 8).array() + 2;
    s.fisher = s.targetEnergy;
    s.fisher.values = s.fisher.values.cwiseAbs();
    return s;
}

// The pixels of img that `lit` accepts: their bounding box and the vertical extent of the leftmost and
// rightmost fifth of it (an arrow has its head on the right).
struct Shape {
    int width = 0, height = 0, leftSpan = 0, rightSpan = 0;
};
Shape shapeOf(const QImage& img, const std::function<bool(QColor)>& accept) {
    const auto lit = [&](int x, int y) { return accept(img.pixelColor(x, y)); };
    int x0 = img.width(), x1 = -1, y0 = img.height(), y1 = -1;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (lit(x, y)) {
                x0 = std::min(x0, x);
                x1 = std::max(x1, x);
                y0 = std::min(y0, y);
                y1 = std::max(y1, y);
            }
    Shape s;
    if (x1 < 0) return s;
    s.width = x1 - x0 + 1;
    s.height = y1 - y0 + 1;
    const auto span = [&](int xa, int xb) {
        int lo = img.height(), hi = -1;
        for (int x = xa; x <= xb; ++x)
            for (int y = y0; y <= y1; ++y)
                if (lit(x, y)) {
                    lo = std::min(lo, y);
                    hi = std::max(hi, y);
                }
        return hi < 0 ? 0 : hi - lo + 1;
    };
    s.leftSpan = span(x0, x0 + s.width / 5);
    s.rightSpan = span(x1 - s.width / 5, x1);
    return s;
}

QImage glyphImage(render::LegendGlyph g, const QColor& c) {
    QImage img(40, 40, QImage::Format_RGB32);
    img.fill(Qt::black);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    drawLegendGlyph(p, QRectF(4, 4, 32, 32), g, c);
    return img;
}
} // namespace

class TestLabels : public QObject {
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void colourBarLabelsHaveNoMarkup() {
        const TrainingSnapshot snap = gridSnapshot();
        std::set<QString> seen;
        for (int src = 0; src <= int(FieldSource::FisherMap); ++src)
            for (int q = 0; q <= int(Quantity::LogDensity); ++q) {
                DisplaySettings d;
                d.source = FieldSource(src);
                d.quantity = Quantity(q);
                const QString label = displayParams(snap, d, snap.energy.box).label;
                QVERIFY2(!label.isEmpty(),
                         qPrintable(QStringLiteral("source %1 quantity %2").arg(src).arg(q)));
                QVERIFY2(!label.contains(kMarkup), qPrintable(label));
                seen.insert(label);
            }
        // Model and target, four quantities each, plus the difference and the score error.
        QCOMPARE(int(seen.size()), 10);
        QVERIFY(seen.count(QStringLiteral("model energy E(x)")));
    }

    void legendRowsAreDistinctAndPlain_data() {
        QTest::addColumn<QString>("method");
        for (const char* m : {"cd", "sm", "nce"})
            QTest::newRow(m) << QString::fromLatin1(m);
    }
    void legendRowsAreDistinctAndPlain() {
        QFETCH(QString, method);
        const std::string m = method.toStdString();
        // Every layer on, as the window asks for it (landscapeview.cpp).
        render::LegendContent c;
        c.particles = c.data = c.modelScore = true;
        c.negatives = m == std::string("cd");
        c.noise = c.noiseBoundary = m == std::string("nce");
        c.targetScore = m == std::string("sm");
        const std::vector<render::LegendRow> rows = render::legendRows(c);
        QCOMPARE(int(rows.size()), m == std::string("nce") ? 5 : 4);
        std::set<std::tuple<int, int, int, int>> pairs;
        for (const render::LegendRow& r : rows) {
            QVERIFY2(!QString::fromStdString(r.text).contains(kMarkup), r.text.c_str());
            pairs.insert({int(r.glyph), r.color.r, r.color.g, r.color.b});
            const bool score = r.text.find("score") != std::string::npos;
            QCOMPARE(r.glyph == render::LegendGlyph::Arrow, score);
        }
        QCOMPARE(pairs.size(), rows.size());
        // Two rows with the same glyph differ clearly in colour (the model's score shares the particles'
        // white, but as an arrow); the target's score arrows are not the data batch's orange.
        const std::vector<render::LegendRow> all =
            render::legendRows(render::LegendContent{true, true, true, true, true, true, true});
        const auto dist = [](render::Rgb8 a, render::Rgb8 b) {
            return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
        };
        for (size_t i = 0; i < all.size(); ++i)
            for (size_t j = i + 1; j < all.size(); ++j)
                if (all[i].glyph == all[j].glyph)
                    QVERIFY2(dist(all[i].color, all[j].color) > 100,
                             (all[i].text + " / " + all[j].text).c_str());
        QVERIFY(dist(render::toRgb8(render::kTargetArrowColor),
                     render::pointColor(render::PointSet::Data, false)) > 200);
    }

    void windowLegendDrawsGlyphs() {
        const auto bright = [](QColor c) { return c.red() > 128 && c.green() > 128 && c.blue() > 128; };
        // Arrows for score fields: a shaft with the head on the right.
        const Shape arrow = shapeOf(glyphImage(render::LegendGlyph::Arrow, Qt::white), bright);
        QVERIFY2(
            arrow.width >= 24 && arrow.rightSpan >= 3 * arrow.leftSpan && arrow.rightSpan >= 12,
            qPrintable(QStringLiteral("%1 %2 %3").arg(arrow.width).arg(arrow.leftSpan).arg(arrow.rightSpan)));
        // Dots for point sets: round, no wider than tall.
        const Shape dot = shapeOf(glyphImage(render::LegendGlyph::Dot, Qt::white), bright);
        QVERIFY(dot.width > 8 && dot.width < 24 && std::abs(dot.width - dot.height) <= 1);
        // A line for the boundary: wide and flat.
        const Shape line = shapeOf(glyphImage(render::LegendGlyph::Line, Qt::white), bright);
        QVERIFY(line.width >= 24 && line.height <= 8 && line.rightSpan == line.leftSpan);

        // The whole legend: the target score's row shows a turquoise arrow.
        QImage img(420, 240, QImage::Format_RGB32);
        img.fill(Qt::black);
        {
            QPainter p(&img);
            p.setRenderHint(QPainter::Antialiasing);
            render::LegendContent c;
            c.particles = c.data = c.modelScore = c.targetScore = true;
            const QRect box = drawLegend(p, img.rect(), render::legendRows(c), Theme());
            QVERIFY(!box.isEmpty());
        }
        // Turquoise, at any coverage of the antialiased strokes: green and blue well above red.
        const Shape s =
            shapeOf(img, [](QColor c) { return c.green() > c.red() + 40 && c.blue() > c.red() + 30; });
        QVERIFY2(s.width >= 12 && s.rightSpan > s.leftSpan,
                 qPrintable(QStringLiteral("%1 %2 %3").arg(s.width).arg(s.leftSpan).arg(s.rightSpan)));
    }
};

QTEST_MAIN(TestLabels)
#include "tst_labels.moc"
