#include "drawingfile.h"

#include "drawingsources.h"
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cmath>

namespace ebm::ui {

namespace {
constexpr const char* kFormat = "ebmlab-drawing";
constexpr int kVersion = 1;

[[noreturn]] void fail(const QString& path, const QString& what) {
    throw DrawingError(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), what).toStdString());
}

double number(const QJsonObject& o, const char* key, const QString& path) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        fail(path, QStringLiteral("\"%1\" must be a finite number").arg(QLatin1String(key)));
    return v.toDouble();
}

QString pngPathFor(const QString& jsonPath) {
    const QFileInfo fi(jsonPath);
    return fi.dir().filePath(fi.completeBaseName() + QStringLiteral(".png"));
}
} // namespace

void saveDrawing(const core::DensityDrawing& d, const QString& jsonPath) {
    const QString pngPath = pngPathFor(jsonPath);
    const int n = d.cells();
    QImage img(n, n, QImage::Format_Grayscale16);
    for (int py = 0; py < n; ++py) {
        auto* line = reinterpret_cast<quint16*>(img.scanLine(py));
        for (int px = 0; px < n; ++px)
            line[px] = quint16(std::lround(std::clamp(d.paint()(n - 1 - py, px), 0.0f, 1.0f) * 65535.0));
    }
    QJsonArray gs;
    for (const core::GaussianBlob& g : d.gaussians())
        gs.append(QJsonObject{{"x", g.x}, {"y", g.y}, {"sigma", g.sigma}, {"weight", g.weight}});
    const QJsonObject root{{"format", kFormat},
                           {"version", kVersion},
                           {"box", QJsonArray{d.box().x0, d.box().x1, d.box().y0, d.box().y1}},
                           {"cells", n},
                           {"paint", QFileInfo(pngPath).fileName()},
                           {"gaussians", gs}};
    QSaveFile png(pngPath);
    if (!png.open(QIODevice::WriteOnly)) fail(pngPath, png.errorString());
    QImageWriter w(&png, "png");
    if (!w.write(img)) fail(pngPath, w.errorString());
    QSaveFile json(jsonPath);
    if (!json.open(QIODevice::WriteOnly)) fail(jsonPath, json.errorString());
    json.write(QJsonDocument(root).toJson());
    // Commit the image first: a JSON never names a paint file that is not there.
    if (!png.commit()) fail(pngPath, png.errorString());
    if (!json.commit()) fail(jsonPath, json.errorString());
}

core::DensityDrawing loadDrawing(const QString& jsonPath) {
    QFile f(jsonPath);
    if (!f.open(QIODevice::ReadOnly)) fail(jsonPath, f.errorString());
    if (f.size() > 16 * 1024 * 1024) fail(jsonPath, QStringLiteral("too large for a drawing description"));
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
    if (doc.isNull())
        fail(jsonPath, QStringLiteral("not JSON (%1 at byte %2)").arg(err.errorString()).arg(err.offset));
    const QJsonObject o = doc.object();
    if (o.value("format").toString() != QLatin1String(kFormat))
        fail(jsonPath, QStringLiteral("not an EBM Lab drawing (\"format\" is not \"%1\")").arg(kFormat));
    if (o.value("version").toInt(-1) != kVersion)
        fail(jsonPath, QStringLiteral("drawing version %1 is not supported (this EBM Lab reads version %2)")
                           .arg(o.value("version").toVariant().toString())
                           .arg(kVersion));
    const QJsonArray b = o.value("box").toArray();
    if (b.size() != 4) fail(jsonPath, QStringLiteral("\"box\" must be [x0, x1, y0, y1]"));
    core::Box box{b[0].toDouble(NAN), b[1].toDouble(NAN), b[2].toDouble(NAN), b[3].toDouble(NAN)};
    if (!(std::isfinite(box.x0) && std::isfinite(box.x1) && std::isfinite(box.y0) && std::isfinite(box.y1)) ||
        !box.valid() || box.width() > 1e6 || box.height() > 1e6)
        fail(jsonPath, QStringLiteral("\"box\" must be finite with x1 > x0 and y1 > y0"));
    const int cells = o.value("cells").toInt(-1);
    if (cells < 8 || cells > 2048) fail(jsonPath, QStringLiteral("\"cells\" must be 8 to 2048"));
    core::DensityDrawing d(box, cells);

    const QString paintName = o.value("paint").toString();
    if (paintName.isEmpty() || paintName.contains('/') || paintName.contains('\\'))
        fail(jsonPath, QStringLiteral("\"paint\" must name a PNG file beside the JSON file"));
    const QString pngPath = QFileInfo(jsonPath).dir().filePath(paintName);
    QImageReader reader(pngPath);
    const QSize sz = reader.size();
    if (sz.isValid() && (sz.width() != cells || sz.height() != cells))
        fail(pngPath, QStringLiteral("the paint image is %1 x %2, the drawing has %3 x %3 cells")
                          .arg(sz.width())
                          .arg(sz.height())
                          .arg(cells));
    const QImage img = reader.read().convertToFormat(QImage::Format_Grayscale16);
    if (img.isNull()) fail(pngPath, QStringLiteral("could not be read: %1").arg(reader.errorString()));
    if (img.width() != cells || img.height() != cells) fail(pngPath, QStringLiteral("wrong size"));
    core::DensityDrawing::Raster r(cells, cells);
    for (int py = 0; py < cells; ++py) {
        const auto* line = reinterpret_cast<const quint16*>(img.constScanLine(py));
        for (int px = 0; px < cells; ++px)
            r(cells - 1 - py, px) = float(line[px] / 65535.0);
    }
    if (r.maxCoeff() > 0) d.setPaint(r);

    const QJsonValue gv = o.value("gaussians");
    if (!gv.isUndefined() && !gv.isArray()) fail(jsonPath, QStringLiteral("\"gaussians\" must be an array"));
    const QJsonArray gs = gv.toArray();
    if (gs.size() > 1000) fail(jsonPath, QStringLiteral("more than 1000 Gaussian components"));
    for (const QJsonValue& v : gs) {
        if (!v.isObject()) fail(jsonPath, QStringLiteral("each Gaussian must be an object"));
        const QJsonObject g = v.toObject();
        core::GaussianBlob blob{number(g, "x", jsonPath), number(g, "y", jsonPath),
                                number(g, "sigma", jsonPath), number(g, "weight", jsonPath)};
        if (!(blob.sigma > 0) || !(blob.weight > 0))
            fail(jsonPath, QStringLiteral("a Gaussian's sigma and weight must be positive"));
        d.addGaussian(blob);
    }
    return d;
}

} // namespace ebm::ui
