// The convolutional energy. A feature map of one image is a column of (H · W · C) values, index
// (y · W + x) · C + c. im2col turns a block of m such columns into a (9 C_in) x (P_out · m) matrix whose
// column s · P_out + p holds the 3 x 3 x C_in patch under output position p of image s; then one GEMM
// W (C_out x 9 C_in) times it gives C_out x (P_out · m), which in memory IS the (P_out · C_out) x m batch of
// output maps. The forward-tangent program and its adjoint are the MLP's (mlp.cpp) with W h replaced by
// this convolution and Wᵀ by its adjoint (GEMM with Wᵀ, then col2im).
#include "activation.h"

#include <ebm/core/convnet.h>

#include <algorithm>
#include <cmath>

namespace ebm::core {

namespace {
// Images per thread below which splitting costs more than it saves (an image is ~1 MFLOP here).
constexpr Index kMinChunk = 4;
// Images per block inside a chunk for energy and energyAndGrad: a block's im2col matrices and feature maps
// (about 1.5 MB for the default net) stay in the core's L2 cache between the GEMMs that use them.
constexpr Index kBlock = 8;

// Everything one layer needs, kept per layer so that no buffer changes shape (and reallocates) between
// layers: in the steady state a pass allocates nothing.
template <typename S> struct LayerWork { MatX<S> cols, z, h, a1, a2, a3, s, colsbar, zbar, hbar; };
template <typename S> struct ConvWork {
    std::vector<LayerWork<S>> layer;
    std::vector<MatX<S>> ins; // tangent programs: the input of each layer, [h | ḣ_k | ḧ_k]
    MatX<S> d;
    RowX<S> head, seed;
};
template <typename S> ConvWork<S>& work(size_t layers) {
    thread_local ConvWork<S> w;
    if (w.layer.size() < layers) w.layer.resize(layers);
    if (w.ins.size() < layers + 1) w.ins.resize(layers + 1);
    return w;
}

template <typename S> using Geo = typename ConvNet<S>::Geometry;

// The valid range [lo, hi) of output coordinates o for tap k (input coordinate o · stride + k − 1).
inline void tapRange(int k, int stride, int inSize, int outSize, int& lo, int& hi) {
    lo = k == 0 ? 1 : 0;
    hi = inSize < k ? 0 : std::min(outSize, (inSize - k) / stride + 1); // o · stride + k − 1 <= inSize − 1
    hi = std::max(hi, lo);
}

// m feature maps (one per column, contiguous from in) -> the (9 C_in) x (P_out · m) patch matrix. Loops
// run per tap over its valid output range, so the inner loops have no bounds tests.
// CC > 0 fixes the channel count at compile time (CC = 1: the image layer, whose inner loops are then
// plain scalar moves); CC = 0 reads it from g.
template <int CC, typename S> void im2colImpl(const Geo<S>& g, const S* in, Index m, MatX<S>& cols) {
    const int P = g.outW * g.outH, C = CC > 0 ? CC : g.inC, st = g.stride;
    const Index inSize = Index(g.inW) * g.inH * C, R = Index(9) * C;
    cols.resize(R, Index(P) * m);
    for (Index s = 0; s < m; ++s) {
        const S* src = in + s * inSize;
        S* dst = cols.data() + s * P * R;
        for (int ky = 0; ky < 3; ++ky) {
            int ylo, yhi;
            tapRange(ky, st, g.inH, g.outH, ylo, yhi);
            for (int kx = 0; kx < 3; ++kx) {
                int xlo, xhi;
                tapRange(kx, st, g.inW, g.outW, xlo, xhi);
                const int tap = (ky * 3 + kx) * C;
                for (int oy = 0; oy < g.outH; ++oy) {
                    S* row = dst + Index(oy) * g.outW * R + tap;
                    if (oy < ylo || oy >= yhi) {
                        for (int ox = 0; ox < g.outW; ++ox)
                            for (int c = 0; c < C; ++c)
                                row[ox * R + c] = S(0);
                        continue;
                    }
                    const S* srow = src + Index(oy * st + ky - 1) * g.inW * C;
                    for (int ox = 0; ox < xlo; ++ox)
                        for (int c = 0; c < C; ++c)
                            row[ox * R + c] = S(0);
                    for (int ox = xlo; ox < xhi; ++ox) {
                        const S* a = srow + (ox * st + kx - 1) * C;
                        S* d = row + ox * R;
                        for (int c = 0; c < C; ++c)
                            d[c] = a[c];
                    }
                    for (int ox = xhi; ox < g.outW; ++ox)
                        for (int c = 0; c < C; ++c)
                            row[ox * R + c] = S(0);
                }
            }
        }
    }
}

template <typename S> void im2col(const Geo<S>& g, const S* in, Index m, MatX<S>& cols) {
    if (g.inC == 1)
        im2colImpl<1>(g, in, m, cols);
    else
        im2colImpl<0>(g, in, m, cols);
}

// Adjoint of im2col: the m maps at out (P_in · C_in each, contiguous) = the patch columns scattered back.
template <int CC, typename S> void col2imImpl(const Geo<S>& g, const MatX<S>& cols, Index m, S* out) {
    const int P = g.outW * g.outH, C = CC > 0 ? CC : g.inC, st = g.stride;
    const Index inSize = Index(g.inW) * g.inH * C, R = Index(9) * C;
    std::fill(out, out + inSize * m, S(0));
    // Taps in reverse: each input value receives its terms in the order of a raster scan of the outputs.
    for (Index s = 0; s < m; ++s) {
        S* dst = out + s * inSize;
        const S* src = cols.data() + s * P * R;
        for (int ky = 2; ky >= 0; --ky) {
            int ylo, yhi;
            tapRange(ky, st, g.inH, g.outH, ylo, yhi);
            for (int kx = 2; kx >= 0; --kx) {
                int xlo, xhi;
                tapRange(kx, st, g.inW, g.outW, xlo, xhi);
                const int tap = (ky * 3 + kx) * C;
                for (int oy = ylo; oy < yhi; ++oy) {
                    const S* row = src + Index(oy) * g.outW * R + tap;
                    S* drow = dst + Index(oy * st + ky - 1) * g.inW * C;
                    for (int ox = xlo; ox < xhi; ++ox) {
                        const S* a = row + ox * R;
                        S* d = drow + (ox * st + kx - 1) * C;
                        for (int c = 0; c < C; ++c)
                            d[c] += a[c];
                    }
                }
            }
        }
    }
}

template <typename S> void col2im(const Geo<S>& g, const MatX<S>& cols, Index m, S* out) {
    if (g.inC == 1)
        col2imImpl<1>(g, cols, m, out);
    else
        col2imImpl<0>(g, cols, m, out);
}

template <typename S> Eigen::Map<const MatX<S>> weightOf(const VecX<S>& theta, const Geo<S>& g) {
    return Eigen::Map<const MatX<S>>(theta.data() + g.wOffset, g.outC, 9 * g.inC);
}

// z (P_out · C_out) x m = conv(in) for the m maps at in, plus the bias on the first `biased` maps (the
// values; tangent maps have none); keeps the im2col matrix in cols.
template <typename S>
void convForward(const VecX<S>& theta, const Geo<S>& g, const S* in, Index m, Index biased, MatX<S>& cols,
                 MatX<S>& z) {
    im2col(g, in, m, cols);
    const Index P = Index(g.outW) * g.outH;
    z.resize(P * g.outC, m);
    Eigen::Map<MatX<S>>(z.data(), g.outC, P * m).noalias() = weightOf(theta, g) * cols;
    Eigen::Map<MatX<S>>(z.data(), g.outC, P * biased).colwise() +=
        Eigen::Map<const VecX<S>>(theta.data() + g.bOffset, g.outC);
}

// The m maps at out (P_in · C_in each) = convᵀ(zbar) for the first m columns of zbar.
template <typename S>
void convBackward(const VecX<S>& theta, const Geo<S>& g, const MatX<S>& zbar, Index m, MatX<S>& colsbar,
                  S* out) {
    const Index P = Index(g.outW) * g.outH;
    colsbar.resize(Index(9) * g.inC, P * m);
    colsbar.noalias() =
        weightOf(theta, g).transpose() * Eigen::Map<const MatX<S>>(zbar.data(), g.outC, P * m);
    col2im(g, colsbar, m, out);
}

void checkBatch(Index rows, int dim, const char* what) {
    if (rows != dim)
        throw InvalidArgument(std::string(what) + ": batch has " + std::to_string(rows) +
                              " rows, the conv net's input has " + std::to_string(dim) +
                              " pixels (one image per column)");
}

inline int secondOrderCount(int secondOrder, int K) {
    return secondOrder < 0 ? K : std::min(secondOrder, K);
}
} // namespace

void ConvNetOptions::validate() const {
    if (width < 1 || height < 1 || width > 256 || height > 256)
        throw InvalidArgument("conv net input size must be in 1..256, got " + std::to_string(width) + " x " +
                              std::to_string(height));
    if (layers.empty() || layers.size() > 8)
        throw InvalidArgument("conv net needs 1..8 layers, got " + std::to_string(layers.size()));
    for (const auto& l : layers) {
        if (l.channels < 1 || l.channels > 512)
            throw InvalidArgument("conv layer channels must be in 1..512, got " + std::to_string(l.channels));
        if (l.stride != 1 && l.stride != 2)
            throw InvalidArgument("conv layer stride must be 1 or 2, got " + std::to_string(l.stride));
    }
}

template <typename S> ConvNet<S>::ConvNet(const ConvNetOptions& o) : m_o(o) {
    m_o.validate();
    buildLayout();
}

template <typename S> ConvNet<S>::ConvNet(const ConvNetOptions& o, Rng& rng) : ConvNet(o) {
    auto fill = [&](Index off, Index count, double bound) {
        std::uniform_real_distribution<double> u(-bound, bound);
        for (Index i = 0; i < count; ++i)
            m_theta(off + i) = S(u(rng));
    };
    for (const Geometry& g : m_geo) {
        const double bound = 1.0 / std::sqrt(9.0 * g.inC);
        fill(g.wOffset, Index(g.outC) * 9 * g.inC, bound);
        fill(g.bOffset, g.outC, bound);
    }
    fill(m_head, headSize() + 1, 1.0 / std::sqrt(double(headSize())));
}

template <typename S> void ConvNet<S>::buildLayout() {
    m_geo.clear();
    Index off = 0;
    int w = m_o.width, h = m_o.height, c = 1;
    for (const auto& l : m_o.layers) {
        Geometry g;
        g.inW = w;
        g.inH = h;
        g.inC = c;
        g.stride = l.stride;
        g.outW = (w - 1) / l.stride + 1;
        g.outH = (h - 1) / l.stride + 1;
        g.outC = l.channels;
        g.wOffset = off;
        g.bOffset = off + Index(g.outC) * 9 * g.inC;
        off = g.bOffset + g.outC;
        m_geo.push_back(g);
        w = g.outW;
        h = g.outH;
        c = g.outC;
    }
    m_head = off;
    m_theta = VecX<S>::Zero(off + headSize() + 1);
}

template <typename S> Index ConvNet<S>::headSize() const {
    const Geometry& g = m_geo.back();
    return Index(g.outW) * g.outH * g.outC;
}

template <typename S> void ConvNet<S>::setParameters(const VecX<S>& theta) {
    if (theta.size() != m_theta.size())
        throw InvalidArgument("conv net parameter vector has " + std::to_string(theta.size()) +
                              " entries, expected " + std::to_string(m_theta.size()));
    m_theta = theta;
}

template <typename S> std::unique_ptr<EnergyModel<S>> ConvNet<S>::clone() const {
    return std::make_unique<ConvNet<S>>(*this);
}

template <typename S> double ConvNet<S>::flopsEnergyGrad() const {
    double f = 0;
    for (const Geometry& g : m_geo)
        f += 4.0 * double(g.outW) * g.outH * g.outC * 9 * g.inC; // forward conv and its adjoint
    return f + 2.0 * double(headSize());
}

namespace {
// Calls fn(begin, size) for consecutive blocks of at most kBlock columns of r: fixed by r alone, so the
// same chunks give the same bits.
template <typename Fn> void forBlocks(ColumnRange r, Fn&& fn) {
    for (Index b = r.begin; b < r.end; b += kBlock)
        fn(b, std::min(kBlock, r.end - b));
}

// The conv layers' forward pass over the m images from column b of X into k's layers; withDerivative:
// each layer also keeps σ'(z) in its a1 for the input gradient.
template <typename S>
void forwardLayers(const VecX<S>& theta, const std::vector<Geo<S>>& geo, Activation act, const MatX<S>& X,
                   Index b, Index m, ConvWork<S>& k, bool withDerivative) {
    const S* in = X.col(b).data();
    for (size_t l = 0; l < geo.size(); ++l) {
        LayerWork<S>& lw = k.layer[l];
        convForward(theta, geo[l], in, m, m, lw.cols, lw.z);
        detail::activate<S>(act, lw.z, lw.h, withDerivative ? &lw.a1 : nullptr, nullptr, nullptr, lw.s);
        in = lw.h.data();
    }
}
} // namespace

template <typename S> RowX<S> ConvNet<S>::energy(const MatX<S>& X) const {
    checkBatch(X.rows(), dim(), "energy");
    RowX<S> E(X.cols());
    const Eigen::Map<const VecX<S>> w(m_theta.data() + m_head, headSize());
    const int L = int(m_geo.size());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        ConvWork<S>& k = work<S>(size_t(L));
        forBlocks(r, [&](Index b, Index m) {
            forwardLayers(m_theta, m_geo, m_o.activation, X, b, m, k, false);
            E.segment(b, m).noalias() = w.transpose() * k.layer[size_t(L - 1)].h;
            E.segment(b, m).array() += m_theta(m_theta.size() - 1);
        });
    });
    return E;
}

