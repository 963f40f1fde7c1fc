// Presets built as a Gaussian marginal times a Gaussian conditional: banana, funnel, squiggle. The
// log-density is the closed-form sum of two 1D Gaussian log-densities; sampling follows the chain.
#include "presetbase.h"

namespace ebm::core::density_detail {
namespace {

// banana (Rosenbrock-style): x1 ~ N(0, s1²), x2 | x1 ~ N(b (x1² - s1²), s2²).
class Banana final : public PresetClone<Banana> {
public:
    static constexpr double kS1 = 1.1, kB = 0.35, kS2 = 0.3;
    Banana() : PresetClone("banana") {}

protected:
    static double mean2(double x1) { return kB * (x1 * x1 - kS1 * kS1); }
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        for (Index j = 0; j < X.cols(); ++j)
            out(j) = logNormal1(X(0, j), 0.0, kS1) + logNormal1(X(1, j), mean2(X(0, j)), kS2);
    }
    void draw(Matd& out, Rng& rng) const override {
        std::normal_distribution<double> nd(0.0, 1.0);
        for (Index j = 0; j < out.cols(); ++j) {
            const double x1 = kS1 * nd(rng);
            const double e = nd(rng);
            out(0, j) = x1;
            out(1, j) = mean2(x1) + kS2 * e;
        }
    }
};

// funnel (Neal's funnel, made gentler so it fits the default box): x2 ~ N(0, s²) plays Neal's v and
// x1 | x2 ~ N(0, τ(x2)²) with τ(x2) = τ0 exp(a x2). (Neal's original is v ~ N(0, 9), x | v ~ N(0, e^v),
// whose width spans a factor e^9 over ±1.5 sd of v — far below the resolution of a plot.)
class Funnel final : public PresetClone<Funnel> {
public:
    static constexpr double kS = 1.2, kTau0 = 0.2, kA = 0.75;
    Funnel() : PresetClone("funnel") {}

protected:
    static double tau(double x2) { return kTau0 * std::exp(kA * x2); }
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        for (Index j = 0; j < X.cols(); ++j) {
            const double x2 = X(1, j);
            // log N(x1; 0, τ²) written with log τ = log τ0 + a x2 so that large |x2| cannot overflow τ.
            const double logTau = std::log(kTau0) + kA * x2;
            const double z = X(0, j) * std::exp(-logTau);
            const double l1 = std::isfinite(z) ? -0.5 * z * z - logTau - 0.5 * kLog2Pi : kNegInf;
            out(j) = logNormal1(x2, 0.0, kS) + l1;
        }
    }
    void draw(Matd& out, Rng& rng) const override {
        std::normal_distribution<double> nd(0.0, 1.0);
        for (Index j = 0; j < out.cols(); ++j) {
            const double x2 = kS * nd(rng);
            const double e = nd(rng);
            out(0, j) = tau(x2) * e;
            out(1, j) = x2;
        }
    }
};

// squiggle: x1 ~ N(0, s1²), x2 | x1 ~ N(A sin(ω x1), τ²).
class Squiggle final : public PresetClone<Squiggle> {
public:
    static constexpr double kS1 = 1.2, kA = 1.5, kOmega = 2.0, kTau = 0.25;
    Squiggle() : PresetClone("squiggle") {}

protected:
    static double mean2(double x1) { return kA * std::sin(kOmega * x1); }
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        for (Index j = 0; j < X.cols(); ++j)
            out(j) = logNormal1(X(0, j), 0.0, kS1) + logNormal1(X(1, j), mean2(X(0, j)), kTau);
    }
    void draw(Matd& out, Rng& rng) const override {
        std::normal_distribution<double> nd(0.0, 1.0);
        for (Index j = 0; j < out.cols(); ++j) {
            const double x1 = kS1 * nd(rng);
            const double e = nd(rng);
            out(0, j) = x1;
            out(1, j) = mean2(x1) + kTau * e;
        }
    }
};

} // namespace

std::unique_ptr<TargetDensity> makeBanana() {
    return std::make_unique<Banana>();
}
std::unique_ptr<TargetDensity> makeFunnel() {
    return std::make_unique<Funnel>();
}
std::unique_ptr<TargetDensity> makeSquiggle() {
    return std::make_unique<Squiggle>();
}

} // namespace ebm::core::density_detail
