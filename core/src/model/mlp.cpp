#include <ebm/core/mlp.h>

#include <algorithm>
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

namespace {
// Columns per elementwise tile: the activation, its derivatives and the tangents of a tile (128 rows x 8
// columns = 4 KiB per array) are computed while the tile is in L1, instead of one pass over the whole chunk
// per formula.
constexpr Index kTile = 8;

template <typename S> using ArrMap = Eigen::Map<Eigen::Array<S, Eigen::Dynamic, 1>>;
template <typename S> using ConstArrMap = Eigen::Map<const Eigen::Array<S, Eigen::Dynamic, 1>>;

// Columns [c, c + t) of a column-major matrix as one contiguous array.
template <typename S> ArrMap<S> cols(MatX<S>& M, Index c, Index t) {
    return ArrMap<S>(M.data() + c * M.rows(), M.rows() * t);
}
template <typename S> ConstArrMap<S> cols(const MatX<S>& M, Index c, Index t) {
    return ConstArrMap<S>(M.data() + c * M.rows(), M.rows() * t);
}

// h = φ(z) and, where the pointer is set, φ′(z), φ″(z), φ‴(z) on m contiguous values (the formulas of
// activation.h); s is scratch of m values.
template <typename S>
void activateTile(Activation act, const S* zp, Index m, S* hp, S* d1p, S* d2p, S* d3p, S* sp) {
    const ConstArrMap<S> z(zp, m);
    ArrMap<S> h(hp, m), s(sp, m);
    switch (act) {
    case Activation::SiLU:
        s = (S(1) + (-z).exp()).inverse();
        h = z * s;
        if (d1p) ArrMap<S>(d1p, m) = s * (S(1) + z * (S(1) - s));
        if (d2p) ArrMap<S>(d2p, m) = s * (S(1) - s) * (S(2) + z * (S(1) - S(2) * s));
        if (d3p)
            ArrMap<S>(d3p, m) =
                s * (S(1) - s) * (S(3) * (S(1) - S(2) * s) + z * (S(1) - S(6) * s + S(6) * s * s));
        break;
    case Activation::Softplus:
        h = z.max(S(0)) + (-z.abs()).exp().log1p();
        if (d1p || d2p || d3p) {
            s = (S(1) + (-z).exp()).inverse();
            if (d1p) ArrMap<S>(d1p, m) = s;
            if (d2p) ArrMap<S>(d2p, m) = s * (S(1) - s);
            if (d3p) ArrMap<S>(d3p, m) = s * (S(1) - s) * (S(1) - S(2) * s);
        }
        break;
    case Activation::Tanh:
        h = z.tanh();
        if (d1p) ArrMap<S>(d1p, m) = S(1) - h * h;
        if (d2p) ArrMap<S>(d2p, m) = S(-2) * h * (S(1) - h * h);
        if (d3p) ArrMap<S>(d3p, m) = (S(1) - h * h) * (S(6) * h * h - S(2));
        break;
    }
}

// Columns per slice of the products below. Eigen packs an operand of a product in a buffer on the stack
// when it fits in 128 KiB (128 rows x 256 columns of floats) and on the heap otherwise; a worker thread's
// malloc arena hands such a buffer back to the system after the product and faults it in again on the next
// (in a training step of exact SM, page faults took ~10% of the time).
constexpr Index kSlice = 256;

// C = A·B, C and B split into slices of kSlice columns (each column of C is computed as before).
template <typename S, typename Lhs> void productBySlices(const Lhs& A, const MatX<S>& B, MatX<S>& C) {
    C.resize(A.rows(), B.cols());
    for (Index j = 0; j < B.cols(); j += kSlice) {
        const Index t = std::min(kSlice, B.cols() - j);
        C.middleCols(j, t).noalias() = A * B.middleCols(j, t);
    }
}

// G += A·Bᵀ over the first `depth` columns of A and B, in slices of kSlice columns of the depth.
template <typename S, typename Dst>
void addOuterBySlices(const MatX<S>& A, const MatX<S>& B, Index depth, Dst& G) {
    for (Index j = 0; j < depth; j += kSlice) {
        const Index t = std::min(kSlice, depth - j);
        G.noalias() += A.middleCols(j, t) * B.middleCols(j, t).transpose();
    }
}

// Z = W·X for the first layer. With a few inputs (2D points) the inner dimension is tiny, and a
// coefficient-based product (d multiply-adds per output, vectorised down the rows) beats the GEMM, which
// would zero Z, pack both operands and run its kernel for a depth of 2.
template <typename S, typename Rhs, typename Dst>
void firstLayerProduct(const Eigen::Map<const MatX<S>>& W, const Rhs& X, Dst&& Z) {
    if (W.cols() <= 4)
        Z.noalias() = W.lazyProduct(X);
    else
        Z.noalias() = W * X;
}

// The forward pass of hidden layer l on one chunk without tangents: Z = W_l H + b_l, then H ← φ(Z) and,
// if d1 is set, φ′(Z), tile by tile.
template <typename S> void forwardLayer(const Mlp<S>& m, int l, Workspace<S>& w, MatX<S>* d1) {
    if (l == 0)
        firstLayerProduct(m.weight(0), w.h, w.z);
    else
        productBySlices<S>(m.weight(l), w.h, w.z);
    const Index r = w.z.rows(), n = w.z.cols();
    w.h.resize(r, n);
    if (d1) d1->resize(r, n);
    w.s.resize(r, kTile);
    for (Index c = 0; c < n; c += kTile) {
        const Index t = std::min(kTile, n - c);
        w.z.middleCols(c, t).colwise() += m.bias(l);
        activateTile<S>(m.options().activation, w.z.data() + c * r, r * t, w.h.data() + c * r,
                        d1 ? d1->data() + c * r : nullptr, nullptr, nullptr, w.s.data());
    }
}
} // namespace

