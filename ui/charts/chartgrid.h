#pragma once
/// @file chartgrid.h
/// A row of small scrolling line charts (Qt Charts, dark theme) fed point by point: the common part of the
/// 2D window's MetricsChart and the image window's charts. Qt Charts stays behind this interface (it is
/// deprecated upstream after Qt 6.x). Points are buffered and the charts redrawn a few times per second,
/// scrolling over the last kMaxPoints. Axes tick at round steps (chartaxis.h), each title carries the
/// newest value, a dashed marker with a label shows where the method or the target changed, and charts
/// that allow it switch to a logarithmic y axis from their context menu.
#include <QColor>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ebm::ui {

class ChartGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxPoints = 600;
    static constexpr int kMaxMarkers = 100;
    /// How a chart's y axis is ranged.
    enum class YRange {
        Auto,     ///< the data's range, widened to round ticks
        FromZero, ///< from 0 (or below, for negative data) to a round bound above the data
        Unit,     ///< always 0 to 1 (rates), wider only if the data leave it
    };
    struct Spec {
        QString title;        ///< the chart's name; the shown title adds the newest value of each series
        QStringList names;    ///< one line series per name; short (a legend under the plot when several)
        QList<QColor> colors; ///< one per name
        YRange range = YRange::Auto;
        QString unit;           ///< written after the value in the title ("nats"), may be empty
        bool logToggle = false; ///< the context menu offers a logarithmic y axis
    };
    struct Marker {
        double x = 0; ///< in the charts' x units (steps)
        QString label;
    };
    explicit ChartGrid(const std::vector<Spec>& charts, QWidget* parent = nullptr);
    ~ChartGrid() override;

    /// Appends (x, y) to a chart's series (non-finite y is skipped).
    void addPoint(int chart, int series, double x, double y);
    /// Removes every point and marker, and forgets the context markChanges() compares with.
    void clearPoints();
    /// Points currently held by a chart's series.
    int pointCount(int chart, int series = 0) const;
    /// The newest point of a chart's series (NaN if none).
    double lastValue(int chart, int series = 0) const;
    /// The title as shown, with the newest values (e.g. "KL(target‖model) = 0.084 nats").
    QString title(int chart) const;

    /// Compares the training context with the previous call's and, where the method or the context (a
    /// target's or data set's label) changed, adds a marker at x on every chart naming what is new. The
    /// first call after clearPoints() only records.
    void markChanges(double x, const QString& method, const QString& context);
    /// Adds a vertical marker at x with a label on every chart (the oldest go beyond kMaxMarkers).
    void addMarker(double x, const QString& label);
    const std::vector<Marker>& markers() const;

    /// A logarithmic y axis for a chart whose Spec allows it (values ≤ 0 are then left out and the title
    /// says so). Ignored for the other charts.
    void setLogScale(int chart, bool on);
    bool logScale(int chart) const;

    /// Writes the charts as they are shown, as vector graphics (atomically). Throws std::runtime_error.
    void saveSvg(const QString& path, const QString& title);
    /// Redraws now (otherwise on a timer).
    void flush();

private:
    struct Impl;
    Impl* d;
    void refresh(int chart);
    void refreshNext(); ///< the timer's: the next chart with new points
};

} // namespace ebm::ui
