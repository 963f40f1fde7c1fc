// A sum of many equal-width isotropic Gaussians, evaluated with spatial pruning: a node whose term is
// below e^{-kCut} times the largest term cannot change the log-sum, so only nodes within a radius set by
// a lower bound of the largest term are visited.
#include "curvemixture.h"

#include <algorithm>
#include <cmath>

namespace ebm::core::density_detail {
namespace {
constexpr double kCut = 32.0; // dropped terms are < e^-32 ≈ 1.3e-14 of the largest one

// floor(v) clamped to [0, n-1], clamping before the conversion (far points would overflow an int).
int clampedCell(double v, int n) {
    const double f = std::floor(v);
    if (!(f > 0)) return 0;
    return f >= n - 1 ? n - 1 : int(f);
}
} // namespace

NodeGrid buildNodeGrid(const CurveNodes& nodes, double cellSide) {
    NodeGrid g;
    const Index n = nodes.cx.size();
    g.h = cellSide;
    if (n == 0) {
        g.start.assign(2, 0);
        g.cellMaxLogw.assign(1, kNegInf);
        g.maxLogw = kNegInf;
        return g;
    }
    const double xmin = nodes.cx.minCoeff(), xmax = nodes.cx.maxCoeff();
    const double ymin = nodes.cy.minCoeff(), ymax = nodes.cy.maxCoeff();
    g.nx = std::max(1, int(std::floor((xmax - xmin) / cellSide)) + 1);
    g.ny = std::max(1, int(std::floor((ymax - ymin) / cellSide)) + 1);
    g.x0 = xmin;
    g.y0 = ymin;
    auto cellOf = [&](Index i) {
        return clampedCell((nodes.cy(i) - g.y0) / g.h, g.ny) * g.nx +
               clampedCell((nodes.cx(i) - g.x0) / g.h, g.nx);
    };
    const int cells = g.nx * g.ny;
    g.start.assign(cells + 1, 0);
    for (Index i = 0; i < n; ++i)
        ++g.start[cellOf(i) + 1];
    for (int c = 0; c < cells; ++c)
        g.start[c + 1] += g.start[c];
    std::vector<int> fill(g.start.begin(), g.start.end() - 1);
    g.cx.resize(n);
    g.cy.resize(n);
    g.logw.resize(n);
    g.cellMaxLogw.assign(cells, kNegInf);
    for (Index i = 0; i < n; ++i) {
        const int c = cellOf(i);
        const int k = fill[c]++;
        g.cx[k] = nodes.cx(i);
        g.cy[k] = nodes.cy(i);
        g.logw[k] = nodes.logw(i);
        g.cellMaxLogw[c] = std::max(g.cellMaxLogw[c], nodes.logw(i));
    }
    g.maxLogw = nodes.logw.maxCoeff();
    return g;
}

double logSumGaussians(const NodeGrid& g, double sigma, double x, double y, std::vector<double>& buf) {
    const double inv2s2 = 1.0 / (2.0 * sigma * sigma);
    auto cellTerms = [&](int ix, int iy, double& best) {
        const int c = iy * g.nx + ix;
        for (int k = g.start[c]; k < g.start[c + 1]; ++k) {
            const double dx = x - g.cx[k], dy = y - g.cy[k];
            best = std::max(best, g.logw[k] - (dx * dx + dy * dy) * inv2s2);
        }
    };
    // 1. A lower bound of the largest term: the best term among the nodes of the nearest non-empty ring
    //    of cells around the point (Chebyshev rings, starting from the point's own cell).
    const int cx0 = clampedCell((x - g.x0) / g.h, g.nx);
    const int cy0 = clampedCell((y - g.y0) / g.h, g.ny);
    double lower = kNegInf;
    const int maxRing = std::max(g.nx, g.ny);
    for (int r = 0; r <= maxRing && lower == kNegInf; ++r) {
        const int xl = cx0 - r, xh = cx0 + r, yl = cy0 - r, yh = cy0 + r;
        for (int ix = std::max(0, xl); ix <= std::min(g.nx - 1, xh); ++ix) {
            if (yl >= 0) cellTerms(ix, yl, lower);
            if (r > 0 && yh < g.ny) cellTerms(ix, yh, lower);
        }
        for (int iy = std::max(0, yl + 1); iy <= std::min(g.ny - 1, yh - 1); ++iy) {
            if (xl >= 0) cellTerms(xl, iy, lower);
            if (r > 0 && xh < g.nx) cellTerms(xh, iy, lower);
        }
    }
    if (lower == kNegInf) return kNegInf; // no node has positive weight, or every term underflowed
    // 2. Every node with logw - d²/(2σ²) >= lower - kCut lies within radius R of the point.
    const double floorTerm = lower - kCut;
    const double radius = std::sqrt((g.maxLogw - floorTerm) / inv2s2);
    const int ixLo = clampedCell((x - radius - g.x0) / g.h, g.nx);
    const int ixHi = clampedCell((x + radius - g.x0) / g.h, g.nx);
    const int iyLo = clampedCell((y - radius - g.y0) / g.h, g.ny);
    const int iyHi = clampedCell((y + radius - g.y0) / g.h, g.ny);
    buf.clear();
    double top = kNegInf;
    for (int iy = iyLo; iy <= iyHi; ++iy) {
        const double cy0e = g.y0 + iy * g.h;
        const double ddy = std::max({0.0, cy0e - y, y - (cy0e + g.h)});
        for (int ix = ixLo; ix <= ixHi; ++ix) {
            const int c = iy * g.nx + ix;
            if (g.start[c] == g.start[c + 1]) continue;
            const double cx0e = g.x0 + ix * g.h;
            const double ddx = std::max({0.0, cx0e - x, x - (cx0e + g.h)});
            if (g.cellMaxLogw[c] - (ddx * ddx + ddy * ddy) * inv2s2 < floorTerm) continue;
            for (int k = g.start[c]; k < g.start[c + 1]; ++k) {
                const double dx = x - g.cx[k], dy = y - g.cy[k];
                const double t = g.logw[k] - (dx * dx + dy * dy) * inv2s2;
                if (t < floorTerm) continue;
                buf.push_back(t);
                top = std::max(top, t);
            }
        }
    }
    const Eigen::Map<const Eigen::ArrayXd> t(buf.data(), Index(buf.size()));
    return top + std::log((t - top).exp().sum());
}

Rowd logDensityAllNodes(const CurveNodes& nodes, double sigma, const Matd& X) {
    const double inv2s2 = 1.0 / (2.0 * sigma * sigma);
    const double logNorm = -kLog2Pi - 2.0 * std::log(sigma);
    Rowd out(X.cols());
    Eigen::ArrayXd t(nodes.cx.size());
    for (Index j = 0; j < X.cols(); ++j) {
        t = nodes.logw - ((nodes.cx - X(0, j)).square() + (nodes.cy - X(1, j)).square()) * inv2s2;
        const double m = t.size() ? t.maxCoeff() : kNegInf;
        out(j) = m > kNegInf ? logNorm + m + std::log((t - m).exp().sum()) : kNegInf;
    }
    return out;
}

} // namespace ebm::core::density_detail
