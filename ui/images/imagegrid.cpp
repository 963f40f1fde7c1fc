#include "imagegrid.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace ebm::ui {

QImage imageGridToQImage(const core::Matf& images, int w, int h, int cols, int zoom, int gap) {
    const int n = int(images.cols());
    if (n == 0 || w <= 0 || h <= 0 || cols <= 0) return {};
    cols = std::min(cols, n);
    const int rows = (n + cols - 1) / cols;
    QImage img((cols * (w * zoom + gap) + gap), (rows * (h * zoom + gap) + gap), QImage::Format_Grayscale8);
    img.fill(QColor(70, 70, 76));
    for (int i = 0; i < n; ++i) {
        const int ox = gap + (i % cols) * (w * zoom + gap), oy = gap + (i / cols) * (h * zoom + gap);
        for (int y = 0; y < h; ++y) {
            for (int zy = 0; zy < zoom; ++zy) {
                uchar* line = img.scanLine(oy + y * zoom + zy) + ox;
                for (int x = 0; x < w; ++x) {
                    const float v = std::clamp(images(y * w + x, i), 0.0f, 1.0f);
                    std::fill_n(line + x * zoom, zoom, uchar(v * 255.0f + 0.5f));
                }
            }
        }
    }
    return img;
}

ImageGrid::ImageGrid(const QString& title, QWidget* parent)
    : QWidget(parent), m_title(title), m_emptyText(tr("waiting for the first step…")) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageGrid::setImages(const core::Matf& images, int w, int h, int cols) {
    m_images = images;
    m_w = w;
    m_h = h;
    m_cols = std::max(1, cols);
    m_dispCols = 0; // the number of images or their shape may have changed
    m_cache = imageGridToQImage(images, w, h, m_cols, 1, 1);
    if (m_selected >= images.cols()) m_selected = -1;
    update();
}

void ImageGrid::setTitle(const QString& title) {
    m_title = title;
    update();
}

void ImageGrid::setEmptyText(const QString& text) {
    m_emptyText = text;
    update();
}

void ImageGrid::setSelected(int i) {
    m_selected = i;
    update();
}

void ImageGrid::setCaptions(const QStringList& captions, const QList<QColor>& colors) {
    m_captions = captions;
    m_captionColors = colors;
    m_dispCols = 0;
    update();
}

QRect ImageGrid::area() const {
    return rect().adjusted(2, fontMetrics().height() + 4, -2, -2);
}

namespace {
// Screen pixels per image pixel when n images of w x h (plus a 2-pixel border each, and a caption row
// under each) go in `cols` columns of an area.
double gridScale(QSize area, int n, int w, int h, int cols, int captionH) {
    const int rows = (n + cols - 1) / cols;
    const double sx = (area.width() / double(cols) - 2) / w;
    const double sy = ((area.height() - rows * captionH) / double(rows) - 2) / h;
    return std::min(sx, sy);
}
} // namespace

int ImageGrid::displayColumns() const {
    const int n = int(m_images.cols());
    if (n == 0 || m_w <= 0 || m_h <= 0) return std::max(1, m_cols);
    if (m_dispCols > 0 && m_colsFor == size()) return m_dispCols;
    int best = 1;
    double bestScale = -1;
    for (int c = 1; c <= n; ++c) {
        const double s = gridScale(area().size(), n, m_w, m_h, c, captionHeight());
        if (s > bestScale + 1e-9) best = c, bestScale = s;
    }
    m_colsFor = size();
    m_dispCols = best;
    return best;
}

int ImageGrid::rows() const {
    const int n = int(m_images.cols());
    return n == 0 ? 1 : (n + displayColumns() - 1) / displayColumns();
}

QFont ImageGrid::captionFont() const {
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 0.8);
    return f;
}

int ImageGrid::captionHeight() const {
    return m_captions.isEmpty() ? 0 : QFontMetrics(captionFont()).height();
}

QRect ImageGrid::gridRect() const {
    // The columns that give the largest images; the scale rounded down to whole screen pixels per image
    // pixel when that loses less than 15% (evenly sized pixels), else kept (nearest neighbour, crisp).
    const QRect a = area();
    const int n = std::max<int>(1, int(m_images.cols())), cols = std::min(displayColumns(), n);
    double s =
        std::max(0.1, gridScale(a.size(), n, std::max(1, m_w), std::max(1, m_h), cols, captionHeight()));
    if (std::floor(s) >= 1 && std::floor(s) / s > 0.85) s = std::floor(s);
    const int cellW = int(std::max(1, m_w) * s) + 2, cellH = int(std::max(1, m_h) * s) + 2;
    const int gw = cols * cellW, gh = rows() * (cellH + captionHeight());
    return QRect(a.x() + std::max(0, (a.width() - gw) / 2), a.y() + std::max(0, (a.height() - gh) / 2), gw,
                 gh);
}

QRect ImageGrid::cellRect(int i) const {
    if (i < 0 || i >= m_images.cols()) return {};
    const QRect g = gridRect();
    const int cols = std::min<int>(displayColumns(), int(m_images.cols()));
    const int cw = g.width() / cols, ch = g.height() / rows();
    const int c = i % cols, r = i / cols;
    return QRect(g.x() + c * cw, g.y() + r * ch, cw, ch - captionHeight());
}

int ImageGrid::indexAt(QPoint p) const {
    for (int i = 0; i < m_images.cols(); ++i)
        if (cellRect(i).contains(p)) return i;
    return -1;
}

QSize ImageGrid::sizeHint() const {
    return {260, 280};
}

QSize ImageGrid::minimumSizeHint() const {
    return {120, 130};
}

void ImageGrid::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), QColor(30, 31, 36));
    p.setPen(QColor(220, 220, 225));
    p.drawText(rect().adjusted(4, 2, -4, 0), Qt::AlignLeft | Qt::AlignTop, m_title);
    if (m_images.cols() == 0) {
        p.setPen(QColor(150, 150, 155));
        p.drawText(rect().adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
    for (int i = 0; i < m_images.cols(); ++i) {
        const QRect r = cellRect(i);
        const int cols = std::min<int>(m_cols, int(m_images.cols())); // the cache's layout
        const QRect src(1 + (i % cols) * (m_w + 1), 1 + (i / cols) * (m_h + 1), m_w, m_h);
        p.drawImage(r.adjusted(1, 1, -1, -1), m_cache, src); // nearest neighbour: no smooth transform
        if (i < m_captions.size()) {
            p.setFont(captionFont());
            p.setPen(m_captionColors.value(i, QColor(200, 200, 205)));
            p.drawText(QRect(r.x(), r.bottom(), r.width(), captionHeight()), Qt::AlignCenter, m_captions[i]);
        }
    }
    if (m_selected >= 0 && m_selected < m_images.cols()) {
        p.setPen(QPen(QColor(255, 170, 60), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect(m_selected).adjusted(0, 0, -1, -1));
    }
}

void ImageGrid::mousePressEvent(QMouseEvent* e) {
    const int i = indexAt(e->position().toPoint());
    if (i >= 0 && e->button() == Qt::LeftButton) emit imageClicked(i);
    QWidget::mousePressEvent(e);
}

} // namespace ebm::ui
