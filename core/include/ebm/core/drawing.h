#pragma once
/// @file drawing.h
/// A drawn target density: a painted raster plus Gaussian components over a fixed box. Both add up into
/// one non-negative array, which becomes a GridDensity (exact sampling through its CDF) that the
/// trainer learns from like any preset. A value type: a copy (256² floats) is an undo snapshot.
#include <Eigen/Core>
#include <ebm/core/density.h>
#include <memory>
#include <vector>

namespace ebm::core {

/// One Gaussian component: isotropic, in data units; weight is its peak height in paint units (a fully
/// painted cell is 1), so a Gaussian and a brush stroke of the same strength look alike.
struct GaussianBlob {
    double x = 0, y = 0;
    double sigma = 0.4;
    double weight = 1.0;
    bool operator==(const GaussianBlob&) const = default;
};

struct BrushOptions {
    double radius = 0.35;  ///< data units
    double strength = 0.6; ///< opacity of one dab at its centre, (0, 1]
    double hardness = 0.5; ///< 1: a hard-edged disc; 0: a Gaussian fall-off reaching ~0 at the radius
    bool erase = false;    ///< take paint away instead of adding it
};

class DensityDrawing {
public:
    static constexpr int kDefaultCells = 256;
    using Raster = Eigen::MatrixXf; ///< raster(iy, ix), row 0 at the bottom (y0); values in [0, 1]

    explicit DensityDrawing(const Box& box = Box{}, int cells = kDefaultCells);

    const Box& box() const { return m_box; }
    int cells() const { return int(m_paint.cols()); }
    double cellWidth() const { return m_box.width() / cells(); }
    double cellHeight() const { return m_box.height() / cells(); }
    /// Centre of cell (ix, iy) in data units.
    double cellX(int ix) const { return m_box.x0 + (ix + 0.5) * cellWidth(); }
    double cellY(int iy) const { return m_box.y0 + (iy + 0.5) * cellHeight(); }

    const Raster& paint() const { return m_paint; }
    /// Replaces the paint; throws InvalidArgument if the size differs or a value is negative or
    /// not finite. Values above 1 are scaled down so the largest is 1.
    void setPaint(const Raster& r);

    const std::vector<GaussianBlob>& gaussians() const { return m_gaussians; }
    int addGaussian(const GaussianBlob& g); ///< returns its index; sigma and weight are clamped to valid
    void setGaussian(int i, const GaussianBlob& g);
    void removeGaussian(int i);

    /// One brush dab centred at (x, y).
    void dab(double x, double y, const BrushOptions& b);
    /// Dabs spaced a quarter radius apart from (x0, y0) to (x1, y1), the first one excluded (it was
    /// painted by the previous segment or the press).
    void stroke(double x0, double y0, double x1, double y1, const BrushOptions& b);
    /// Smooths the paint with a Gaussian of standard deviation sigma (data units).
    void blur(double sigma);
    void clear(); ///< no paint, no Gaussians

    /// Paint plus Gaussians per cell, (iy, ix) like the raster.
    Eigen::MatrixXd values() const;
    /// True when nothing has any mass (an empty drawing cannot be trained on).
    bool isEmpty() const;
    /// The density to train on; throws InvalidArgument if the drawing is empty.
    std::shared_ptr<const GridDensity> toDensity() const;

    /// A drawing whose paint is the target's density on the box (so a preset becomes editable).
    static DensityDrawing fromTarget(const TargetDensity& t, const Box& box = Box{},
                                     int cells = kDefaultCells);

    bool operator==(const DensityDrawing& o) const {
        return m_box.x0 == o.m_box.x0 && m_box.x1 == o.m_box.x1 && m_box.y0 == o.m_box.y0 &&
               m_box.y1 == o.m_box.y1 && m_paint == o.m_paint && m_gaussians == o.m_gaussians;
    }

private:
    Box m_box;
    Raster m_paint;
    std::vector<GaussianBlob> m_gaussians;
};

/// A raster normalised so its maximum is 1 (zero stays zero).
DensityDrawing::Raster normalisedRaster(const Eigen::MatrixXd& values);

} // namespace ebm::core
