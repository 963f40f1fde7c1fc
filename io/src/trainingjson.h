#pragma once
// The parts of the session files that every trainer configuration shares (internal to ebm::io): the
// method hyperparameters, written and read generically by each objective's schema; the optimiser's
// options; the training state (θ, optimiser moments, replay buffer, steps, generator).
#include "jsonreader.h"

#include <ebm/core/modeltrainer.h>
#include <ebm/core/sampler.h>

#include <nlohmann/json.hpp>

namespace ebm::io::detail {

using ojson = nlohmann::ordered_json;

/// {"cd": {"energy_reg": 0.07, ...}, "ssm": {"projection": "rademacher", ...}, ...}: every method's
/// values by its schema (flags as booleans, choices by name).
ojson methodsJson(const core::MethodParams& p);
/// Reads methodsJson's object into p (which holds the defaults): every method and key must be known to
/// the registry for p's model kind and every value in its schema's range; a method or key the file does
/// not mention keeps its default.
void readMethods(const Reader& r, core::MethodParams& p);
/// The method's name: a registered objective that supports kind.
std::string readMethodName(const Reader& r, const char* key, core::ModelKind kind);

/// The options every trainer configuration shares, written into out: method, seed, batch_size, optimizer,
/// divergence_limit, lr_decay_steps, lr_final_factor (the methods' hyperparameters: methodsJson).
void writeCommonOptions(const core::TrainingOptions& o, ojson& out);
/// Reads them for a model kind (batch sizes up to maxBatch).
void readCommonOptions(const Reader& r, core::ModelKind kind, core::Index maxBatch, core::TrainingOptions& o);

ojson optimizerJson(const core::OptimizerOptions& o);
core::OptimizerOptions readOptimizer(const Reader& r);
ojson samplerJson(const core::SamplerOptions& s);
core::SamplerOptions readSampler(const Reader& r);

/// theta, log_z_estimate, optimizer {t, m, v}, buffer_size, buffer, step, phase_start, rng.
void writeTrainingState(const core::TrainingState& s, ojson& out);
/// Reads them for a model of n parameters and a buffer of rows x bufferSize (both already checked).
void readTrainingState(const Reader& r, core::Index n, core::Index rows, core::Index bufferSize,
                       core::TrainingState& s);

} // namespace ebm::io::detail