template <typename S> void ConvNet<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch(X.rows(), dim(), "energyAndGrad");
    E.resize(X.cols());
    G.resize(X.rows(), X.cols());
    const Eigen::Map<const VecX<S>> w(m_theta.data() + m_head, headSize());
    const int L = int(m_geo.size());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        ConvWork<S>& k = work<S>(size_t(L));
        forBlocks(r, [&](Index b, Index m) {
            forwardLayers(m_theta, m_geo, m_o.activation, X, b, m, k, true);
            E.segment(b, m).noalias() = w.transpose() * k.layer[size_t(L - 1)].h;
            E.segment(b, m).array() += m_theta(m_theta.size() - 1);
            // Reverse pass: d_L = φ'(z_L) ⊙ w; g_{l−1} = convᵀ(d_l); d_{l−1} = φ'(z_{l−1}) ⊙ g_{l−1}.
            // zbar of layer l holds d_l, hbar of layer l − 1 holds g_{l−1}.
            LayerWork<S>& last = k.layer[size_t(L - 1)];
            last.zbar = last.a1.array().colwise() * w.array();
            for (int l = L - 1; l >= 0; --l) {
                LayerWork<S>& lw = k.layer[size_t(l)];
                if (l == 0) {
                    convBackward(m_theta, m_geo[0], lw.zbar, m, lw.colsbar, G.col(b).data());
                    break;
                }
                LayerWork<S>& below = k.layer[size_t(l - 1)];
                below.hbar.resize(below.z.rows(), m);
                convBackward(m_theta, m_geo[size_t(l)], lw.zbar, m, lw.colsbar, below.hbar.data());
                below.zbar = (below.a1.array() * below.hbar.array()).matrix();
            }
        });
    });
}

