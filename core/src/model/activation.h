#pragma once
// Elementwise activations and their first three derivatives (docs/math.md, "Derivatives of an MLP energy").
#include <ebm/core/mlp.h>

namespace ebm::core::detail {

/// Computes h = φ(z) and, as requested, φ'(z), φ''(z), φ'''(z) (all arrays shaped like z). s is scratch;
/// outputs keep their storage between calls of the same shape (no allocation in the steady state).
template <typename S, typename Z>
void activate(Activation act, const Eigen::MatrixBase<Z>& z, MatX<S>& h, MatX<S>* d1, MatX<S>* d2,
              MatX<S>* d3, MatX<S>& s) {
    const auto za = z.array();
    switch (act) {
    case Activation::SiLU: {
        s.resize(z.rows(), z.cols());
        s.array() = (S(1) + (-za).exp()).inverse();
        const auto sa = s.array();
        h.resize(z.rows(), z.cols());
        h.array() = za * sa;
        if (d1) *d1 = (sa * (S(1) + za * (S(1) - sa))).matrix();
        if (d2) *d2 = (sa * (S(1) - sa) * (S(2) + za * (S(1) - S(2) * sa))).matrix();
        if (d3)
            *d3 = (sa * (S(1) - sa) * (S(3) * (S(1) - S(2) * sa) + za * (S(1) - S(6) * sa + S(6) * sa * sa)))
                      .matrix();
        break;
    }
    case Activation::Softplus: {
        // log(1 + e^z) = max(z, 0) + log1p(e^{−|z|}), exact for large |z|.
        h.resize(z.rows(), z.cols());
        h.array() = za.max(S(0)) + (-za.abs()).exp().log1p();
        if (d1 || d2 || d3) {
            s.resize(z.rows(), z.cols());
            s.array() = (S(1) + (-za).exp()).inverse();
            const auto sa = s.array();
            if (d1) *d1 = s;
            if (d2) *d2 = (sa * (S(1) - sa)).matrix();
            if (d3) *d3 = (sa * (S(1) - sa) * (S(1) - S(2) * sa)).matrix();
        }
        break;
    }
    case Activation::Tanh: {
        h.resize(z.rows(), z.cols());
        h.array() = za.tanh();
        const auto t = h.array();
        if (d1) *d1 = (S(1) - t * t).matrix();
        if (d2) *d2 = (S(-2) * t * (S(1) - t * t)).matrix();
        if (d3) *d3 = ((S(1) - t * t) * (S(6) * t * t - S(2))).matrix();
        break;
    }
    }
}

} // namespace ebm::core::detail
