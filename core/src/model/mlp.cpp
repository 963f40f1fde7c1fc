#include "activation.h"

#include <ebm/core/mlp.h>

#include <cmath>

namespace ebm::core {

namespace {
// Columns per thread below which splitting a batch costs more than it saves.
constexpr Index kMinChunk = 32;

// Per-thread buffers reused across calls (the pool's threads are persistent, see parallel.cpp): a fresh
// 128 KiB matrix per layer per call would come from mmap and cost more in page faults than the GEMMs.
template <typename S> struct Workspace {
    MatX<S> h, z, s, d, g, hbar, zbar;
    RowX<S> head, seed;
    std::vector<MatX<S>> a1, a2, a3, ins, zcat;
};
template <typename S> Workspace<S>& workspace() {
    thread_local Workspace<S> w;
    return w;
}
template <typename S> void ensureCount(std::vector<MatX<S>>& v, size_t n) {
    if (v.size() < n) v.resize(n);
}
} // namespace

std::string activationName(Activation a) {
    switch (a) {
    case Activation::SiLU:
        return "silu";
    case Activation::Softplus:
        return "softplus";
    case Activation::Tanh:
        return "tanh";
    }
    return "?";
}

Activation parseActivation(const std::string& s) {
    if (s == "silu") return Activation::SiLU;
    if (s == "softplus") return Activation::Softplus;
    if (s == "tanh") return Activation::Tanh;
    throw InvalidArgument("unknown activation \"" + s + "\" (use silu, softplus or tanh)");
}

void MlpOptions::validate() const {
    if (inputDim < 1 || inputDim > 65536)
        throw InvalidArgument("MLP input dimension must be in 1..65536, got " + std::to_string(inputDim));
    if (hidden.empty() || hidden.size() > 16)
        throw InvalidArgument("MLP depth (hidden layers) must be in 1..16, got " +
                              std::to_string(hidden.size()));
    for (int h : hidden)
        if (h < 1 || h > 4096)
            throw InvalidArgument("MLP width must be in 1..4096, got " + std::to_string(h));
}

template <typename S> Mlp<S>::Mlp(const MlpOptions& o) : m_o(o) {
    m_o.validate();
    buildLayout();
}

template <typename S> Mlp<S>::Mlp(const MlpOptions& o, Rng& rng) : Mlp(o) {
    // PyTorch's default Linear initialisation: weights and biases U(±1/√fan_in). Non-zero biases matter
    // in 2D: with zero biases every first-layer hyperplane passes through the origin.
    int in = m_o.inputDim;
    auto fill = [&](Index off, Index count, double bound) {
        std::uniform_real_distribution<double> u(-bound, bound);
        for (Index i = 0; i < count; ++i)
            m_theta(off + i) = S(u(rng));
    };
    for (size_t l = 0; l < m_o.hidden.size(); ++l) {
        const int out = m_o.hidden[l];
        const double bound = 1.0 / std::sqrt(double(in));
        fill(m_layout[l].w, Index(out) * in, bound);
        fill(m_layout[l].b, out, bound);
        in = out;
    }
    const double bound = 1.0 / std::sqrt(double(in));
    fill(m_head, in + 1, bound);
}

template <typename S> void Mlp<S>::buildLayout() {
    m_layout.clear();
    Index off = 0;
    int in = m_o.inputDim;
    for (int out : m_o.hidden) {
        m_layout.push_back({off, off + Index(out) * in});
        off += Index(out) * in + out;
        in = out;
    }
    m_head = off;
    off += in + 1;
    m_theta = VecX<S>::Zero(off);
}

template <typename S> void Mlp<S>::setParameters(const VecX<S>& theta) {
    if (theta.size() != m_theta.size())
        throw InvalidArgument("MLP parameter vector has " + std::to_string(theta.size()) +
                              " entries, expected " + std::to_string(m_theta.size()));
    m_theta = theta;
}

template <typename S> Eigen::Map<const MatX<S>> Mlp<S>::weight(int l) const {
    const int in = l == 0 ? m_o.inputDim : m_o.hidden[l - 1];
    return Eigen::Map<const MatX<S>>(m_theta.data() + m_layout[l].w, m_o.hidden[l], in);
}

template <typename S> Eigen::Map<const VecX<S>> Mlp<S>::bias(int l) const {
    return Eigen::Map<const VecX<S>>(m_theta.data() + m_layout[l].b, m_o.hidden[l]);
}

template <typename S> Eigen::Map<const VecX<S>> Mlp<S>::headWeight() const {
    return Eigen::Map<const VecX<S>>(m_theta.data() + m_head, m_o.hidden.back());
}

template <typename S> std::unique_ptr<EnergyModel<S>> Mlp<S>::clone() const {
    return std::make_unique<Mlp<S>>(*this);
}

template <typename S> double Mlp<S>::flopsEnergyGrad() const {
    double f = 0;
    int in = m_o.inputDim;
    for (int out : m_o.hidden) {
        f += 4.0 * in * out; // forward W h and reverse Wᵀ d
        in = out;
    }
    return f + 2.0 * in;
}

namespace {
void checkBatch(Index rows, int dim, const char* what) {
    if (rows != dim)
        throw InvalidArgument(std::string(what) + ": batch has " + std::to_string(rows) +
                              " rows, the model's input dimension is " + std::to_string(dim) +
                              " (one sample per column)");
}
} // namespace

template <typename S> RowX<S> Mlp<S>::energy(const MatX<S>& X) const {
    checkBatch(X.rows(), dim(), "energy");
    RowX<S> E(X.cols());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        Workspace<S>& w = workspace<S>();
        w.h = X.middleCols(r.begin, r.size());
        for (int l = 0; l < numHidden(); ++l) {
            w.z.noalias() = weight(l) * w.h;
            w.z.colwise() += bias(l);
            detail::activate<S>(m_o.activation, w.z, w.h, nullptr, nullptr, nullptr, w.s);
        }
        E.segment(r.begin, r.size()).noalias() = headWeight().transpose() * w.h;
        E.segment(r.begin, r.size()).array() += headBias();
    });
    return E;
}

