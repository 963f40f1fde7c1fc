#pragma once
// Private to core/src/density: densities of the form "pick an arm, draw a latent t on it, put a point on
// the arm's curve c(t), add isotropic Gaussian noise":
//   p(x) = Σ_k w_k ∫ q_k(t) N(x; c_k(t), σ² I) dt.
// Sampling follows that generative process exactly. The density is computed by a fixed composite
// Gauss–Legendre rule over t whose panels are placed by arc length (in units of σ), so that every
// Gaussian bump along the curve is resolved; the sum over nodes is a log-sum-exp.
#include "presetbase.h"

#include <Eigen/Core>
#include <functional>
#include <memory>
#include <vector>

namespace ebm::core::density_detail {

struct CurveArm {
    double weight = 1.0;                          // mixture weight w_k (weights sum to 1)
    double t0 = 0.0, t1 = 1.0;                    // support of the latent t
    std::function<double(double)> logLatent;      // log q_k(t), normalised on [t0, t1]
    std::function<double(Rng&)> sampleLatent;     // exact draw of t from q_k
    std::function<Eigen::Vector2d(double)> curve; // c_k(t), in data units
};

// Defaults: 20-node panels, 14σ of arc long (≈ 1.4 nodes per σ of arc). Against a rule ~20x finer, on
// [-4, 4]² the log-density agrees to 3e-8 (spirals; 1e-10 or better for the others) wherever
// p > 1e-3·max p, and to 1e-2 (spirals), 1e-4 (swiss roll) or better in the far tails, where the curve
// bends sharply as seen from far away and its Gaussian bumps in t get narrower.
struct QuadratureOptions {
    int order = 20;         // Gauss–Legendre nodes per panel
    double panelArc = 14.0; // panel length along the curve, in units of σ
    int minPanels = 4;      // per arm: at least this many panels, evenly spread in t
};

/// The quadrature nodes of a curve mixture: positions and log weights (log w_k + log q_k(t_i) + log ω_i).
struct CurveNodes {
    Eigen::ArrayXd cx, cy, logw;
};

CurveNodes buildCurveNodes(const std::vector<CurveArm>& arms, double sigma, const QuadratureOptions& q);

/// The nodes binned on a uniform grid of square cells (CSR layout), for pruning far nodes.
struct NodeGrid {
    double x0 = 0, y0 = 0, h = 1; // lower-left corner and cell side of the grid
    int nx = 1, ny = 1;
    std::vector<int> start; // nodes of cell (ix, iy) are [start[c], start[c+1]), c = iy*nx + ix
    std::vector<double> cellMaxLogw;
    std::vector<double> cx, cy, logw; // nodes, reordered by cell
    double maxLogw = 0;
};

NodeGrid buildNodeGrid(const CurveNodes& nodes, double cellSide);

/// log Σ_i exp(logw_i - |x - c_i|²/(2σ²)) over the nodes of the grid, skipping only nodes whose term is
/// provably below e^{-32} times the largest term (relative error < 1e-11 for a few hundred nodes).
/// buffer is scratch space. Returns -inf only if every term underflows to exactly zero weight.
double logSumGaussians(const NodeGrid& grid, double sigma, double x, double y, std::vector<double>& buffer);

/// Reference evaluation over all nodes (no pruning): log Σ_i exp(logw_i - |x - c_i|²/(2σ²)) - log(2πσ²).
Rowd logDensityAllNodes(const CurveNodes& nodes, double sigma, const Matd& X);

class CurveMixture final : public PresetDensity {
public:
    CurveMixture(std::string name, std::vector<CurveArm> arms, double sigma, QuadratureOptions q = {});
    std::unique_ptr<TargetDensity> clone() const override { return std::make_unique<CurveMixture>(*this); }
    Index nodeCount() const { return m_nodes->cx.size(); }
    const CurveNodes& nodes() const { return *m_nodes; }
    double sigma() const { return m_sigma; }

protected:
    void evalLogDensity(const Matd& X, Rowd& out) const override;
    void draw(Matd& out, Rng& rng) const override;

private:
    std::shared_ptr<const std::vector<CurveArm>> m_arms; // shared between clones: immutable
    std::shared_ptr<const CurveNodes> m_nodes;
    std::shared_ptr<const NodeGrid> m_grid;
    double m_sigma;
};

/// The curve presets with explicit quadrature options (the plain factories use the defaults); a finer rule
/// serves as the reference when checking the default one.
std::unique_ptr<CurveMixture> makeTwoSpirals(const QuadratureOptions& q);
std::unique_ptr<CurveMixture> makeTwoMoons(const QuadratureOptions& q);
std::unique_ptr<CurveMixture> makePinwheel(const QuadratureOptions& q);
std::unique_ptr<CurveMixture> makeSwissRoll(const QuadratureOptions& q);

} // namespace ebm::core::density_detail
