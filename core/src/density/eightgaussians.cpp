// eight-gaussians: an equal-weight mixture of 8 isotropic Gaussians on a circle.
#include "presetbase.h"

#include <algorithm>
#include <array>

namespace ebm::core::density_detail {
namespace {

constexpr int kModes = 8;
constexpr double kRadius = 2.0; // circle of the means
constexpr double kSigma = 0.2;  // per-mode standard deviation

class EightGaussians final : public PresetClone<EightGaussians> {
public:
    EightGaussians() : PresetClone("eight-gaussians") {
        for (int k = 0; k < kModes; ++k) {
            const double a = k * std::numbers::pi / 4.0;
            m_mean[k] = {kRadius * std::cos(a), kRadius * std::sin(a)};
        }
    }

protected:
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        const double logNorm = -std::log(double(kModes)) - kLog2Pi - 2.0 * std::log(kSigma);
        const double inv2s2 = 1.0 / (2.0 * kSigma * kSigma);
        std::array<double, kModes> t;
        for (Index j = 0; j < X.cols(); ++j) {
            for (int k = 0; k < kModes; ++k) {
                const double dx = X(0, j) - m_mean[k][0], dy = X(1, j) - m_mean[k][1];
                t[k] = -(dx * dx + dy * dy) * inv2s2;
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
        for (Index j = 0; j < out.cols(); ++j) {
            const int k = std::min(kModes - 1, int(ud(rng) * kModes));
            const double e0 = nd(rng), e1 = nd(rng);
            out(0, j) = m_mean[k][0] + kSigma * e0;
            out(1, j) = m_mean[k][1] + kSigma * e1;
        }
    }

private:
    std::array<std::array<double, 2>, kModes> m_mean{};
};

} // namespace

std::unique_ptr<TargetDensity> makeEightGaussians() {
    return std::make_unique<EightGaussians>();
}

} // namespace ebm::core::density_detail
