#pragma once
/// @file metricschart.h
/// The live training charts (loss, KL(target‖model), exact vs NCE log Z, acceptance rates, throughput).
/// Qt Charts stays behind this small interface (it is deprecated upstream after Qt 6.x); points are
/// buffered and the charts redrawn a few times per second, scrolling over the last kMaxPoints.
#include "trainingsnapshot.h"
#include <QList>
#include <QPointF>
#include <QWidget>
#include <ebm/io/session.h>
#include <vector>

class QTimer;

namespace ebm::ui {

class MetricsChart : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxPoints = 600;
    enum Chart { Loss = 0, Kl, LogZ, Acceptance, Throughput, ChartCount };

    explicit MetricsChart(QWidget* parent = nullptr);
    ~MetricsChart() override;
    void addSnapshot(const TrainingSnapshot& s);
    void clear();
    /// Every point added since the last clear (up to io::kMaxHistory, oldest dropped first): what a
    /// session file keeps, so reopening shows the same curves.
    const std::vector<io::HistoryPoint>& history() const;
    /// Replaces the charts' contents by a saved history.
    void setHistory(const std::vector<io::HistoryPoint>& h);
    /// Points currently held by a chart's first series (tests).
    int pointCount(Chart c) const;
    /// Writes the charts as they are shown, as vector graphics (atomically). Throws std::runtime_error.
    void saveSvg(const QString& path);
    /// Redraws now (otherwise on a timer).
    void flush();

private:
    struct Impl;
    Impl* d;
};

} // namespace ebm::ui
