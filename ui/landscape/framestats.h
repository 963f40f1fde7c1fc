#pragma once
/// @file framestats.h
/// Frame intervals of the GUI thread (time between successive paints), with percentiles.
#include <QElapsedTimer>
#include <algorithm>
#include <vector>

namespace ebm::ui {

class FrameStats {
public:
    explicit FrameStats(size_t capacity = 600) : m_capacity(capacity) { m_intervals.reserve(capacity); }
    /// Call once per frame.
    void tick() {
        if (m_timer.isValid()) {
            const double ms = m_timer.nsecsElapsed() / 1e6;
            if (m_intervals.size() < m_capacity)
                m_intervals.push_back(ms);
            else
                m_intervals[m_next] = ms;
            m_next = (m_next + 1) % m_capacity;
            ++m_frames;
        }
        m_timer.restart();
    }
    void clear() {
        m_intervals.clear();
        m_next = 0;
        m_frames = 0;
        m_timer.invalidate();
    }
    /// The q-quantile (0..1) of the recent intervals in milliseconds (0 if none).
    double percentile(double q) const {
        if (m_intervals.empty()) return 0;
        std::vector<double> v = m_intervals;
        const size_t k = std::min(v.size() - 1, size_t(q * double(v.size() - 1) + 0.5));
        std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
        return v[k];
    }
    size_t samples() const { return m_intervals.size(); }
    long long frames() const { return m_frames; }

private:
    size_t m_capacity;
    std::vector<double> m_intervals;
    size_t m_next = 0;
    long long m_frames = 0;
    QElapsedTimer m_timer;
};

} // namespace ebm::ui
