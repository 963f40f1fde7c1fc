// Curve mixtures: exact sampling by the generative process, log-density by a fixed quadrature over the
// curve parameter (see curvemixture.h).
#include "curvemixture.h"

#include <ebm/core/parallel.h>

#include <algorithm>
#include <cmath>

namespace ebm::core::density_detail {
namespace {

// Gauss–Legendre nodes and weights on [-1, 1] (Newton on the Legendre recurrence).
void gaussLegendre(int order, std::vector<double>& x, std::vector<double>& w) {
    x.assign(order, 0.0);
    w.assign(order, 0.0);
    for (int i = 0; i < order; ++i) {
        double z = std::cos(std::numbers::pi * (i + 0.75) / (order + 0.5));
        double dp = 1.0;
        for (int it = 0; it < 100; ++it) {
            double p0 = 1.0, p1 = z;
            for (int k = 2; k <= order; ++k) {
                const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = order * (z * p1 - p0) / (z * z - 1.0);
            const double dz = p1 / dp;
            z -= dz;
            if (std::abs(dz) < 1e-16) break;
        }
        x[i] = z;
        w[i] = 2.0 / ((1.0 - z * z) * dp * dp);
    }
}

} // namespace

CurveNodes buildCurveNodes(const std::vector<CurveArm>& arms, double sigma, const QuadratureOptions& q) {
    std::vector<double> gx, gw;
    gaussLegendre(q.order, gx, gw);
    std::vector<double> cx, cy, lw;
    constexpr int kFine = 4096; // resolution of the arc-length table used to place panels
    for (const CurveArm& arm : arms) {
        // Panel breakpoints are equally spaced in the measure  arc(t)/(panelArc·σ) +
        // minPanels·(t-t0)/(t1-t0): the first term resolves the Gaussian bumps along the curve, the second
        // the latent density q(t).
        std::vector<double> ts(kFine + 1), mu(kFine + 1);
        Eigen::Vector2d prev = arm.curve(arm.t0);
        double arc = 0;
        for (int i = 0; i <= kFine; ++i) {
            ts[i] = arm.t0 + (arm.t1 - arm.t0) * double(i) / kFine;
            const Eigen::Vector2d c = arm.curve(ts[i]);
            arc += (c - prev).norm();
            prev = c;
            mu[i] = arc / (q.panelArc * sigma) + q.minPanels * double(i) / kFine;
        }
        const int panels = std::max(1, int(std::ceil(mu.back())));
        std::vector<double> breaks(panels + 1);
        for (int p = 0; p <= panels; ++p) {
            const double target = mu.back() * double(p) / panels;
            const auto it = std::lower_bound(mu.begin(), mu.end(), target);
            const std::size_t i = std::clamp<std::size_t>(std::size_t(it - mu.begin()), 1, kFine);
            const double f = (target - mu[i - 1]) / std::max(1e-300, mu[i] - mu[i - 1]);
            breaks[p] = ts[i - 1] + std::clamp(f, 0.0, 1.0) * (ts[i] - ts[i - 1]);
        }
        breaks.front() = arm.t0;
        breaks.back() = arm.t1;
        const double logArmWeight = std::log(arm.weight);
        for (int p = 0; p < panels; ++p) {
            const double mid = 0.5 * (breaks[p] + breaks[p + 1]), half = 0.5 * (breaks[p + 1] - breaks[p]);
            for (int k = 0; k < q.order; ++k) {
                const double t = mid + half * gx[k];
                const double l = arm.logLatent(t);
                if (!(l > kNegInf)) continue; // zero latent density: the node carries no mass
                const Eigen::Vector2d c = arm.curve(t);
                cx.push_back(c.x());
                cy.push_back(c.y());
                lw.push_back(logArmWeight + l + std::log(half * gw[k]));
            }
        }
    }
    CurveNodes nodes;
    nodes.cx = Eigen::Map<const Eigen::ArrayXd>(cx.data(), Index(cx.size()));
    nodes.cy = Eigen::Map<const Eigen::ArrayXd>(cy.data(), Index(cy.size()));
    nodes.logw = Eigen::Map<const Eigen::ArrayXd>(lw.data(), Index(lw.size()));
    return nodes;
}

CurveMixture::CurveMixture(std::string name, std::vector<CurveArm> arms, double sigma, QuadratureOptions q)
    : PresetDensity(std::move(name)), m_sigma(sigma) {
    m_nodes = std::make_shared<const CurveNodes>(buildCurveNodes(arms, sigma, q));
    // Cells of 3σ: a point near the curve then visits about 6 x 6 cells (radius ≈ 9σ).
    m_grid = std::make_shared<const NodeGrid>(buildNodeGrid(*m_nodes, 3.0 * sigma));
    m_arms = std::make_shared<const std::vector<CurveArm>>(std::move(arms));
}

void CurveMixture::evalLogDensity(const Matd& X, Rowd& out) const {
    const double logNorm = -kLog2Pi - 2.0 * std::log(m_sigma);
    parallelColumns(X.cols(), 2048, [&](int, ColumnRange r) {
        std::vector<double> buffer;
        buffer.reserve(std::size_t(m_nodes->cx.size()));
        for (Index j = r.begin; j < r.end; ++j)
            out(j) = logNorm + logSumGaussians(*m_grid, m_sigma, X(0, j), X(1, j), buffer);
    });
}

void CurveMixture::draw(Matd& out, Rng& rng) const {
    const std::vector<CurveArm>& arms = *m_arms;
    std::uniform_real_distribution<double> ud(0.0, 1.0);
    std::normal_distribution<double> nd(0.0, 1.0);
    for (Index j = 0; j < out.cols(); ++j) {
        std::size_t k = 0;
        if (arms.size() > 1) {
            double u = ud(rng);
            while (k + 1 < arms.size() && u >= arms[k].weight)
                u -= arms[k++].weight;
        }
        const double t = arms[k].sampleLatent(rng);
        const Eigen::Vector2d c = arms[k].curve(t);
        const double e0 = nd(rng), e1 = nd(rng);
        out(0, j) = c.x() + m_sigma * e0;
        out(1, j) = c.y() + m_sigma * e1;
    }
}

} // namespace ebm::core::density_detail
