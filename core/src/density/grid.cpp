// GridDensity: a piecewise-constant density over a rectangle, sampled exactly through the CDF over cells.
#include "presetbase.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ebm::core {

using density_detail::kNegInf;

namespace {
std::string boxText(const Box& b) {
    std::ostringstream s;
    s << "[" << b.x0 << ", " << b.x1 << "] x [" << b.y0 << ", " << b.y1 << "]";
    return s.str();
}
} // namespace

GridDensity::GridDensity(const Matd& values, const Box& box) : m_box(box) {
    if (values.size() == 0)
        throw InvalidArgument("grid density: the value array is empty (" + std::to_string(values.rows()) +
                              " x " + std::to_string(values.cols()) + ") — give at least one cell");
    if (!box.valid() || !std::isfinite(box.x0) || !std::isfinite(box.x1) || !std::isfinite(box.y0) ||
        !std::isfinite(box.y1))
        throw InvalidArgument("grid density: the box " + boxText(box) +
                              " is empty or not finite — give finite bounds with x1 > x0 and y1 > y0");
    double maxValue = 0;
    for (Index ix = 0; ix < values.cols(); ++ix) {
        for (Index iy = 0; iy < values.rows(); ++iy) {
            const double v = values(iy, ix);
            if (!std::isfinite(v) || v < 0) {
                std::ostringstream s;
                s << "grid density: cell (ix " << ix << ", iy " << iy << ") has value " << v
                  << "; every value must be finite and >= 0 — clamp negative values to 0 and drop NaN/Inf";
                throw InvalidArgument(s.str());
            }
            maxValue = std::max(maxValue, v);
        }
    }
    if (maxValue == 0)
        throw InvalidArgument("grid density: all cells are zero — paint some density before training");

    // Divide by the maximum first so that summing huge (but finite) values cannot overflow.
    const Matd scaled = values / maxValue;
    const double dx = box.width() / double(values.cols()), dy = box.height() / double(values.rows());
    const double total = scaled.sum();
    m_density = scaled / (total * dx * dy);
    m_cdf.resize(std::size_t(values.size()));
    double acc = 0;
    for (Index i = 0; i < scaled.size(); ++i) { // column-major, like Eigen's storage
        acc += scaled.data()[i] / total;
        m_cdf[std::size_t(i)] = acc;
    }
}

Rowd GridDensity::logDensity(const Matd& X) const {
    density_detail::checkPoints(X, "grid log-density");
    const Index rows = m_density.rows(), cols = m_density.cols();
    const double dx = m_box.width() / double(cols), dy = m_box.height() / double(rows);
    Rowd out(X.cols());
    for (Index j = 0; j < X.cols(); ++j) {
        const double x = X(0, j), y = X(1, j);
        // Closed box: the far edges belong to the last cell. The negated form also sends NaN outside.
        if (!m_box.contains(x, y)) {
            out(j) = kNegInf;
            continue;
        }
        const Index ix = std::min<Index>(cols - 1, Index(std::floor((x - m_box.x0) / dx)));
        const Index iy = std::min<Index>(rows - 1, Index(std::floor((y - m_box.y0) / dy)));
        const double v = m_density(iy, ix);
        out(j) = v > 0 ? std::log(v) : kNegInf;
    }
    return out;
}

Matd GridDensity::sample(Index n, Rng& rng) const {
    density_detail::checkCount(n, "grid sample");
    const Index rows = m_density.rows(), cols = m_density.cols();
    const double dx = m_box.width() / double(cols), dy = m_box.height() / double(rows);
    std::uniform_real_distribution<double> ud(0.0, 1.0);
    // The last cell with positive mass: a draw at the very top of the CDF must not land past it.
    std::size_t lastPositive = m_cdf.size() - 1;
    while (lastPositive > 0 && m_density.data()[lastPositive] == 0)
        --lastPositive;
    Matd out(2, n);
    for (Index j = 0; j < n; ++j) {
        const double u = ud(rng) * m_cdf.back();
        // First cell whose cumulative mass exceeds u: zero cells have cdf equal to their predecessor's,
        // so they are never chosen.
        std::size_t cell = std::size_t(std::upper_bound(m_cdf.begin(), m_cdf.end(), u) - m_cdf.begin());
        cell = std::min(cell, lastPositive);
        const Index ix = Index(cell) / rows, iy = Index(cell) % rows;
        const double a = ud(rng), b = ud(rng);
        out(0, j) = m_box.x0 + (double(ix) + a) * dx;
        out(1, j) = m_box.y0 + (double(iy) + b) * dy;
    }
    return out;
}

std::unique_ptr<TargetDensity> GridDensity::clone() const {
    return std::make_unique<GridDensity>(*this);
}

} // namespace ebm::core
