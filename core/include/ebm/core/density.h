#pragma once
/// @file density.h
/// Target densities in 2D: presets and GridDensity. Points are columns of a 2 x n matrix (double).
#include <ebm/core/types.h>
#include <memory>
#include <string>
#include <vector>

namespace ebm::core {

/// A 2D target density p(x) from which the EBM learns.
class TargetDensity {
public:
    virtual ~TargetDensity() = default;
    /// Preset name (e.g. "eight-gaussians") or "grid".
    virtual std::string name() const = 0;
    /// log p(x) for each column of X (2 x n); returns 1 x n. Points of zero density give -infinity.
    /// Normalised over R² unless isNormalised() is false (then exact up to an additive constant).
    virtual Rowd logDensity(const Matd& X) const = 0;
    virtual bool isNormalised() const { return true; }
    /// n exact, independent samples (2 x n).
    virtual Matd sample(Index n, Rng& rng) const = 0;
    /// A box holding essentially all of the mass (used for plots and metrics by default).
    virtual Box suggestedBox() const { return Box{}; }
    virtual std::unique_ptr<TargetDensity> clone() const = 0;
};

/// Names of all presets, in display order.
std::vector<std::string> presetNames();
/// One-line description of a preset (for tooltips and `ebmlab-cli targets`).
std::string presetDescription(const std::string& name);
/// Creates a preset by name; throws InvalidArgument naming the valid presets if unknown.
std::unique_ptr<TargetDensity> makePreset(const std::string& name);

/// How wide a target's features are: through each of 400 points drawn from it, the standard deviation
/// across the feature (the smallest eigenvalue of the local covariance in a Gaussian window of σ 0.15,
/// corrected for the window), for a curve or blob with Gaussian noise about the noise's σ.
struct FeatureWidths {
    double thin = 0;    ///< the 10% quantile over the points: the thinnest parts that hold real mass
    double typical = 0; ///< the median
};
/// Deterministic: the same target gives the same widths (its own generator; ~40 ms).
FeatureWidths featureWidths(const TargetDensity& target);

/// An arbitrary non-negative array over a rectangle, piecewise constant on its cells; exact sampling
/// through the CDF over cells, then uniform within the cell.
class GridDensity : public TargetDensity {
public:
    /// values(iy, ix): cell (ix, iy) covers [x0 + ix·dx, x0 + (ix+1)·dx] x [y0 + iy·dy, ...], with
    /// dx = box.width()/cols, dy = box.height()/rows. Throws InvalidArgument if values is empty, has a
    /// negative, NaN or infinite entry, sums to zero, or the box is empty.
    GridDensity(const Matd& values, const Box& box);

    std::string name() const override { return "grid"; }
    Rowd logDensity(const Matd& X) const override;
    Matd sample(Index n, Rng& rng) const override;
    Box suggestedBox() const override { return m_box; }
    std::unique_ptr<TargetDensity> clone() const override;

    /// The normalised density value per cell (integrates to 1 over the box).
    const Matd& density() const { return m_density; }
    const Box& box() const { return m_box; }

private:
    Matd m_density; // normalised: sum * dx * dy == 1
    Box m_box;
    std::vector<double> m_cdf; // cumulative cell masses, column-major over m_density
};

} // namespace ebm::core
