#pragma once
/// @file imagegrid.h
/// A grid of small grey-scale images (an ImageSet-style matrix, one image per column), scaled up with
/// nearest-neighbour pixels to fill the widget: the number of columns on screen is the one that gives
/// the largest images in the widget's shape (recomputed on resize), and the scale is rounded down to a
/// whole number of screen pixels per image pixel where that costs little room. Click an image to pick it.
/// Also the QImage conversions the image window's exports use.
#include <QImage>
#include <QWidget>
#include <ebm/core/types.h>

namespace ebm::ui {

/// images (d x n, values clipped to [0, 1], w x h each) as a cols-wide grid, each pixel zoom x zoom, with
/// gap-pixel grey borders. White ink on black, as the data are stored.
QImage imageGridToQImage(const core::Matf& images, int w, int h, int cols, int zoom, int gap = 1);

class ImageGrid : public QWidget {
    Q_OBJECT
public:
    explicit ImageGrid(const QString& title, QWidget* parent = nullptr);

    /// Shows images (d x n) of w x h pixels; `cols` is the layout of exported grids (columns()), the
    /// screen uses whichever number of columns fills the widget best (displayColumns()).
    void setImages(const core::Matf& images, int w, int h, int cols = 8);
    void setTitle(const QString& title);
    /// What an empty grid says (default: that the first training step is awaited).
    void setEmptyText(const QString& text);
    /// Marks image i (-1: none) with a frame.
    void setSelected(int i);
    /// Optional text under each image (e.g. an energy); empty for none.
    void setCaptions(const QStringList& captions, const QList<QColor>& colors = {});
    const core::Matf& images() const { return m_images; }
    int imageWidth() const { return m_w; }
    int imageHeight() const { return m_h; }
    int columns() const { return m_cols; }
    /// Columns on screen at the widget's present size.
    int displayColumns() const;
    int selected() const { return m_selected; }
    /// The widget rectangle of image i (tests click there).
    QRect cellRect(int i) const;
    /// The image under a widget position, or -1.
    int indexAt(QPoint p) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void imageClicked(int index);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* e) override;

private:
    QString m_title, m_emptyText;
    core::Matf m_images;
    int m_w = 0, m_h = 0, m_cols = 8, m_selected = -1;
    QStringList m_captions;
    QList<QColor> m_captionColors;
    QImage m_cache;             ///< the grid at 1 pixel per image pixel, in m_cols columns
    mutable QSize m_colsFor;    ///< the widget size displayColumns() was computed for
    mutable int m_dispCols = 0; ///< its answer (0: to compute)
    int rows() const;           ///< rows on screen
    QRect area() const;         ///< the room under the title
    QRect gridRect() const;
    int captionHeight() const;
    QFont captionFont() const;
};

} // namespace ebm::ui