namespace {
// Forward program with K tangent directions (second order for the first K2) on one chunk; see mlp.cpp.
template <typename S>
void forwardTangents(const ConvNet<S>& net, const VecX<S>& theta, const MatX<S>& X,
                     const std::vector<MatX<S>>& dirs, int K2, ColumnRange r, bool needThird,
                     ConvWork<S>& w) {
    const auto& geo = net.geometry();
    const int L = int(geo.size());
    const int K = int(dirs.size());
    const Index n = r.size();
    const Index blocks = 1 + K + K2;
    MatX<S>& in0 = w.ins[0];
    in0.resize(net.dim(), n * blocks);
    in0.leftCols(n) = X.middleCols(r.begin, n);
    for (int k = 0; k < K; ++k)
        in0.middleCols(n * (1 + k), n) = dirs[size_t(k)].middleCols(r.begin, n);
    for (int k = 0; k < K2; ++k)
        in0.middleCols(n * (1 + K + k), n).setZero();
    for (int l = 0; l < L; ++l) {
        LayerWork<S>& lw = w.layer[size_t(l)];
        MatX<S>& zc = lw.z;
        convForward(theta, geo[size_t(l)], w.ins[size_t(l)].data(), n * blocks, n, lw.cols, zc);
        MatX<S>& out = w.ins[size_t(l) + 1];
        out.resize(zc.rows(), n * blocks);
        detail::activate<S>(net.options().activation, zc.leftCols(n), lw.h, &lw.a1, K > 0 ? &lw.a2 : nullptr,
                            (K2 > 0 && needThird) ? &lw.a3 : nullptr, lw.s);
        out.leftCols(n) = lw.h;
        const auto A1 = lw.a1.array();
        for (int k = 0; k < K; ++k)
            out.middleCols(n * (1 + k), n).array() = A1 * zc.middleCols(n * (1 + k), n).array();
        for (int k = 0; k < K2; ++k) {
            const auto zd = zc.middleCols(n * (1 + k), n).array();
            const auto zdd = zc.middleCols(n * (1 + K + k), n).array();
            out.middleCols(n * (1 + K + k), n).array() = lw.a2.array() * zd * zd + A1 * zdd;
        }
    }
}
template <typename S> void checkDirs(const std::vector<MatX<S>>& dirs, Index d, Index n, const char* what) {
    for (const auto& U : dirs)
        if (U.rows() != d || U.cols() != n)
            throw InvalidArgument(std::string(what) + ": each direction matrix must be " + std::to_string(d) +
                                  " x " + std::to_string(n) + " (like the batch)");
}
} // namespace

