// Curve-based presets: two-spirals, two-moons, pinwheel, swiss-roll (all CurveMixture, see curvemixture.h).
#include "curvemixture.h"

namespace ebm::core::density_detail {
namespace {

constexpr double kPi = std::numbers::pi;

double uniform01(Rng& rng) {
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

CurveArm uniformArm(double weight, double t0, double t1, std::function<Eigen::Vector2d(double)> curve) {
    CurveArm a;
    a.weight = weight;
    a.t0 = t0;
    a.t1 = t1;
    const double logq = -std::log(t1 - t0);
    a.logLatent = [logq](double) { return logq; };
    a.sampleLatent = [t0, t1](Rng& rng) { return t0 + (t1 - t0) * uniform01(rng); };
    a.curve = std::move(curve);
    return a;
}

} // namespace

// two-spirals: t = T·sqrt(u), u ~ U[0, 1] (density 2t/T² on [0, T], T = 3π: 1.5 turns, roughly uniform
// along the arc); arm A at (t/3)(-cos t, sin t), arm B its mirror through the origin; σ = 0.1.
std::unique_ptr<CurveMixture> makeTwoSpirals(const QuadratureOptions& q) {
    constexpr double T = 3.0 * kPi, sigma = 0.1;
    std::vector<CurveArm> arms;
    for (double sign : {1.0, -1.0}) {
        CurveArm a;
        a.weight = 0.5;
        a.t0 = 0.0;
        a.t1 = T;
        a.logLatent = [](double t) { return t > 0 ? std::log(2.0 * t / (T * T)) : kNegInf; };
        a.sampleLatent = [](Rng& rng) { return T * std::sqrt(uniform01(rng)); };
        a.curve = [sign](double t) {
            return Eigen::Vector2d(-sign * t * std::cos(t) / 3.0, sign * t * std::sin(t) / 3.0);
        };
        arms.push_back(std::move(a));
    }
    return std::make_unique<CurveMixture>("two-spirals", std::move(arms), sigma, q);
}

// two-moons: sklearn's make_moons(noise=0.1) with t ~ U[0, π], scaled by 2 and shifted by (-1, -0.2):
// outer moon 2(cos t, sin t) + (-1, -0.2), inner moon 2(1 - cos t, 0.5 - sin t) + (-1, -0.2), half the
// mass each; the noise N(0, 0.1² I) becomes N(0, 0.2² I) after scaling.
std::unique_ptr<CurveMixture> makeTwoMoons(const QuadratureOptions& q) {
    std::vector<CurveArm> arms;
    arms.push_back(uniformArm(0.5, 0.0, kPi, [](double t) {
        return Eigen::Vector2d(2.0 * std::cos(t) - 1.0, 2.0 * std::sin(t) - 0.2);
    }));
    arms.push_back(uniformArm(0.5, 0.0, kPi, [](double t) {
        return Eigen::Vector2d(2.0 * (1.0 - std::cos(t)) - 1.0, 2.0 * (0.5 - std::sin(t)) - 0.2);
    }));
    return std::make_unique<CurveMixture>("two-moons", std::move(arms), 0.2, q);
}

// pinwheel (after FFJORD's): 5 arms k = 0..4; radial latent r ~ N(1, 0.3²) truncated to [-0.2, 2.2]
// (±4 sd); the arm's point 2r(cos φ, sin φ) with φ = 2πk/5 + 0.25·e^r; noise N(0, 0.2² I).
std::unique_ptr<CurveMixture> makePinwheel(const QuadratureOptions& q) {
    constexpr int kArms = 5;
    constexpr double mean = 1.0, sd = 0.3, cut = 4.0, rate = 0.25, sigma = 0.2;
    const double logMass = std::log(std::erf(cut / std::sqrt(2.0))); // mass of N(0,1) on [-cut, cut]
    std::vector<CurveArm> arms;
    for (int k = 0; k < kArms; ++k) {
        const double theta = 2.0 * kPi * k / kArms;
        CurveArm a;
        a.weight = 1.0 / kArms;
        a.t0 = mean - cut * sd;
        a.t1 = mean + cut * sd;
        a.logLatent = [logMass](double r) { return logNormal1(r, mean, sd) - logMass; };
        a.sampleLatent = [](Rng& rng) {
            std::normal_distribution<double> nd(0.0, 1.0);
            for (;;) {
                const double z = nd(rng);
                if (std::abs(z) <= cut) return mean + sd * z;
            }
        };
        a.curve = [theta](double r) {
            const double phi = theta + rate * std::exp(r);
            return Eigen::Vector2d(2.0 * r * std::cos(phi), 2.0 * r * std::sin(phi));
        };
        arms.push_back(std::move(a));
    }
    return std::make_unique<CurveMixture>("pinwheel", std::move(arms), sigma, q);
}

// swiss-roll: sklearn's make_swiss_roll(noise=1) projected on (x, z) and divided by 5 (as in FFJORD):
// t ~ U[1.5π, 4.5π], point (t cos t, t sin t)/5, noise N(0, 0.2² I).
std::unique_ptr<CurveMixture> makeSwissRoll(const QuadratureOptions& q) {
    std::vector<CurveArm> arms;
    arms.push_back(uniformArm(1.0, 1.5 * kPi, 4.5 * kPi, [](double t) {
        return Eigen::Vector2d(t * std::cos(t) / 5.0, t * std::sin(t) / 5.0);
    }));
    return std::make_unique<CurveMixture>("swiss-roll", std::move(arms), 0.2, q);
}

std::unique_ptr<TargetDensity> makeTwoSpirals() {
    return makeTwoSpirals(QuadratureOptions{});
}
std::unique_ptr<TargetDensity> makeTwoMoons() {
    return makeTwoMoons(QuadratureOptions{});
}
std::unique_ptr<TargetDensity> makePinwheel() {
    return makePinwheel(QuadratureOptions{});
}
std::unique_ptr<TargetDensity> makeSwissRoll() {
    return makeSwissRoll(QuadratureOptions{});
}

} // namespace ebm::core::density_detail