template <typename S> void Mlp<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch(X.rows(), dim(), "energyAndGrad");
    E.resize(X.cols());
    G.resize(X.rows(), X.cols());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        const int L = numHidden();
        Workspace<S>& w = workspace<S>();
        ensureCount(w.a1, L);
        w.h = X.middleCols(r.begin, r.size());
        for (int l = 0; l < L; ++l) {
            w.z.noalias() = weight(l) * w.h;
            w.z.colwise() += bias(l);
            detail::activate<S>(m_o.activation, w.z, w.h, &w.a1[l], nullptr, nullptr, w.s);
        }
        E.segment(r.begin, r.size()).noalias() = headWeight().transpose() * w.h;
        E.segment(r.begin, r.size()).array() += headBias();
        // Reverse pass: g_L = w; d_l = φ'(z_l) ⊙ g_l; g_{l−1} = W_lᵀ d_l.
        w.d = w.a1[L - 1].array().colwise() * headWeight().array();
        for (int l = L - 1; l > 0; --l) {
            w.g.noalias() = weight(l).transpose() * w.d;
            w.d.array() = w.a1[l - 1].array() * w.g.array();
        }
        G.middleCols(r.begin, r.size()).noalias() = weight(0).transpose() * w.d;
    });
}

// Forward program with K tangent directions on one chunk, into the thread's workspace:
// w.ins[l] = [h | ḣ_1..ḣ_K | ḧ_1..ḧ_K2] is the input of hidden layer l (w.ins[L] feeds the head), with
// second-order tangents for the first K2 directions only; all 1+K+K2 blocks go through one GEMM per
// layer; w.zcat[l] = [z | ż_k | z̈_k].
inline int secondOrderCount(int secondOrder, int K) {
    return secondOrder < 0 ? K : std::min(secondOrder, K);
}