template <typename S>
void ConvNet<S>::jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
                     int secondOrder) const {
    checkBatch(X.rows(), dim(), "jet");
    checkDirs(dirs, X.rows(), X.cols(), "jet");
    const Index n = X.cols();
    const int K = int(dirs.size());
    const int K2 = secondOrderCount(secondOrder, K);
    out.energy.resize(n);
    out.first.assign(K, RowX<S>(n));
    out.second.assign(K2, RowX<S>(n));
    const Eigen::Map<const VecX<S>> w(m_theta.data() + m_head, headSize());
    parallelColumns(n, kMinChunk, [&](int, ColumnRange r) {
        ConvWork<S>& k = work<S>(m_geo.size());
        forwardTangents(*this, m_theta, X, dirs, K2, r, false, k);
        const Index m = r.size();
        k.head.noalias() = w.transpose() * k.ins[m_geo.size()];
        out.energy.segment(r.begin, m) = k.head.leftCols(m).array() + m_theta(m_theta.size() - 1);
        for (int j = 0; j < K; ++j)
            out.first[j].segment(r.begin, m) = k.head.middleCols(m * (1 + j), m);
        for (int j = 0; j < K2; ++j)
            out.second[j].segment(r.begin, m) = k.head.middleCols(m * (1 + K + j), m);
    });
}

