#pragma once
/// @file flops.h
/// FLOP counts of one training step (docs/bench.md). Only the matrix products are counted, each m x k times
/// k x n product as 2·m·n·k; elementwise work (activations, tangent products, the optimiser) is not.
/// Counted is the work a method NEEDS in the forward-tangent formulation of docs/math.md, not whatever an
/// implementation happens to compute, so redundant work lowers GFLOP/s. Nothing here knows a method by
/// name: the loss's passes are read from the calls the objective makes on the model (their widths,
/// directions and derivative orders), the negatives' sampler work from the objective's needs and the chains.
#include <ebm/core/trainer.h>

#include <vector>

namespace ebm::bench {

/// FLOPs done as products with `width` batch columns (the shape that decides GEMM efficiency).
struct GemmWork {
    core::Index width = 0;
    double flops = 0;
};

/// The GEMM work of one step, by batch width.
struct StepWork {
    std::vector<GemmWork> parts;
    double flops() const;
    /// Adds flops at width (merged with an existing part of the same width).
    void add(core::Index width, double flops);
};

/// E for w columns: Σ_l 2·w·n_l·n_{l−1} (W_l h) + 2·w·n_L (head wᵀh).
double flopsForward(const core::MlpOptions& a, core::Index w);
/// E and ∇ₓE for w columns: the forward pass plus the reverse pass W_lᵀ d_l for l = L..1.
double flopsEnergyGrad(const core::MlpOptions& a, core::Index w);
/// Parameter gradient of a loss on the forward program with `blocks` column blocks of n columns each
/// ([h | ḣ_k | ḧ_k], width w = n·blocks): forward (as flopsForward at width w), head adjoints
/// (ins_L·seedᵀ and w·seed, 2·w·n_L each), per layer ∂W_l = z̄_l·ins_lᵀ and, for l ≥ 2, W_lᵀ z̄_l.
double flopsLossGrad(const core::MlpOptions& a, core::Index n, int blocks);

/// Column blocks of a loss-gradient call with `directions` tangent directions, of which `secondOrder`
/// carry second derivatives (−1 = all, as EnergyModel::lossGrad): 1 (energies) + directions (first
/// derivatives) + the second-order ones. E.g. exact SM on the d axes: 1 + 2d; sliced SM along v with the
/// d axes for ½‖∇E‖² and second order along v only: 1 + (1 + d) + 1; DSM 1 + d; CD and NCE 1.
int lossBlocks(core::Index directions, int secondOrder);

/// The sampler work of advancing `negatives` chains for one step with options chains: ULA/MALA need ∇E at
/// each of the K states they move from, HMC K·L gradients, random-walk MH K energies.
double flopsChains(const core::ChainOptions& chains, const core::MlpOptions& a, core::Index negatives);

/// The work of one step of the trainer's current method, at its current options and state: one loss
/// evaluation is run on copies (model, domain, generator) with the model calls recorded — the trainer is
/// not changed. Sets negatives / noise to the sizes of the negative and noise batches the loss used.
StepWork stepWork(const core::Trainer& trainer, core::Index* negatives = nullptr,
                  core::Index* noise = nullptr);

} // namespace ebm::bench
