#pragma once
/// @file flops.h
/// Analytic FLOP counts of one training step (docs/bench.md). Only the matrix products are counted,
/// each m x k times k x n product as 2·m·n·k; elementwise work (activations, tangent products, the
/// optimiser) is not. Counted is the work a method NEEDS in the forward-tangent formulation of
/// docs/math.md, not whatever an implementation happens to compute, so redundant work lowers GFLOP/s.
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
};

/// E for w columns: Σ_l 2·w·n_l·n_{l−1} (W_l h) + 2·w·n_L (head wᵀh).
double flopsForward(const core::MlpOptions& a, core::Index w);
/// E and ∇ₓE for w columns: the forward pass plus the reverse pass W_lᵀ d_l for l = L..1.
double flopsEnergyGrad(const core::MlpOptions& a, core::Index w);
/// Parameter gradient of a loss on the forward program with `blocks` column blocks of n columns each
/// ([h | ḣ_k | ḧ_k], width w = n·blocks): forward (as flopsForward at width w), head adjoints
/// (ins_L·seedᵀ and w·seed, 2·w·n_L each), per layer ∂W_l = z̄_l·ins_lᵀ and, for l ≥ 2, W_lᵀ z̄_l.
double flopsLossGrad(const core::MlpOptions& a, core::Index n, int blocks);

/// Column blocks each objective needs in the forward-tangent formulation (d = input dimension):
/// exact SM 1 + 2d (first and second derivative along each axis); sliced SM 1 + 2 (along v) plus d
/// first-order axis tangents when variance-reduced (½‖∇E‖²); DSM 1 + d (first derivatives only, on
/// batch · dsmDraws noisy points); CD and NCE 1 (energies only).
int lossBlocks(core::Method m, const core::TrainerOptions& o);

/// The work of one step of method m with the given options. negatives = CD's negative batch (the
/// sampler advances them cd.steps times: ULA/MALA need ∇E at each of the K states they move from,
/// HMC L gradients per step, MH K energies), noise = NCE's noise batch.
StepWork stepWork(core::Method m, const core::TrainerOptions& o, core::Index negatives, core::Index noise);

} // namespace ebm::bench