template <typename S>
S ConvNet<S>::lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head,
                       VecX<S>& grad, int secondOrder) const {
    checkBatch(X.rows(), dim(), "lossGrad");
    checkDirs(dirs, X.rows(), X.cols(), "lossGrad");
    if (grad.size() != numParams())
        throw InvalidArgument("lossGrad: gradient vector has " + std::to_string(grad.size()) +
                              " entries, expected " + std::to_string(numParams()));
    const int K = int(dirs.size());
    const int K2 = secondOrderCount(secondOrder, K);
    const int L = int(m_geo.size());
    const Index hs = headSize();
    const Eigen::Map<const VecX<S>> wHead(m_theta.data() + m_head, hs);

    // One block of images: forward program, the head's seeds, and the reverse pass accumulated into g.
    auto block = [&](ColumnRange r, VecX<S>& g) -> S {
        ConvWork<S>& w = work<S>(m_geo.size());
        forwardTangents(*this, m_theta, X, dirs, K2, r, true, w);
        const Index n = r.size();
        const Index width = n * (1 + K + K2);
        w.head.noalias() = wHead.transpose() * w.ins[L];
        EnergyJet<S> jet;
        jet.energy = w.head.leftCols(n).array() + m_theta(m_theta.size() - 1);
        jet.first.resize(K);
        jet.second.resize(K2);
        for (int k = 0; k < K; ++k)
            jet.first[k] = w.head.middleCols(n * (1 + k), n);
        for (int k = 0; k < K2; ++k)
            jet.second[k] = w.head.middleCols(n * (1 + K + k), n);
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
        g.segment(m_head, hs).noalias() += w.ins[L] * seed.transpose();
        g(g.size() - 1) += seed.leftCols(n).sum();
        w.layer[size_t(L - 1)].hbar.noalias() = wHead * seed;
        for (int l = L - 1; l >= 0; --l) {
            const Geometry& geo = m_geo[size_t(l)];
            LayerWork<S>& lw = w.layer[size_t(l)];
            const auto A1 = lw.a1.array();
            const MatX<S>& zc = lw.z;
            const MatX<S>& hbar = lw.hbar;
            MatX<S>& zbar = lw.zbar;
            zbar.resize(hbar.rows(), width);
            zbar.leftCols(n).array() = A1 * hbar.leftCols(n).array();
            for (int k = 0; k < K; ++k) {
                const auto zd = zc.middleCols(n * (1 + k), n).array();
                const auto hdBar = hbar.middleCols(n * (1 + k), n).array();
                const auto A2 = lw.a2.array();
                if (k >= K2) {
                    zbar.leftCols(n).array() += A2 * zd * hdBar;
                    zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar;
                    continue;
                }
                const auto zdd = zc.middleCols(n * (1 + K + k), n).array();
                const auto hddBar = hbar.middleCols(n * (1 + K + k), n).array();
                zbar.leftCols(n).array() +=
                    A2 * zd * hdBar + lw.a3.array() * zd * zd * hddBar + A2 * zdd * hddBar;
                zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar + S(2) * A2 * zd * hddBar;
                zbar.middleCols(n * (1 + K + k), n).array() = A1 * hddBar;
            }
            const Index P = Index(geo.outW) * geo.outH;
            const Eigen::Map<const MatX<S>> zb(zbar.data(), geo.outC, P * width);
            Eigen::Map<MatX<S>> gW(g.data() + geo.wOffset, geo.outC, 9 * geo.inC);
            gW.noalias() += zb * lw.cols.transpose();
            g.segment(geo.bOffset, geo.outC) += zb.leftCols(P * n).rowwise().sum();
            if (l > 0) {
                MatX<S>& below = w.layer[size_t(l - 1)].hbar;
                below.resize(w.ins[size_t(l)].rows(), width);
                convBackward(m_theta, geo, zbar, width, lw.colsbar, below.data());
            }
        }
        return loss;
    };
    // A chunk is worked through in blocks of kBlock images, so its buffers stay in cache.
    auto chunk = [&](ColumnRange r, VecX<S>& g) -> S {
        S loss = 0;
        forBlocks(r, [&](Index b, Index m) { loss += block(ColumnRange{b, b + m}, g); });
        return loss;
    };

    const int chunks = chunkCount(X.cols(), kMinChunk);
    if (chunks <= 1) return X.cols() > 0 ? chunk(ColumnRange{0, X.cols()}, grad) : S(0);
    // Per-chunk gradients summed in chunk order: the same thread count gives the same bits.
    std::vector<VecX<S>> grads(chunks, VecX<S>::Zero(numParams()));
    std::vector<S> losses(chunks, S(0));
    parallelColumns(X.cols(), kMinChunk, [&](int c, ColumnRange r) { losses[c] = chunk(r, grads[c]); });
    S loss = 0;
    for (int c = 0; c < chunks; ++c) {
        grad += grads[c];
        loss += losses[c];
    }
    return loss;
}

template class ConvNet<float>;
template class ConvNet<double>;

} // namespace ebm::core
