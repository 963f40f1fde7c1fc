#pragma once
/// @file imageflops.h
/// FLOP counts of one image training step (`ebmlab-cli bench --images`, docs/bench.md "Image step"): the
/// same rules as flops.h (matrix products only, 2·m·n·k each, the work a pass needs), with a conv layer's
/// product counted as the im2col GEMM (C_out x 9·C_in)·(9·C_in x P_out) per image.
#include <ebm/bench/flops.h>
#include <ebm/core/imagetrainer.h>

namespace ebm::bench {

/// Multiply-adds per image: all layers (P), the first layer (P1), and the head's input size (H). A conv
/// layer l has P_out·C_out·9·C_in, an MLP layer n_l·n_{l−1}.
struct ImageDims {
    double P = 0, P1 = 0, H = 0;
};
ImageDims imageDims(const core::ImageTrainerOptions& o);

/// One representative GEMM per layer: (rows x inner)·(inner x colsPerImage·B), B the batch.
struct LayerGemm {
    core::Index rows = 0, inner = 0, colsPerImage = 0;
    double flopsPerImage = 0; ///< 2·rows·inner·colsPerImage
};
std::vector<LayerGemm> imageLayerGemms(const core::ImageTrainerOptions& o);

/// The passes (and widths, in images) that one step of the trainer's current method asks the model for,
/// its sampler chains included: one loss evaluation is run on copies of the model, domain and generator
/// with every model call recorded (the chains call the model themselves, so their ∇ₓE passes are
/// recorded too); the trainer is not changed. Sets negatives to the number of negatives the loss drew.
StepWork imageStepWork(const core::ImageTrainer& trainer, core::Index* negatives = nullptr);

} // namespace ebm::bench
