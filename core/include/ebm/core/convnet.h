#pragma once
/// @file convnet.h
/// A small convolutional energy for images: 3 x 3 convolutions (zero padding 1, stride 1 or 2), each
/// followed by an activation, then a linear head E = wᵀ h_L + b on the flattened last feature map.
/// Batches hold one image per column (pixel (x, y) at row y · width + x, as in imageset.h). Convolutions
/// run as im2col + one GEMM per layer per block of up to 8 images, so that a block's patch matrices and
/// feature maps stay in cache. The batch is split across threads in chunks fixed by the batch size and
/// thread count, each worked through block by block, so the same thread count gives the same bits. The
/// forward tangents, the reverse pass and the parameter gradients follow the MLP's (docs/math.md), with
/// each W h replaced by the convolution.
#include <ebm/core/mlp.h>

#include <vector>

namespace ebm::core {

struct ConvLayerSpec {
    int channels = 16; ///< output channels, 1..512
    int stride = 1;    ///< 1 or 2
};

struct ConvNetOptions {
    int width = 16, height = 16; ///< input image size, 1..256
    /// 1..8 layers. Default 16 (stride 1) → 32 → 64 → 64 (stride 2): at 16 × 16 the last map is 2 × 2, so
    /// each of its features sees the whole image. Against the earlier 16-32-32 (last map 4 × 4), digits
    /// trained by CD for 5000 steps gave replay-buffer samples 78% / 56% confident / near instead of 69% /
    /// 40%, at 1.3× the time per step (docs/images.md, "The default run, measured").
    std::vector<ConvLayerSpec> layers{{16, 1}, {32, 2}, {64, 2}, {64, 2}};
    Activation activation = Activation::SiLU;
    void validate() const; ///< throws InvalidArgument
};

/// θ layout: for each layer l: W_l (C_out x 9 C_in, column-major, column index (ky · 3 + kx) · C_in + c_in),
/// b_l (C_out); then the head w (H_L · W_L · C_L, index (y · W_L + x) · C_L + c) and b.
template <typename S> class ConvNet : public EnergyModel<S> {
public:
    /// Weights and biases U(±1/√fan_in) from rng (PyTorch's default).
    ConvNet(const ConvNetOptions& o, Rng& rng);
    /// Parameters set to zero.
    explicit ConvNet(const ConvNetOptions& o);

    /// Geometry of layer l (input and output feature maps).
    struct Geometry {
        int inW, inH, inC, outW, outH, outC, stride;
        Index wOffset, bOffset;
    };

    const ConvNetOptions& options() const { return m_o; }
    const std::vector<Geometry>& geometry() const { return m_geo; }
    int dim() const override { return m_o.width * m_o.height; }
    Index numParams() const override { return m_theta.size(); }
    VecX<S> parameters() const override { return m_theta; }
    void setParameters(const VecX<S>& theta) override;
    const VecX<S>& params() const { return m_theta; }

    RowX<S> energy(const MatX<S>& X) const override;
    void energyAndGrad(const MatX<S>& X, RowX<S>& E, MatX<S>& G) const override;
    void jet(const MatX<S>& X, const std::vector<MatX<S>>& dirs, EnergyJet<S>& out,
             int secondOrder = -1) const override;
    S lossGrad(const MatX<S>& X, const std::vector<MatX<S>>& dirs, const LossHead<S>& head, VecX<S>& grad,
               int secondOrder = -1) const override;
    std::unique_ptr<EnergyModel<S>> clone() const override;

    /// The same network in another scalar type.
    template <typename T> ConvNet<T> cast() const {
        ConvNet<T> m(m_o);
        m.setParameters(m_theta.template cast<T>());
        return m;
    }

    /// Floating-point operations of one energy + input-gradient evaluation per image.
    double flopsEnergyGrad() const;

private:
    ConvNetOptions m_o;
    VecX<S> m_theta;
    std::vector<Geometry> m_geo;
    Index m_head = 0; // offset of w
    Index headSize() const;
    void buildLayout();
};

extern template class ConvNet<float>;
extern template class ConvNet<double>;

} // namespace ebm::core
