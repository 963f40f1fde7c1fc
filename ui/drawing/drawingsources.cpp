#include "drawingsources.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <cmath>
#include <limits>
#include <muParser.h>

namespace ebm::ui {

namespace {
// Image row 0 is the top; raster row 0 is the bottom (y0).
core::DensityDrawing::Raster darkness(const QImage& fitted, bool invert) {
    const int n = fitted.width();
    core::DensityDrawing::Raster r(n, n);
    for (int py = 0; py < n; ++py) {
        const QRgb* line = reinterpret_cast<const QRgb*>(fitted.constScanLine(py));
        for (int px = 0; px < n; ++px) {
            const double alpha = qAlpha(line[px]) / 255.0;
            const double grey = qGray(line[px]) / 255.0;
            r(n - 1 - py, px) = float(alpha * (invert ? grey : 1.0 - grey));
        }
    }
    return r;
}

void requireMass(const core::DensityDrawing::Raster& r, const QString& what) {
    if (!(r.maxCoeff() > 0)) throw DrawingError(what.toStdString());
}

mu::Parser makeParser(double* x, double* y) {
    mu::Parser p;
    p.DefineVar("x", x);
    p.DefineVar("y", y);
    return p;
}
} // namespace

core::DensityDrawing::Raster rasterFromImage(const QImage& image, int cells, bool invert) {
    if (image.isNull() || image.width() == 0 || image.height() == 0) throw DrawingError("the image is empty");
    QImage fitted(cells, cells, QImage::Format_ARGB32);
    fitted.fill(Qt::transparent);
    {
        QPainter p(&fitted);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        const QSize s = image.size().scaled(cells, cells, Qt::KeepAspectRatio);
        p.drawImage(QRect((cells - s.width()) / 2, (cells - s.height()) / 2, s.width(), s.height()), image);
    }
    core::DensityDrawing::Raster r = darkness(fitted, invert);
    // Scanned or photographed paper is rarely pure white: near-white (darkness below kPaper) counts as
    // background, not as a faint density spread over the whole box.
    constexpr float kPaper = 0.08f;
    r = (r.array() < kPaper).select(0.0f, r);
    return core::normalisedRaster(r.cast<double>());
}

core::DensityDrawing::Raster rasterFromImageFile(const QString& path, int cells, bool invert) {
    const QString name = QFileInfo(path).fileName();
    if (!QFileInfo(path).isFile())
        throw DrawingError(QStringLiteral("%1: no such file").arg(path).toStdString());
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kMaxImageSide || size.height() > kMaxImageSide))
        throw DrawingError(QStringLiteral("%1 is %2 x %3 pixels; images up to %4 pixels a side can be used")
                               .arg(name)
                               .arg(size.width())
                               .arg(size.height())
                               .arg(kMaxImageSide)
                               .toStdString());
    if (size.isValid() && (size.width() == 0 || size.height() == 0))
        throw DrawingError(QStringLiteral("%1 is an empty image").arg(name).toStdString());
    const QImage img = reader.read();
    if (img.isNull())
        throw DrawingError(QStringLiteral("%1 could not be read as an image: %2")
                               .arg(name, reader.errorString())
                               .toStdString());
    if (img.width() > kMaxImageSide || img.height() > kMaxImageSide)
        throw DrawingError(
            QStringLiteral("%1 is larger than %2 pixels a side").arg(name).arg(kMaxImageSide).toStdString());
    core::DensityDrawing::Raster r = rasterFromImage(img, cells, invert);
    requireMass(
        r,
        invert
            ? QStringLiteral("%1 has no light pixels: there is no density to learn (try without "
                             "Invert)")
                  .arg(name)
            : QStringLiteral("%1 has no dark pixels: there is no density to learn (try Invert)").arg(name));
    return r;
}