template <typename S>
static void forwardTangents(const Mlp<S>& m, const MatX<S>& X, const std::vector<MatX<S>>& dirs, int K2,
                            ColumnRange r, bool needThird, Workspace<S>& w) {
    const int L = m.numHidden();
    const int K = int(dirs.size());
    const Index n = r.size();
    const Index blocks = 1 + K + K2;
    ensureCount(w.ins, L + 1);
    ensureCount(w.zcat, L);
    ensureCount(w.a1, L);
    ensureCount(w.a2, L);
    ensureCount(w.a3, L);
    MatX<S>& in0 = w.ins[0];
    in0.resize(m.dim(), n * blocks);
    in0.leftCols(n) = X.middleCols(r.begin, n);
    for (int k = 0; k < K; ++k)
        in0.middleCols(n * (1 + k), n) = dirs[k].middleCols(r.begin, n);
    for (int k = 0; k < K2; ++k)
        in0.middleCols(n * (1 + K + k), n).setZero();
    for (int l = 0; l < L; ++l) {
        MatX<S>& zc = w.zcat[l];
        zc.noalias() = m.weight(l) * w.ins[l];
        zc.leftCols(n).colwise() += m.bias(l);
        MatX<S>& out = w.ins[l + 1];
        out.resize(zc.rows(), n * blocks);
        detail::activate<S>(m.options().activation, zc.leftCols(n), w.h, &w.a1[l], K > 0 ? &w.a2[l] : nullptr,
                            (K2 > 0 && needThird) ? &w.a3[l] : nullptr, w.s);
        out.leftCols(n) = w.h;
        const auto A1 = w.a1[l].array();
        for (int k = 0; k < K; ++k)
            out.middleCols(n * (1 + k), n).array() = A1 * zc.middleCols(n * (1 + k), n).array();
        for (int k = 0; k < K2; ++k) {
            const auto zd = zc.middleCols(n * (1 + k), n).array();
            const auto zdd = zc.middleCols(n * (1 + K + k), n).array();
            out.middleCols(n * (1 + K + k), n).array() = w.a2[l].array() * zd * zd + A1 * zdd;
        }
    }
}

template <typename S>
void Mlp<S>::jetChunk(const MatX<S>& X, const std::vector<MatX<S>>& dirs, int K2, ColumnRange r,
                      EnergyJet<S>& out) const {
    Workspace<S>& w = workspace<S>();
    forwardTangents(*this, X, dirs, K2, r, false, w);
    const int K = int(dirs.size());
    const Index n = r.size();
    RowX<S>& head = w.head;
    head.noalias() = headWeight().transpose() * w.ins[numHidden()]; // [E | F_k | S_k]
    out.energy.segment(r.begin, n) = head.leftCols(n).array() + headBias();
    for (int k = 0; k < K; ++k)
        out.first[k].segment(r.begin, n) = head.middleCols(n * (1 + k), n);
    for (int k = 0; k < K2; ++k)
        out.second[k].segment(r.begin, n) = head.middleCols(n * (1 + K + k), n);
}

template <typename S>
static void checkDirs(const std::vector<MatX<S>>& dirs, Index d, Index n, const char* what) {
    for (const auto& U : dirs)
        if (U.rows() != d || U.cols() != n)
            throw InvalidArgument(std::string(what) + ": each direction matrix must be " + std::to_string(d) +
                                  " x " + std::to_string(n) + " (like the batch), got " +
                                  std::to_string(U.rows()) + " x " + std::to_string(U.cols()));
}

template <typename S>
void Mlp<S>::jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
                 int secondOrder) const {
    checkBatch(X.rows(), dim(), "jet");
    checkDirs(dirs, X.rows(), X.cols(), "jet");
    const Index n = X.cols();
    out.energy.resize(n);
    out.first.assign(dirs.size(), RowX<S>(n));
    const int K2 = secondOrderCount(secondOrder, int(dirs.size()));
    out.second.assign(K2, RowX<S>(n));
    parallelColumns(n, kMinChunk, [&](int, ColumnRange r) { jetChunk(X, dirs, K2, r, out); });
}