template <typename S> RowX<S> Mlp<S>::energy(const MatX<S>& X) const {
    checkBatch(X.rows(), dim(), "energy");
    RowX<S> E(X.cols());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        Workspace<S>& w = workspace<S>();
        w.h = X.middleCols(r.begin, r.size());
        for (int l = 0; l < numHidden(); ++l)
            forwardLayer<S>(*this, l, w, nullptr);
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
        for (int l = 0; l < L; ++l)
            forwardLayer<S>(*this, l, w, &w.a1[l]);
        E.segment(r.begin, r.size()).noalias() = headWeight().transpose() * w.h;
        E.segment(r.begin, r.size()).array() += headBias();
        // Reverse pass: g_L = w; d_l = φ'(z_l) ⊙ g_l; g_{l−1} = W_lᵀ d_l.
        w.d = w.a1[L - 1].array().colwise() * headWeight().array();
        for (int l = L - 1; l > 0; --l) {
            productBySlices<S>(weight(l).transpose(), w.d, w.g);
            w.d.array() = w.a1[l - 1].array() * w.g.array();
        }
        G.middleCols(r.begin, r.size()).noalias() = weight(0).transpose() * w.d;
    });
}

// Forward program with K tangent directions on one chunk, into the thread's workspace:
// w.ins[l] = [h | ḣ_1..ḣ_K | ḧ_1..ḧ_K2] is the input of hidden layer l (w.ins[L] feeds the head), with
// second-order tangents for the first K2 directions only; all blocks go through one GEMM per layer;
// w.zcat[l] = [z | ż_k | z̈_k]. The input's second-order tangents are zero (ḧ_0 = 0), so w.ins[0] holds
// only [x | u_1..u_K], and the first layer's z̈_k = 0 is neither computed nor read (those columns of
// w.zcat[0] are left unset).
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
    in0.resize(m.dim(), n * (1 + K));
    in0.leftCols(n) = X.middleCols(r.begin, n);
    for (int k = 0; k < K; ++k)
        in0.middleCols(n * (1 + k), n) = dirs[k].middleCols(r.begin, n);
    const Activation act = m.options().activation;
    const bool third = K2 > 0 && needThird;
    for (int l = 0; l < L; ++l) {
        MatX<S>& zc = w.zcat[l];
        const Index rows = m.options().hidden[l];
        if (l == 0) {
            zc.resize(rows, n * blocks);
            firstLayerProduct(m.weight(0), in0, zc.leftCols(n * (1 + K)));
        } else {
            productBySlices<S>(m.weight(l), w.ins[l], zc);
        }
        MatX<S>& out = w.ins[l + 1];
        out.resize(rows, n * blocks);
        w.a1[l].resize(rows, n);
        if (K > 0) w.a2[l].resize(rows, n);
        if (third) w.a3[l].resize(rows, n);
        w.s.resize(rows, kTile);
        for (Index c = 0; c < n; c += kTile) {
            const Index t = std::min(kTile, n - c);
            zc.middleCols(c, t).colwise() += m.bias(l);
            activateTile<S>(act, zc.data() + c * rows, rows * t, out.data() + c * rows,
                            w.a1[l].data() + c * rows, K > 0 ? w.a2[l].data() + c * rows : nullptr,
                            third ? w.a3[l].data() + c * rows : nullptr, w.s.data());
            const auto A1 = cols(w.a1[l], c, t);
            // ḣ = φ′ż, ḧ = φ″ż² + φ′z̈ (z̈ = 0 on the first layer).
            for (int k = 0; k < K; ++k)
                cols(out, n * (1 + k) + c, t) = A1 * cols(zc, n * (1 + k) + c, t);
            for (int k = 0; k < K2; ++k) {
                const auto A2 = cols(w.a2[l], c, t);
                const auto zd = cols(zc, n * (1 + k) + c, t);
                if (l == 0)
                    cols(out, n * (1 + K + k) + c, t) = A2 * zd * zd;
                else
                    cols(out, n * (1 + K + k) + c, t) = A2 * zd * zd + A1 * cols(zc, n * (1 + K + k) + c, t);
            }
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
        const MatX<S>& zc = w.zcat[l];
        const Index rows = m_o.hidden[l];
        // Adjoint of h = φ(z), ḣ = φ′ż, ḧ = φ″ż² + φ′z̈ (docs/math.md), tile by tile. On the first layer z̈ =
        // 0, and the adjoint of z̈ is not needed there (its input ḧ_0 = 0 has no weight gradient).
        zbar.resize(rows, width);
        auto gb = grad.segment(m_layout[l].b, rows);
        for (Index c = 0; c < n; c += kTile) {
            const Index t = std::min(kTile, n - c);
            const auto A1 = cols(w.a1[l], c, t);
            auto zb = cols(zbar, c, t);
            zb = A1 * cols(hbar, c, t);
            for (int k = 0; k < K; ++k) {
                const auto A2 = cols(w.a2[l], c, t);
                const auto zd = cols(zc, n * (1 + k) + c, t);
                const auto hdBar = cols(hbar, n * (1 + k) + c, t);
                if (k >= K2) { // first order only: ḣ = φ′ż
                    zb += A2 * zd * hdBar;
                    cols(zbar, n * (1 + k) + c, t) = A1 * hdBar;
                    continue;
                }
                const auto A3 = cols(w.a3[l], c, t);
                const auto hddBar = cols(hbar, n * (1 + K + k) + c, t);
                if (l == 0) {
                    zb += A2 * zd * hdBar + A3 * zd * zd * hddBar;
                } else {
                    const auto zdd = cols(zc, n * (1 + K + k) + c, t);
                    zb += A2 * zd * hdBar + A3 * zd * zd * hddBar + A2 * zdd * hddBar;
                    cols(zbar, n * (1 + K + k) + c, t) = A1 * hddBar;
                }
                cols(zbar, n * (1 + k) + c, t) = A1 * hdBar + S(2) * A2 * zd * hddBar;
            }
            gb += zbar.middleCols(c, t).rowwise().sum();
        }
        const int in = l == 0 ? m_o.inputDim : m_o.hidden[l - 1];
        Eigen::Map<MatX<S>> gW(grad.data() + m_layout[l].w, rows, in);
        const Index used = w.ins[l].cols(); // the first layer's input has no second-order blocks
        addOuterBySlices<S>(zbar, w.ins[l], used, gW);
        if (l > 0) productBySlices<S>(weight(l).transpose(), zbar, hbar);
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
    // Per-chunk gradients summed in chunk order: the same thread count gives the same bits. They are the
    // caller's locals handed to the pool, not a thread-local lent to other threads; keepFreedMemory() lets
    // malloc serve them again from its heap instead of fresh pages.
    std::vector<VecX<S>> grads(size_t(chunks), VecX<S>::Zero(numParams()));
    std::vector<S> losses(chunks, S(0));
    parallelColumns(X.cols(), kMinChunk, [&](int c, ColumnRange r) {
        losses[c] = lossGradChunk(X, dirs, K2, r, head, grads[size_t(c)]);
    });
    S loss = 0;
    for (int c = 0; c < chunks; ++c) {
        grad += grads[size_t(c)];
        loss += losses[c];
    }
    return loss;
}

template class Mlp<float>;
template class Mlp<double>;

} // namespace ebm::core
