// The widths of a target's features, estimated from its samples (density.h, featureWidths).
#include <ebm/core/density.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace ebm::core {

FeatureWidths featureWidths(const TargetDensity& target) {
    // A generator of its own: the widths are a property of the target, the same for every training seed.
    Rng rng(0x5eedf00dULL);
    constexpr Index kSamples = 20000, kAnchors = 400;
    // The window h: below the spacing of the presets' closest features (the rings, 0.75 apart).
    constexpr double kWindow = 0.15;
    const Matd X = target.sample(kSamples, rng);
    const double h2 = kWindow * kWindow, cut2 = 16 * h2; // weights below e⁻⁸ are left out
    std::vector<double> var;                             // the width² through each anchor
    var.reserve(kAnchors);
    for (Index a = 0; a < kAnchors; ++a) {
        const double cx = X(0, a), cy = X(1, a);
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
        for (Index j = 0; j < X.cols(); ++j) {
            const double dx = X(0, j) - cx, dy = X(1, j) - cy, d2 = dx * dx + dy * dy;
            if (d2 > cut2) continue;
            const double w = std::exp(-d2 / (2 * h2));
            sw += w, sx += w * dx, sy += w * dy, sxx += w * dx * dx, sxy += w * dx * dy, syy += w * dy * dy;
        }
        const double mx = sx / sw, my = sy / sw;
        const double cxx = sxx / sw - mx * mx, cyy = syy / sw - my * my, cxy = sxy / sw - mx * my;
        // The smallest eigenvalue of the local covariance: the variance across the feature, seen through
        // the window. A Gaussian profile of variance s² seen through a Gaussian window of variance h² has
        // variance v = s²h²/(s² + h²) wherever the window sits on it, so s² = v h²/(h² − v).
        const double v =
            std::max(0.0, 0.5 * (cxx + cyy) - std::sqrt(0.25 * (cxx - cyy) * (cxx - cyy) + cxy * cxy));
        var.push_back(v < 0.95 * h2 ? v * h2 / (h2 - v) : 19 * h2);
    }
    const auto quantile = [&](double q) {
        const auto k = std::ptrdiff_t(q * double(var.size() - 1));
        std::nth_element(var.begin(), var.begin() + k, var.end());
        return std::sqrt(var[size_t(k)]);
    };
    FeatureWidths w;
    w.thin = quantile(0.1);
    w.typical = quantile(0.5);
    return w;
}

} // namespace ebm::core
