#include <ebm/core/drawing.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm::core {

namespace {
GaussianBlob clamped(GaussianBlob g) {
    g.sigma = std::clamp(g.sigma, 0.03, 4.0);
    g.weight = std::clamp(g.weight, 0.01, 1.0);
    return g;
}
} // namespace

DensityDrawing::Raster normalisedRaster(const Eigen::MatrixXd& values) {
    const double mx = values.size() ? values.maxCoeff() : 0.0;
    if (!(mx > 0)) return DensityDrawing::Raster::Zero(values.rows(), values.cols());
    return (values / mx).cast<float>();
}

DensityDrawing::DensityDrawing(const Box& box, int cells) : m_box(box) {
    if (!box.valid()) throw InvalidArgument("a drawing needs a non-empty box");
    if (cells < 8 || cells > 2048)
        throw InvalidArgument("a drawing has 8 to 2048 cells a side, not " + std::to_string(cells));
    m_paint = Raster::Zero(cells, cells);
}

void DensityDrawing::setPaint(const Raster& r) {
    if (r.rows() != m_paint.rows() || r.cols() != m_paint.cols())
        throw InvalidArgument("paint of " + std::to_string(r.cols()) + " x " + std::to_string(r.rows()) +
                              " cells does not fit a drawing of " + std::to_string(cells()) + " x " +
                              std::to_string(cells()));
    if (!r.allFinite() || (r.size() && r.minCoeff() < 0))
        throw InvalidArgument("paint values must be finite and non-negative");
    // Paint lives in [0, 1] (1 = fully painted); only larger values are scaled down into it.
    m_paint = r.size() && r.maxCoeff() > 1 ? normalisedRaster(r.cast<double>()) : r;
}

int DensityDrawing::addGaussian(const GaussianBlob& g) {
    m_gaussians.push_back(clamped(g));
    return int(m_gaussians.size()) - 1;
}

void DensityDrawing::setGaussian(int i, const GaussianBlob& g) {
    if (i < 0 || i >= int(m_gaussians.size())) return;
    m_gaussians[size_t(i)] = clamped(g);
}

void DensityDrawing::removeGaussian(int i) {
    if (i < 0 || i >= int(m_gaussians.size())) return;
    m_gaussians.erase(m_gaussians.begin() + i);
}

void DensityDrawing::dab(double x, double y, const BrushOptions& b) {
    const double r = std::max(b.radius, 1e-6);
    const double a0 = std::clamp(b.strength, 0.0, 1.0);
    const double hard = std::clamp(b.hardness, 0.0, 1.0);
    const int n = cells();
    const int ix0 = std::max(0, int(std::floor((x - r - m_box.x0) / cellWidth())));
    const int ix1 = std::min(n - 1, int(std::floor((x + r - m_box.x0) / cellWidth())));
    const int iy0 = std::max(0, int(std::floor((y - r - m_box.y0) / cellHeight())));
    const int iy1 = std::min(n - 1, int(std::floor((y + r - m_box.y0) / cellHeight())));
    for (int ix = ix0; ix <= ix1; ++ix)
        for (int iy = iy0; iy <= iy1; ++iy) {
            const double dx = cellX(ix) - x, dy = cellY(iy) - y;
            const double d = std::sqrt(dx * dx + dy * dy) / r;
            if (d > 1) continue;
            // Flat inside the hard core, then a Gaussian fall-off to ~1% at the rim.
            const double t = hard >= 1 ? 0.0 : std::max(0.0, (d - hard) / (1 - hard));
            const double a = a0 * std::exp(-4.6 * t * t);
            float& v = m_paint(iy, ix);
            v = b.erase ? float(v * (1 - a)) : float(v + (1 - v) * a);
        }
}

void DensityDrawing::stroke(double x0, double y0, double x1, double y1, const BrushOptions& b) {
    const double len = std::hypot(x1 - x0, y1 - y0);
    const double spacing = std::max(b.radius * 0.25, 0.5 * std::min(cellWidth(), cellHeight()));
    const int steps = std::max(1, int(std::ceil(len / spacing)));
    for (int i = 1; i <= steps; ++i) {
        const double t = double(i) / steps;
        dab(x0 + t * (x1 - x0), y0 + t * (y1 - y0), b);
    }
}

