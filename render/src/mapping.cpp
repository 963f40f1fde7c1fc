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

ColorRange energyRange(std::vector<float>& e, Quantity q, float beta, float logZ) {
    ColorRange p;
    p.beta = beta;
    p.logZ = logZ;
    if (e.empty()) return p;
    const float eMin = *std::min_element(e.begin(), e.end());
    p.eMin = eMin;
    switch (q) {
    case Quantity::Energy:
        p.lo = eMin;
        p.hi = std::max(eMin + 1e-3f, quantile(e, 0.99));
        break;
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

} // namespace ebm::render
