#pragma once
/// @file chartgrid.h
/// A row of small scrolling line charts (Qt Charts, dark theme) fed point by point: the common part of the
/// 2D window's MetricsChart and the image window's charts. Qt Charts stays behind this interface (it is
/// deprecated upstream after Qt 6.x). Points are buffered and the charts redrawn a few times per second,
/// scrolling over the last kMaxPoints.
#include <QColor>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ebm::ui {

class ChartGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxPoints = 600;
    struct Spec {
        QString title;
        QStringList names;    ///< one line series per name (a legend when there are several)
        QList<QColor> colors; ///< one per name
    };
    explicit ChartGrid(const std::vector<Spec>& charts, QWidget* parent = nullptr);
    ~ChartGrid() override;

    /// Appends (x, y) to a chart's series (non-finite y is skipped).
    void addPoint(int chart, int series, double x, double y);
    /// Removes every point.
    void clearPoints();
    /// Points currently held by a chart's series.
    int pointCount(int chart, int series = 0) const;
    /// The newest point of a chart's series (NaN if none).
    double lastValue(int chart, int series = 0) const;
    /// Writes the charts as they are shown, as vector graphics (atomically). Throws std::runtime_error.
    void saveSvg(const QString& path, const QString& title);
    /// Redraws now (otherwise on a timer).
    void flush();

private:
    struct Impl;
    Impl* d;
};

} // namespace ebm::ui