void DensityDrawing::blur(double sigma) {
    // Separable Gaussian, truncated at 3σ; edges renormalise the kernel so no mass leaves the box.
    const double sc = sigma / cellWidth();
    const int half = std::max(1, int(std::ceil(3 * sc)));
    std::vector<double> k(size_t(2 * half + 1));
    for (int i = -half; i <= half; ++i)
        k[size_t(i + half)] = std::exp(-0.5 * i * i / std::max(sc * sc, 1e-12));
    const int n = cells();
    auto pass = [&](const Eigen::MatrixXd& in, bool alongX) {
        Eigen::MatrixXd out(in.rows(), in.cols());
        for (int iy = 0; iy < n; ++iy)
            for (int ix = 0; ix < n; ++ix) {
                double s = 0, w = 0;
                for (int o = -half; o <= half; ++o) {
                    const int jx = alongX ? ix + o : ix, jy = alongX ? iy : iy + o;
                    if (jx < 0 || jx >= n || jy < 0 || jy >= n) continue;
                    s += k[size_t(o + half)] * in(jy, jx);
                    w += k[size_t(o + half)];
                }
                out(iy, ix) = s / w;
            }
        return out;
    };
    const Eigen::MatrixXd blurred = pass(pass(m_paint.cast<double>(), true), false);
    m_paint = blurred.cwiseMax(0.0).cast<float>();
}

void DensityDrawing::clear() {
    m_paint.setZero();
    m_gaussians.clear();
}

Eigen::MatrixXd DensityDrawing::values() const {
    Eigen::MatrixXd v = m_paint.cast<double>();
    for (const GaussianBlob& g : m_gaussians) {
        const double s2 = 2 * g.sigma * g.sigma;
        Eigen::RowVectorXd gx(cells());
        Eigen::VectorXd gy(cells());
        for (int i = 0; i < cells(); ++i) {
            gx(i) = std::exp(-(cellX(i) - g.x) * (cellX(i) - g.x) / s2);
            gy(i) = std::exp(-(cellY(i) - g.y) * (cellY(i) - g.y) / s2);
        }
        v.noalias() += g.weight * gy * gx; // separable: exp(-r²/2σ²) = exp(-dx²/2σ²)·exp(-dy²/2σ²)
    }
    return v;
}

bool DensityDrawing::isEmpty() const {
    // A Gaussian has mass even when centred outside the box, unless it is far outside: test the values.
    return !(values().maxCoeff() > 1e-12);
}

std::shared_ptr<const GridDensity> DensityDrawing::toDensity() const {
    if (isEmpty())
        throw InvalidArgument(
            "the drawing is empty: paint with the brush, add a Gaussian, or load an image first");
    Eigen::MatrixXd v = values();
    v = (v.array() > 1e-12).select(v, 0.0); // far tails of Gaussians: exactly zero, like unpainted cells
    return std::make_shared<const GridDensity>(v, m_box);
}

DensityDrawing DensityDrawing::fromTarget(const TargetDensity& t, const Box& box, int cells) {
    DensityDrawing d(box, cells);
    Matd pts(2, Eigen::Index(cells) * cells);
    for (int ix = 0; ix < cells; ++ix)
        for (int iy = 0; iy < cells; ++iy) {
            pts(0, Eigen::Index(ix) * cells + iy) = d.cellX(ix);
            pts(1, Eigen::Index(ix) * cells + iy) = d.cellY(iy);
        }
    const Rowd lp = t.logDensity(pts);
    double mx = -std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < lp.size(); ++j)
        if (std::isfinite(lp(j))) mx = std::max(mx, lp(j));
    Eigen::MatrixXd v = Eigen::MatrixXd::Zero(cells, cells);
    if (std::isfinite(mx))
        for (int ix = 0; ix < cells; ++ix)
            for (int iy = 0; iy < cells; ++iy) {
                const double l = lp(Eigen::Index(ix) * cells + iy);
                v(iy, ix) = std::isfinite(l) ? std::exp(l - mx) : 0.0;
            }
    d.m_paint = normalisedRaster(v);
    return d;
}

} // namespace ebm::core
