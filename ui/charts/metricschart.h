#pragma once
/// @file metricschart.h
/// The live training charts (loss, KL(target‖model), exact vs NCE log Z, acceptance rates, throughput),
/// each titled with its newest value, with a marker where the method or the target changed.
/// Qt Charts stays behind this small interface (it is deprecated upstream after Qt 6.x); points are
/// buffered and the charts redrawn a few times per second (ChartGrid).
#include "chartgrid.h"
#include "trainingsnapshot.h"
#include <ebm/io/session.h>
#include <vector>

namespace ebm::ui {

class MetricsChart : public ChartGrid {
    Q_OBJECT
public:
    enum Chart { Loss = 0, Kl, LogZ, Acceptance, Throughput, ChartCount };

    explicit MetricsChart(QWidget* parent = nullptr);
    ~MetricsChart() override;
    /// Adds the snapshot's figures (when it trained) and marks a new method or target.
    void addSnapshot(const TrainingSnapshot& s);
    void clear();
    /// Every point added since the last clear (up to io::kMaxHistory, oldest dropped first): what a
    /// session file keeps, so reopening shows the same curves.
    const std::vector<io::HistoryPoint>& history() const;
    /// Replaces the charts' contents by a saved history.
    void setHistory(const std::vector<io::HistoryPoint>& h);
    /// Writes the charts as they are shown, as vector graphics (atomically). Throws std::runtime_error.
    void saveSvg(const QString& path);
    /// Marks a change the snapshots do not show (new settings, e.g. "recommended settings") at the latest
    /// step charted; nothing before the first point.
    void markSettings(const QString& label);
    /// The label of a method switch's marker: the method's short label ("NCE").
    static QString methodMarker(const std::string& method);

private:
    struct Impl;
    Impl* d;
    void add(const io::HistoryPoint& p);
};

} // namespace ebm::ui
