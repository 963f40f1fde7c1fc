#include "chainanimation.h"

#include "energycurve.h"
#include "imagegrid.h"
#include <QPainter>
#include <algorithm>
#include <cstring>

namespace ebm::ui {

QImage chainFrame(const ChainTrajectory& t, int frame, const QString& title) {
    QImage out(kChainFrameWidth, kChainFrameHeight, QImage::Format_RGB888);
    out.fill(QColor(30, 31, 36));
    QPainter p(&out);
    const int n = int(t.frames.cols());
    const int f = std::clamp(frame, 0, std::max(0, n - 1));
    const int side = kChainFrameHeight - 40;
    const QRect imageRect(12, 28, side, side);
    p.setPen(QColor(220, 220, 225));
    p.drawText(QRect(12, 4, kChainFrameWidth - 24, 20), Qt::AlignLeft | Qt::AlignVCenter, title);
    if (n > 0) {
        const QImage img = imageGridToQImage(t.frames.col(f), t.width, t.height, 1, 1, 0);
        p.drawImage(imageRect, img); // QPainter scales without smoothing unless asked: square pixels
    }
    EnergyCurve::paint(p, QRect(side + 24, 24, kChainFrameWidth - side - 34, kChainFrameHeight - 30),
                       t.energy, f);
    return out;
}

render::Image toRenderImage(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
    render::Image r(rgb.width(), rgb.height());
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(r.pixel(0, y), rgb.constScanLine(y), size_t(rgb.width()) * 3);
    return r;
}

void writeChainAnimation(const ChainTrajectory& t, const QString& title, const std::string& path, double fps,
                         const exporter::EncodeControl& control) {
    if (t.frames.cols() == 0)
        throw core::InvalidArgument("there is no chain to export: click an image first");
    const exporter::Format format = exporter::formatFromPath(path);
    exporter::EncoderOptions o;
    o.width = kChainFrameWidth;
    o.height = kChainFrameHeight;
    o.fps = fps;
    exporter::checkOutput(path, format, o);
    auto enc = exporter::makeEncoder(path, format, o, control);
    const int n = int(t.frames.cols());
    for (int i = 0; i < n; ++i) {
        control.check();
        enc->addFrame(toRenderImage(chainFrame(t, i, title)));
        if (control.progress) control.progress(i + 1, n);
    }
    enc->finish();
}

} // namespace ebm::ui
