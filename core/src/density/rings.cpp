// Ring-shaped presets, both radially symmetric: rings (four noisy circles) and donut (one thin ring).
#include "presetbase.h"

#include <algorithm>
#include <array>

namespace ebm::core::density_detail {
namespace {

constexpr double kTwoPi = 2.0 * std::numbers::pi;

// rings: radius r_k uniform over {0.75, 1.5, 2.25, 3}, angle uniform, then isotropic N(0, σ² I) noise
// (FFJORD's "rings"). Averaging the Gaussian over the angle gives the closed form
//   p(x) = Σ_k ¼ (2πσ²)⁻¹ exp(-(ρ - r_k)²/(2σ²)) · I0e(ρ r_k/σ²),   ρ = |x|,  I0e(z) = I0(z) e^{-z}.
class Rings final : public PresetClone<Rings> {
public:
    static constexpr std::array<double, 4> kRadii{0.75, 1.5, 2.25, 3.0};
    static constexpr double kSigma = 0.08;

    Rings() : PresetClone("rings") {}

protected:
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        const double logNorm = -std::log(double(kRadii.size())) - kLog2Pi - 2.0 * std::log(kSigma);
        const double inv2s2 = 1.0 / (2.0 * kSigma * kSigma), invS2 = 1.0 / (kSigma * kSigma);
        std::array<double, kRadii.size()> t;
        for (Index j = 0; j < X.cols(); ++j) {
            const double rho = std::hypot(X(0, j), X(1, j));
            for (std::size_t k = 0; k < kRadii.size(); ++k) {
                const double d = rho - kRadii[k];
                t[k] = -d * d * inv2s2 + std::log(besselI0e(rho * kRadii[k] * invS2));
            }
            const double m = *std::max_element(t.begin(), t.end());
            double s = 0;
            for (double v : t)
                s += std::exp(v - m);
            out(j) = m > kNegInf ? logNorm + m + std::log(s) : kNegInf; // all terms underflowed: far away
        }
    }

    void draw(Matd& out, Rng& rng) const override {
        std::uniform_real_distribution<double> ud(0.0, 1.0);
        std::normal_distribution<double> nd(0.0, 1.0);
        const int nr = int(kRadii.size());
        for (Index j = 0; j < out.cols(); ++j) {
            const double r = kRadii[std::min(nr - 1, int(ud(rng) * nr))];
            const double a = kTwoPi * ud(rng);
            const double e0 = nd(rng), e1 = nd(rng);
            out(0, j) = r * std::cos(a) + kSigma * e0;
            out(1, j) = r * std::sin(a) + kSigma * e1;
        }
    }
};

// donut: log p(x) = -(|x| - μ)²/c - log Z with μ = 2.6, c = 0.033 (= 2s², s ≈ 0.128). In polar
// coordinates the radius has density ∝ r exp(-(r - μ)²/(2s²)) on r > 0 and the angle is uniform, so
//   Z = 2π [ s² e^{-μ²/(2s²)} + μ s √(2π) Φ(μ/s) ].
class Donut final : public PresetClone<Donut> {
public:
    static constexpr double kMu = 2.6;
    static constexpr double kC = 0.033;

    Donut() : PresetClone("donut") {
        const double s = std::sqrt(kC / 2.0);
        const double phi = 0.5 * std::erfc(-kMu / (s * std::sqrt(2.0)));
        m_logZ = std::log(kTwoPi *
                          (s * s * std::exp(-kMu * kMu / (2 * s * s)) + kMu * s * std::sqrt(kTwoPi) * phi));
    }

protected:
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        for (Index j = 0; j < X.cols(); ++j) {
            const double d = std::hypot(X(0, j), X(1, j)) - kMu;
            out(j) = -d * d / kC - m_logZ;
        }
    }

    // Exact rejection sampling of the radius. Since r <= μ + |r - μ|, the target r φ((r-μ)/s) on r > 0
    // lies under the envelope (μ + |r - μ|) φ((r-μ)/s) on R, a mixture of N(μ, s²) (mass ∝ μ s √(2π))
    // and μ ± s·Rayleigh (mass ∝ 2s²). Draw from it, accept with probability max(r, 0) / (μ + |r - μ|).
    void draw(Matd& out, Rng& rng) const override {
        std::uniform_real_distribution<double> ud(0.0, 1.0);
        std::normal_distribution<double> nd(0.0, 1.0);
        const double s = std::sqrt(kC / 2.0);
        const double wGauss = kMu * s * std::sqrt(kTwoPi), wRayleigh = 2.0 * s * s;
        const double pGauss = wGauss / (wGauss + wRayleigh);
        for (Index j = 0; j < out.cols(); ++j) {
            double r = 0;
            for (;;) {
                if (ud(rng) < pGauss) {
                    r = kMu + s * nd(rng);
                } else {
                    const double mag = s * std::sqrt(-2.0 * std::log1p(-ud(rng)));
                    r = ud(rng) < 0.5 ? kMu - mag : kMu + mag;
                }
                const double accept = ud(rng);
                if (r > 0 && accept * (kMu + std::abs(r - kMu)) < r) break;
            }
            const double a = kTwoPi * ud(rng);
            out(0, j) = r * std::cos(a);
            out(1, j) = r * std::sin(a);
        }
    }

private:
    double m_logZ = 0;
};

} // namespace

std::unique_ptr<TargetDensity> makeRings() {
    return std::make_unique<Rings>();
}
std::unique_ptr<TargetDensity> makeDonut() {
    return std::make_unique<Donut>();
}

} // namespace ebm::core::density_detail
