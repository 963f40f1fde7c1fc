#include "colormaps.h"

#include <ebm/render/colormap.h>

namespace ebm::ui {

QStringList colorMapNames() {
    return {QStringLiteral("Viridis"), QStringLiteral("Magma"), QStringLiteral("Cool–warm (diverging)")};
}

QString qColorMapKey(ColorMap m) {
    return QString::fromStdString(render::colorMapKey(m));
}

ColorMap colorMapFromKey(const QString& key, ColorMap fallback) {
    for (int i = 0; i < kColorMapCount; ++i)
        if (qColorMapKey(ColorMap(i)) == key) return ColorMap(i);
    return fallback;
}

QColor qColorAt(ColorMap m, double t) {
    const render::Rgb c = render::colorAt(m, t);
    return QColor::fromRgbF(float(c.r), float(c.g), float(c.b));
}

QImage colorMapTable() {
    QImage img(256, kColorMapCount, QImage::Format_RGBA8888);
    for (int r = 0; r < kColorMapCount; ++r) {
        const auto& table = render::colorTable(render::ColorMap(r));
        for (int i = 0; i < 256; ++i)
            img.setPixelColor(i, r, QColor(table[size_t(i)].r, table[size_t(i)].g, table[size_t(i)].b));
    }
    return img;
}

} // namespace ebm::ui
