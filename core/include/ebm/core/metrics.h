#pragma once
/// @file metrics.h
/// Exact-in-2D metrics by quadrature on a grid over a box (docs/math.md, "The model").
#include <ebm/core/density.h>
#include <ebm/core/model.h>
#include <limits>

namespace ebm::core {

struct GridSpec {
    Box box;              ///< region of the quadrature (data units)
    int resolution = 256; ///< cells per side (2..4096)
    void validate() const;
};

/// Energies at the centres of a res x res grid: energy(iy, ix) at (x0 + (ix+½)dx, y0 + (iy+½)dy).
struct EnergyGrid {
    Box box;
    int nx = 0, ny = 0;
    Matf energy; ///< ny x nx
    double dx() const { return box.width() / nx; }
    double dy() const { return box.height() / ny; }
};

/// The 2 x (nx·ny) matrix of cell centres; column ix·ny + iy is cell (ix, iy) (column-major like
/// EnergyGrid::energy).
Matd gridPoints(const GridSpec& spec);
/// Evaluates the model on the grid (batched, threaded).
EnergyGrid evaluateGrid(const EnergyModel<float>& model, const GridSpec& spec);
/// log Z(β) ≈ logsumexp(−β E_ij) + log(Δx Δy).
double logPartition(const EnergyGrid& g, double beta = 1.0);

struct Metrics {
    double logZ = 0; ///< exact log Z of the model (quadrature)
    double kl = 0;   ///< KL(target ‖ model) over the box, target renormalised on the box (nats)
    double nll = 0;  ///< mean −log p_θ over held-out target samples (nats)
    double logZEstimate = std::numeric_limits<double>::quiet_NaN(); ///< NCE's c (NaN unless NCE)
};

/// Computes log Z, KL and the NLL of heldOut (2 x n, may be empty: nll = NaN).
Metrics computeMetrics(const EnergyModel<float>& model, const TargetDensity& target, const Matd& heldOut,
                       const GridSpec& spec);

} // namespace ebm::core
