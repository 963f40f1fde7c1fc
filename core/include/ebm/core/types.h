#pragma once
/// @file types.h
/// Common Eigen types. Batches hold ONE SAMPLE PER COLUMN: a batch of n points in d dimensions is d x n.
#include <Eigen/Core>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

namespace ebm::core {

using Index = Eigen::Index;
template <typename S> using MatX = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <typename S> using RowX = Eigen::Matrix<S, 1, Eigen::Dynamic>;
template <typename S> using VecX = Eigen::Matrix<S, Eigen::Dynamic, 1>;

using Matf = MatX<float>;
using Rowf = RowX<float>;
using Vecf = VecX<float>;
using Matd = MatX<double>;
using Rowd = RowX<double>;
using Vecd = VecX<double>;

/// The one random engine of the core. Every random thing takes one, seeded from the trainer's seed.
using Rng = std::mt19937_64;

/// Thrown for bad arguments at the public boundary of the core; the message says what to change.
class InvalidArgument : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// Thrown when a computation cannot proceed (e.g. a file cannot be parsed).
class RuntimeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Axis-aligned rectangle [x0, x1] x [y0, y1] in data units.
struct Box {
    double x0 = -4.0, x1 = 4.0, y0 = -4.0, y1 = 4.0;
    double width() const { return x1 - x0; }
    double height() const { return y1 - y0; }
    bool valid() const { return x1 > x0 && y1 > y0; }
    bool contains(double x, double y) const { return x >= x0 && x <= x1 && y >= y0 && y <= y1; } ///< edges in
};

/// Fills m with independent standard normal values (float or double).
template <typename Derived> void fillNormal(Eigen::MatrixBase<Derived>& m, Rng& rng) {
    using S = typename Derived::Scalar;
    std::normal_distribution<S> nd(S(0), S(1));
    for (Index j = 0; j < m.cols(); ++j)
        for (Index i = 0; i < m.rows(); ++i)
            m(i, j) = nd(rng);
}

/// Fills m with independent values uniform on [0, 1).
template <typename Derived> void fillUniform(Eigen::MatrixBase<Derived>& m, Rng& rng) {
    using S = typename Derived::Scalar;
    std::uniform_real_distribution<S> ud(S(0), S(1));
    for (Index j = 0; j < m.cols(); ++j)
        for (Index i = 0; i < m.rows(); ++i)
            m(i, j) = ud(rng);
}

} // namespace ebm::core
