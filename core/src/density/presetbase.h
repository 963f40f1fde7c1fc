#pragma once
// Private to core/src/density: the pieces shared by the preset implementations.
#include <ebm/core/density.h>

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>
#include <string>

namespace ebm::core::density_detail {

inline constexpr double kNegInf = -std::numeric_limits<double>::infinity();
inline constexpr double kLog2Pi = 1.8378770664093454836; // log(2π)

/// Throws InvalidArgument unless X is 2 x n.
void checkPoints(const Matd& X, const std::string& who);
/// Throws InvalidArgument if n < 0.
void checkCount(Index n, const std::string& who);

/// log N(x; mean, sd²) in 1D.
inline double logNormal1(double x, double mean, double sd) {
    const double z = (x - mean) / sd;
    return -0.5 * z * z - std::log(sd) - 0.5 * kLog2Pi;
}

/// log(e^a + e^b) without overflow; -inf if both are -inf.
inline double logAddExp(double a, double b) {
    if (a < b) std::swap(a, b);
    if (a == kNegInf) return kNegInf;
    return a + std::log1p(std::exp(b - a));
}

/// Exponentially scaled modified Bessel function of the first kind, I0(z)·e^{-z}, for z >= 0.
double besselI0e(double z);

/// Base of every preset: checks arguments at the public boundary, then delegates; points with a
/// non-finite coordinate get log-density -inf (they carry no mass), so no preset ever returns NaN.
class PresetDensity : public TargetDensity {
public:
    explicit PresetDensity(std::string name) : m_name(std::move(name)) {}
    std::string name() const final { return m_name; }
    Rowd logDensity(const Matd& X) const final;
    Matd sample(Index n, Rng& rng) const final;

protected:
    /// X is 2 x n with finite entries; out is 1 x n, preallocated.
    virtual void evalLogDensity(const Matd& X, Rowd& out) const = 0;
    /// out is 2 x n, preallocated; draws only from rng, in a fixed order.
    virtual void draw(Matd& out, Rng& rng) const = 0;

private:
    std::string m_name;
};

/// Clone for a final preset class with value semantics.
template <typename Derived> class PresetClone : public PresetDensity {
public:
    using PresetDensity::PresetDensity;
    std::unique_ptr<TargetDensity> clone() const override {
        return std::make_unique<Derived>(static_cast<const Derived&>(*this));
    }
};

std::unique_ptr<TargetDensity> makeEightGaussians();
std::unique_ptr<TargetDensity> makeCheckerboard();
std::unique_ptr<TargetDensity> makeTwoSpirals();
std::unique_ptr<TargetDensity> makeRings();
std::unique_ptr<TargetDensity> makeTwoMoons();
std::unique_ptr<TargetDensity> makePinwheel();
std::unique_ptr<TargetDensity> makeSwissRoll();
std::unique_ptr<TargetDensity> makeBanana();
std::unique_ptr<TargetDensity> makeDonut();
std::unique_ptr<TargetDensity> makeFunnel();
std::unique_ptr<TargetDensity> makeSquiggle();

} // namespace ebm::core::density_detail