core::DensityDrawing::Raster rasterFromText(const QString& text, int cells) {
    const QString t = text.trimmed();
    if (t.isEmpty()) throw DrawingError("type some text to turn into a density");
    QImage img(cells, cells, QImage::Format_ARGB32);
    img.fill(Qt::white);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setBold(true);
    font.setPixelSize(100);
    const QFontMetricsF fm(font);
    const QRectF bounds = fm.boundingRect(t);
    const double scale =
        std::min(0.85 * cells / std::max(1.0, bounds.width()), 0.6 * cells / std::max(1.0, bounds.height()));
    font.setPixelSize(std::max(4, int(100 * scale)));
    {
        QPainter p(&img);
        p.setRenderHint(QPainter::TextAntialiasing);
        p.setFont(font);
        p.setPen(Qt::black);
        p.drawText(QRect(0, 0, cells, cells), Qt::AlignCenter, t);
    }
    core::DensityDrawing::Raster r = darkness(img, false);
    requireMass(r, QStringLiteral("the text \"%1\" has no visible glyphs").arg(t));
    return core::normalisedRaster(r.cast<double>());
}

FormulaCheck checkFormula(const QString& expr) {
    FormulaCheck c;
    if (expr.trimmed().isEmpty()) {
        c.message = QObject::tr("Type a log-density in x and y, e.g. -(sqrt(x^2+y^2)-2.6)^2/0.033");
        return c;
    }
    if (expr.size() > kMaxFormulaLength) {
        c.message = QObject::tr("the formula is longer than %1 characters").arg(kMaxFormulaLength);
        return c;
    }
    double x = 0.3, y = -0.2;
    try {
        mu::Parser p = makeParser(&x, &y);
        p.SetExpr(expr.toStdString());
        (void)p.Eval(); // parsing happens on the first evaluation
        c.ok = true;
        c.message = QObject::tr("valid");
    } catch (const mu::Parser::exception_type& e) {
        c.message = QString::fromStdString(e.GetMsg());
        c.position = e.GetPos();
    }
    return c;
}

core::DensityDrawing::Raster rasterFromFormula(const QString& expr, const core::Box& box, int cells,
                                               int budgetMs) {
    const FormulaCheck check = checkFormula(expr);
    if (!check.ok) throw DrawingError(check.message.toStdString());
    double x = 0, y = 0;
    mu::Parser p = makeParser(&x, &y);
    p.SetExpr(expr.toStdString());
    Eigen::MatrixXd f(cells, cells);
    double mx = -std::numeric_limits<double>::infinity();
    const double dx = box.width() / cells, dy = box.height() / cells;
    QElapsedTimer clock;
    clock.start();
    try {
        for (int iy = 0; iy < cells; ++iy) {
            if (budgetMs > 0 && clock.elapsed() > budgetMs)
                throw DrawingError(
                    QStringLiteral("the formula takes too long to evaluate (more than %1 s on the "
                                   "%2 × %2 grid): simplify it")
                        .arg(budgetMs / 1000.0, 0, 'g', 2)
                        .arg(cells)
                        .toStdString());
            for (int ix = 0; ix < cells; ++ix) {
                x = box.x0 + (ix + 0.5) * dx;
                y = box.y0 + (iy + 0.5) * dy;
                const double v = p.Eval();
                if (std::isnan(v) || v == std::numeric_limits<double>::infinity())
                    throw DrawingError(
                        QStringLiteral("the formula is %1 at x = %2, y = %3; a log-density must be a "
                                       "number or -inf everywhere")
                            .arg(std::isnan(v) ? QStringLiteral("undefined (NaN)") : QStringLiteral("+inf"))
                            .arg(x, 0, 'g', 3)
                            .arg(y, 0, 'g', 3)
                            .toStdString());
                f(iy, ix) = v;
                mx = std::max(mx, v);
            }
        }
    } catch (const mu::Parser::exception_type& e) {
        throw DrawingError(e.GetMsg());
    }
    if (!std::isfinite(mx)) throw DrawingError("the formula is -inf everywhere on the box: no density");
    return core::normalisedRaster((f.array() - mx).exp().matrix());
}

} // namespace ebm::ui
