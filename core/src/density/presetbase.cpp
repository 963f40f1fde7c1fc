// Shared plumbing of the presets: argument checks, the non-finite-input rule, and log I0.
#include "presetbase.h"

#include <cmath>
#include <vector>

namespace ebm::core::density_detail {

void checkPoints(const Matd& X, const std::string& who) {
    if (X.rows() != 2)
        throw InvalidArgument(who + ": points must be a 2 x n matrix (one point per column), got " +
                              std::to_string(X.rows()) + " x " + std::to_string(X.cols()));
}

void checkCount(Index n, const std::string& who) {
    if (n < 0) throw InvalidArgument(who + ": sample count must be >= 0, got " + std::to_string(n));
}

double besselI0e(double z) {
    z = std::abs(z);
    if (z <= 25.0) {
        // Power series Σ (z²/4)^k / (k!)²: all terms positive, so no cancellation; e^25 is far from overflow.
        const double q = 0.25 * z * z;
        double term = 1.0, sum = 1.0;
        for (int k = 1; k < 200; ++k) {
            term *= q / (double(k) * double(k));
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        return sum * std::exp(-z);
    }
    // Asymptotic series e^{-z} I0(z) ~ (2πz)^{-1/2} Σ a_k, a_k = a_{k-1} (2k-1)² / (8kz). For z > 25 the
    // terms keep shrinking up to k ≈ 2z, where they are below 1e-20 of the sum.
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < 60; ++k) {
        term *= (2.0 * k - 1.0) * (2.0 * k - 1.0) / (8.0 * k * z);
        sum += term;
        if (term < 1e-17 * sum) break;
    }
    return sum / std::sqrt(2.0 * std::numbers::pi * z);
}

Rowd PresetDensity::logDensity(const Matd& X) const {
    checkPoints(X, name() + " log-density");
    Rowd out(X.cols());
    if (X.allFinite()) {
        evalLogDensity(X, out);
        return out;
    }
    Matd Xf = X;
    std::vector<Index> bad;
    for (Index j = 0; j < X.cols(); ++j) {
        if (!std::isfinite(X(0, j)) || !std::isfinite(X(1, j))) {
            bad.push_back(j);
            Xf.col(j).setZero();
        }
    }
    evalLogDensity(Xf, out);
    for (Index j : bad)
        out(j) = kNegInf;
    return out;
}

Matd PresetDensity::sample(Index n, Rng& rng) const {
    checkCount(n, name() + " sample");
    Matd out(2, n);
    if (n > 0) draw(out, rng);
    return out;
}

} // namespace ebm::core::density_detail