template <typename S>
S Mlp<S>::lossGradChunk(const MatX<S>& X, const std::vector<MatX<S>>& dirs, int K2, ColumnRange r,
                        const LossHead<S>& head, VecX<S>& grad) const {
    Workspace<S>& w = workspace<S>();
    forwardTangents(*this, X, dirs, K2, r, true, w);
    const int L = numHidden();
    const int K = int(dirs.size());
    const Index n = r.size();
    const Index width = n * (1 + K + K2);

    // Head values and the loss's seeds.
    RowX<S>& hv = w.head;
    hv.noalias() = headWeight().transpose() * w.ins[L];
    EnergyJet<S> jet;
    jet.energy = hv.leftCols(n).array() + headBias();
    jet.first.resize(K);
    jet.second.resize(K2);
    for (int k = 0; k < K; ++k)
        jet.first[k] = hv.middleCols(n * (1 + k), n);
    for (int k = 0; k < K2; ++k)
        jet.second[k] = hv.middleCols(n * (1 + K + k), n);
    JetSeeds<S> seeds;
    const S loss = head(jet, r.begin, seeds);
    RowX<S>& seed = w.seed;
    seed.setZero(width);
    if (seeds.energy.size() == n) seed.leftCols(n) = seeds.energy;
    for (int k = 0; k < K; ++k) {
        if (Index(seeds.first.size()) > k && seeds.first[k].size() == n)
            seed.middleCols(n * (1 + k), n) = seeds.first[k];
        if (k < K2 && Index(seeds.second.size()) > k && seeds.second[k].size() == n)
            seed.middleCols(n * (1 + K + k), n) = seeds.second[k];
    }

    // Head: E = wᵀh + b, F = wᵀḣ, S = wᵀḧ.
    grad.segment(m_head, headWeight().size()).noalias() += w.ins[L] * seed.transpose();
    grad(grad.size() - 1) += seed.leftCols(n).sum();
    MatX<S>& hbar = w.hbar;
    MatX<S>& zbar = w.zbar;
    hbar.noalias() = headWeight() * seed; // adjoint of ins[L]
    for (int l = L - 1; l >= 0; --l) {
        const auto A1 = w.a1[l].array();
        const MatX<S>& zc = w.zcat[l];
        // Adjoint of h = φ(z), ḣ = φ'ż, ḧ = φ''ż² + φ'z̈ (docs/math.md).
        zbar.resize(hbar.rows(), width);
        zbar.leftCols(n).array() = A1 * hbar.leftCols(n).array();
        for (int k = 0; k < K; ++k) {
            const auto zd = zc.middleCols(n * (1 + k), n).array();
            const auto hdBar = hbar.middleCols(n * (1 + k), n).array();
            const auto A2 = w.a2[l].array();
            if (k >= K2) { // first order only: ḣ = φ'ż
                zbar.leftCols(n).array() += A2 * zd * hdBar;
                zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar;
                continue;
            }
            const auto zdd = zc.middleCols(n * (1 + K + k), n).array();
            const auto hddBar = hbar.middleCols(n * (1 + K + k), n).array();
            zbar.leftCols(n).array() +=
                A2 * zd * hdBar + w.a3[l].array() * zd * zd * hddBar + A2 * zdd * hddBar;
            zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar + S(2) * A2 * zd * hddBar;
            zbar.middleCols(n * (1 + K + k), n).array() = A1 * hddBar;
        }
        const int in = l == 0 ? m_o.inputDim : m_o.hidden[l - 1];
        Eigen::Map<MatX<S>> gW(grad.data() + m_layout[l].w, m_o.hidden[l], in);
        gW.noalias() += zbar * w.ins[l].transpose();
        grad.segment(m_layout[l].b, m_o.hidden[l]) += zbar.leftCols(n).rowwise().sum();
        if (l > 0) hbar.noalias() = weight(l).transpose() * zbar;
    }
    return loss;
}

template <typename S>
S Mlp<S>::lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
                   int secondOrder) const {
    checkBatch(X.rows(), dim(), "lossGrad");
    checkDirs(dirs, X.rows(), X.cols(), "lossGrad");
    if (grad.size() != numParams())
        throw InvalidArgument("lossGrad: gradient vector has " + std::to_string(grad.size()) +
                              " entries, expected " + std::to_string(numParams()));
    const int K2 = secondOrderCount(secondOrder, int(dirs.size()));
    const int chunks = chunkCount(X.cols(), kMinChunk);
    if (chunks <= 1)
        return X.cols() > 0 ? lossGradChunk(X, dirs, K2, ColumnRange{0, X.cols()}, head, grad) : S(0);
    // Per-chunk gradients summed in chunk order: the same thread count gives the same bits.
    std::vector<VecX<S>> grads(chunks, VecX<S>::Zero(numParams()));
    std::vector<S> losses(chunks, S(0));
    parallelColumns(X.cols(), kMinChunk,
                    [&](int c, ColumnRange r) { losses[c] = lossGradChunk(X, dirs, K2, r, head, grads[c]); });
    S loss = 0;
    for (int c = 0; c < chunks; ++c) {
        grad += grads[c];
        loss += losses[c];
    }
    return loss;
}

template class Mlp<float>;
template class Mlp<double>;

} // namespace ebm::core
