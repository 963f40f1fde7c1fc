#include <ebm/render/mapping.h>

#include <algorithm>
#include <cmath>

namespace ebm::render {

float quantile(std::vector<float>& v, double q) {
    if (v.empty()) return 0;
    const size_t k = std::min(v.size() - 1, size_t(q * double(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), v.end());
    return v[k];
}

float niceStep(float range, int count) {
    if (!(range > 0)) return 1;
    const double raw = range / count, mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / mag;
    return float(mag * (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10));
}

float displayedValue(float e, Quantity q, const ColorRange& p) {
    switch (q) {
    case Quantity::Energy:
        return e;
    case Quantity::UnnormalisedDensity:
        return std::exp(-p.beta * (e - p.eMin));
    case Quantity::Density:
        return std::exp(-p.beta * e - p.logZ);
    case Quantity::LogDensity:
        return -p.beta * e - p.logZ;
    }
    return e;
}

float massLevel(std::vector<float>& e, float beta, double mass) {
    if (e.empty()) return 0;
    std::sort(e.begin(), e.end());
    const double e0 = e.front(), b = std::max(double(beta), 1e-6);
    double total = 0;
    for (float v : e)
        total += std::exp(-b * (v - e0));
    // Cells in order of falling probability until `mass` of it is covered.
    double sum = 0;
    for (float v : e) {
        sum += std::exp(-b * (v - e0));
        if (sum >= mass * total) return std::max(v, float(e0) + 1e-3f);
    }
    return std::max(e.back(), float(e0) + 1e-3f);
}

ColorRange energyRange(std::vector<float>& e, Quantity q, float beta, float logZ) {
    ColorRange p;
    p.beta = beta;
    p.logZ = logZ;
    if (e.empty()) return p;
    const float eMin = *std::min_element(e.begin(), e.end());
    p.eMin = eMin;
    switch (q) {
    case Quantity::Energy: {
        const float q99 = quantile(e, 0.99);
        const float level = massLevel(e, beta, kEnergyMass);
        p.lo = eMin;
        p.hi = eMin + std::max(kMinEnergySpan / std::max(beta, 1e-6f),
                               std::min(q99 - eMin, kEnergySpanFactor * (level - eMin)));
        break;
    }
    case Quantity::UnnormalisedDensity:
        p.lo = 0;
        p.hi = 1;
        break;
    case Quantity::Density:
        p.lo = 0;
        p.hi = std::exp(-p.beta * eMin - p.logZ);
        break;
    case Quantity::LogDensity:
        p.hi = -p.beta * eMin - p.logZ;
        p.lo = std::max(p.hi - 12.0f, -p.beta * quantile(e, 0.99) - p.logZ);
        break;
    }
    if (!(p.hi > p.lo)) p.hi = p.lo + 1e-3f;
    p.contourStep = niceStep(p.hi - p.lo, 12);
    return p;
}

void RangeSmoother::hold(const ColorRange& r, std::int64_t key) {
    m_cur = r;
    m_key = key;
    m_has = true;
    m_held = true;
}

ColorRange RangeSmoother::update(const ColorRange& fit, std::int64_t key, bool jump) {
    const bool newKey = !m_has || key != m_key;
    ColorRange r = fit;
    if (m_held && !newKey) {
        r.lo = m_cur.lo;
        r.hi = m_cur.hi;
        r.eMin = m_cur.eMin;
        r.contourStep = m_cur.contourStep;
    } else if (!jump && !newKey) {
        // Only the span eases. The anchor follows the fit at once: the lowest energy (an energy's offset is
        // arbitrary and drifts during training, and a lagging lower end would flatten the modes into the
        // bottom colour), or the zero of a symmetric range such as the difference view's.
        const float span = m_cur.hi - m_cur.lo + m_rate * ((fit.hi - fit.lo) - (m_cur.hi - m_cur.lo));
        const bool symmetric = fit.lo == -fit.hi;
        r.lo = symmetric ? -0.5f * span : fit.lo;
        r.hi = r.lo + std::max(span, 1e-3f);
        // Keep the spacing while it gives a readable number of lines, so it does not toggle between two
        // 1-2-5 steps when the fit hovers at a threshold.
        const float lines = (r.hi - r.lo) / m_cur.contourStep;
        r.contourStep =
            m_cur.contourStep > 0 && lines >= 5 && lines <= 25 ? m_cur.contourStep : fit.contourStep;
    }
    m_cur = r;
    m_key = key;
    m_has = true;
    return r;
}

} // namespace ebm::render
