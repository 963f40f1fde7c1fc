// The convolutional energy. A feature map of one image is a column of (H · W · C) values, index
// (y · W + x) · C + c. im2col turns a block of m such columns into a (9 C_in) x (P_out · m) matrix whose
// column s · P_out + p holds the 3 x 3 x C_in patch under output position p of image s; then one GEMM
// W (C_out x 9 C_in) times it gives C_out x (P_out · m), which in memory IS the (P_out · C_out) x m batch of
// output maps. The forward-tangent program and its adjoint are the MLP's (mlp.cpp) with W h replaced by
// this convolution and Wᵀ by its adjoint (GEMM with Wᵀ, then col2im).
#include "activation.h"

#include <ebm/core/convnet.h>

#include <cmath>

namespace ebm::core {

namespace {
// Images per thread below which splitting costs more than it saves (an image is ~1 MFLOP here).
constexpr Index kMinChunk = 4;

template <typename S> struct ConvWork {
    std::vector<MatX<S>> cols, ins, zcat, a1, a2, a3;
    MatX<S> h, s, colsbar, zbar, hbar, d;
    RowX<S> head, seed;
};
template <typename S> ConvWork<S>& work() {
    thread_local ConvWork<S> w;
    return w;
}
template <typename S> void ensureCount(std::vector<MatX<S>>& v, size_t n) {
    if (v.size() < n) v.resize(n);
}

template <typename S> using Geo = typename ConvNet<S>::Geometry;

template <typename S> void im2col(const Geo<S>& g, const MatX<S>& in, MatX<S>& cols) {
    const Index m = in.cols();
    const int P = g.outW * g.outH, C = g.inC;
    cols.resize(Index(9) * C, Index(P) * m);
    for (Index s = 0; s < m; ++s) {
        const S* src = in.col(s).data();
        for (int oy = 0; oy < g.outH; ++oy)
            for (int ox = 0; ox < g.outW; ++ox) {
                S* dst = cols.col(s * P + oy * g.outW + ox).data();
                for (int ky = 0; ky < 3; ++ky) {
                    const int iy = oy * g.stride + ky - 1;
                    for (int kx = 0; kx < 3; ++kx) {
                        const int ix = ox * g.stride + kx - 1;
                        S* d = dst + (ky * 3 + kx) * C;
                        if (iy < 0 || iy >= g.inH || ix < 0 || ix >= g.inW)
                            std::fill(d, d + C, S(0));
                        else
                            std::copy(src + (iy * g.inW + ix) * C, src + (iy * g.inW + ix + 1) * C, d);
                    }
                }
            }
    }
}

// Adjoint of im2col: in (P_in · C_in) x m  =  sum of the patch columns scattered back.
template <typename S> void col2im(const Geo<S>& g, const MatX<S>& cols, Index m, MatX<S>& in) {
    const int P = g.outW * g.outH, C = g.inC;
    in.setZero(Index(g.inW) * g.inH * C, m);
    for (Index s = 0; s < m; ++s) {
        S* dst = in.col(s).data();
        for (int oy = 0; oy < g.outH; ++oy)
            for (int ox = 0; ox < g.outW; ++ox) {
                const S* src = cols.col(s * P + oy * g.outW + ox).data();
                for (int ky = 0; ky < 3; ++ky) {
                    const int iy = oy * g.stride + ky - 1;
                    if (iy < 0 || iy >= g.inH) continue;
                    for (int kx = 0; kx < 3; ++kx) {
                        const int ix = ox * g.stride + kx - 1;
                        if (ix < 0 || ix >= g.inW) continue;
                        const S* a = src + (ky * 3 + kx) * C;
                        S* b = dst + (iy * g.inW + ix) * C;
                        for (int c = 0; c < C; ++c)
                            b[c] += a[c];
                    }
                }
            }
    }
}

template <typename S> Eigen::Map<const MatX<S>> weightOf(const VecX<S>& theta, const Geo<S>& g) {
    return Eigen::Map<const MatX<S>>(theta.data() + g.wOffset, g.outC, 9 * g.inC);
}

// z (P_out · C_out) x m = conv(in) without bias; keeps the im2col matrix in cols.
template <typename S>
void convForward(const VecX<S>& theta, const Geo<S>& g, const MatX<S>& in, MatX<S>& cols, MatX<S>& z) {
    im2col(g, in, cols);
    const Index m = in.cols();
    const Index P = Index(g.outW) * g.outH;
    z.resize(P * g.outC, m);
    Eigen::Map<MatX<S>>(z.data(), g.outC, P * m).noalias() = weightOf(theta, g) * cols;
}

template <typename S> void addBias(const VecX<S>& theta, const Geo<S>& g, MatX<S>& z, Index n) {
    const Index P = Index(g.outW) * g.outH;
    Eigen::Map<MatX<S>>(z.data(), g.outC, P * n).colwise() +=
        Eigen::Map<const VecX<S>>(theta.data() + g.bOffset, g.outC);
}

// inBar (P_in · C_in) x m = convᵀ(zBar).
template <typename S>
void convBackward(const VecX<S>& theta, const Geo<S>& g, const MatX<S>& zbar, MatX<S>& colsbar,
                  MatX<S>& inbar) {
    const Index m = zbar.cols();
    const Index P = Index(g.outW) * g.outH;
    colsbar.noalias() =
        weightOf(theta, g).transpose() * Eigen::Map<const MatX<S>>(zbar.data(), g.outC, P * m);
    col2im(g, colsbar, m, inbar);
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

template <typename S> RowX<S> ConvNet<S>::energy(const MatX<S>& X) const {
    checkBatch(X.rows(), dim(), "energy");
    RowX<S> E(X.cols());
    const Eigen::Map<const VecX<S>> w(m_theta.data() + m_head, headSize());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        ConvWork<S>& k = work<S>();
        ensureCount(k.cols, 1);
        ensureCount(k.zcat, 1);
        k.h = X.middleCols(r.begin, r.size());
        for (const Geometry& g : m_geo) {
            convForward(m_theta, g, k.h, k.cols[0], k.zcat[0]);
            addBias(m_theta, g, k.zcat[0], r.size());
            detail::activate<S>(m_o.activation, k.zcat[0], k.h, nullptr, nullptr, nullptr, k.s);
        }
        E.segment(r.begin, r.size()).noalias() = w.transpose() * k.h;
        E.segment(r.begin, r.size()).array() += m_theta(m_theta.size() - 1);
    });
    return E;
}

template <typename S> void ConvNet<S>::energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const {
    checkBatch(X.rows(), dim(), "energyAndGrad");
    E.resize(X.cols());
    G.resize(X.rows(), X.cols());
    const Eigen::Map<const VecX<S>> w(m_theta.data() + m_head, headSize());
    parallelColumns(X.cols(), kMinChunk, [&](int, ColumnRange r) {
        const int L = int(m_geo.size());
        ConvWork<S>& k = work<S>();
        ensureCount(k.cols, 1);
        ensureCount(k.zcat, 1);
        ensureCount(k.a1, L);
        k.h = X.middleCols(r.begin, r.size());
        for (int l = 0; l < L; ++l) {
            convForward(m_theta, m_geo[l], k.h, k.cols[0], k.zcat[0]);
            addBias(m_theta, m_geo[l], k.zcat[0], r.size());
            detail::activate<S>(m_o.activation, k.zcat[0], k.h, &k.a1[l], nullptr, nullptr, k.s);
        }
        E.segment(r.begin, r.size()).noalias() = w.transpose() * k.h;
        E.segment(r.begin, r.size()).array() += m_theta(m_theta.size() - 1);
        // Reverse pass: d_L = φ'(z_L) ⊙ w; g_{l−1} = convᵀ(d_l); d_{l−1} = φ'(z_{l−1}) ⊙ g_{l−1}.
        k.d = k.a1[L - 1].array().colwise() * w.array();
        for (int l = L - 1; l >= 0; --l) {
            convBackward(m_theta, m_geo[l], k.d, k.colsbar, k.hbar);
            if (l > 0)
                k.d.array() = k.a1[l - 1].array() * k.hbar.array();
            else
                G.middleCols(r.begin, r.size()) = k.hbar;
        }
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
    ensureCount(w.ins, L + 1);
    ensureCount(w.zcat, L);
    ensureCount(w.cols, L);
    ensureCount(w.a1, L);
    ensureCount(w.a2, L);
    ensureCount(w.a3, L);
    MatX<S>& in0 = w.ins[0];
    in0.resize(net.dim(), n * blocks);
    in0.leftCols(n) = X.middleCols(r.begin, n);
    for (int k = 0; k < K; ++k)
        in0.middleCols(n * (1 + k), n) = dirs[k].middleCols(r.begin, n);
    for (int k = 0; k < K2; ++k)
        in0.middleCols(n * (1 + K + k), n).setZero();
    for (int l = 0; l < L; ++l) {
        MatX<S>& zc = w.zcat[l];
        convForward(theta, geo[l], w.ins[l], w.cols[l], zc);
        addBias(theta, geo[l], zc, n);
        MatX<S>& out = w.ins[l + 1];
        out.resize(zc.rows(), n * blocks);
        detail::activate<S>(net.options().activation, zc.leftCols(n), w.h, &w.a1[l],
                            K > 0 ? &w.a2[l] : nullptr, (K2 > 0 && needThird) ? &w.a3[l] : nullptr, w.s);
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
        ConvWork<S>& k = work<S>();
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

    auto chunk = [&](ColumnRange r, VecX<S>& g) -> S {
        ConvWork<S>& w = work<S>();
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
        w.hbar.noalias() = wHead * seed;
        for (int l = L - 1; l >= 0; --l) {
            const Geometry& geo = m_geo[l];
            const auto A1 = w.a1[l].array();
            const MatX<S>& zc = w.zcat[l];
            MatX<S>& zbar = w.zbar;
            zbar.resize(w.hbar.rows(), width);
            zbar.leftCols(n).array() = A1 * w.hbar.leftCols(n).array();
            for (int k = 0; k < K; ++k) {
                const auto zd = zc.middleCols(n * (1 + k), n).array();
                const auto hdBar = w.hbar.middleCols(n * (1 + k), n).array();
                const auto A2 = w.a2[l].array();
                if (k >= K2) {
                    zbar.leftCols(n).array() += A2 * zd * hdBar;
                    zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar;
                    continue;
                }
                const auto zdd = zc.middleCols(n * (1 + K + k), n).array();
                const auto hddBar = w.hbar.middleCols(n * (1 + K + k), n).array();
                zbar.leftCols(n).array() +=
                    A2 * zd * hdBar + w.a3[l].array() * zd * zd * hddBar + A2 * zdd * hddBar;
                zbar.middleCols(n * (1 + k), n).array() = A1 * hdBar + S(2) * A2 * zd * hddBar;
                zbar.middleCols(n * (1 + K + k), n).array() = A1 * hddBar;
            }
            const Index P = Index(geo.outW) * geo.outH;
            const Eigen::Map<const MatX<S>> zb(zbar.data(), geo.outC, P * width);
            Eigen::Map<MatX<S>> gW(g.data() + geo.wOffset, geo.outC, 9 * geo.inC);
            gW.noalias() += zb * w.cols[l].transpose();
            g.segment(geo.bOffset, geo.outC) += zb.leftCols(P * n).rowwise().sum();
            if (l > 0) convBackward(m_theta, geo, zbar, w.colsbar, w.hbar);
        }
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
