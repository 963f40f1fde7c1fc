#pragma once
/// @file sampler.h
/// MCMC samplers over a batch of particles (one per column), all targeting p ∝ exp(−β E).
/// Conventions: docs/math.md. State lives in ParticleSet, never in statics.
#include <ebm/core/model.h>
#include <memory>
#include <string>

namespace ebm::core {

/// A batch of particles with cached energies/gradients (valid for the model they were computed with).
struct ParticleSet {
    Matf x;                  ///< d x n positions
    Rowf energy;             ///< 1 x n, E(x) (valid when cacheValid)
    Matf grad;               ///< d x n, ∇ₓE(x) (valid when cacheValid and the sampler uses gradients)
    bool cacheValid = false; ///< set false whenever x or the model changes outside a sampler
    /// false when the caller takes only x after a run (MCMC negatives): ULA then skips E and ∇E at the
    /// final state, one of its K + 1 gradient passes, and leaves the cache invalid.
    bool cacheAfterRun = true;
    void invalidate() { cacheValid = false; }
    Index size() const { return x.cols(); }
};

/// What one call to Sampler::run did.
struct SamplerStats {
    double acceptRate = 1.0; ///< accepted proposals / proposals (1 for ULA)
    Index proposals = 0;
};

enum class SamplerKind { RandomWalkMH, Langevin, Mala, Hmc };
/// "mh", "ula", "mala", "hmc"
std::string samplerKindName(SamplerKind k);
/// Parses "mh" | "ula" | "mala" | "hmc"; throws InvalidArgument listing the names otherwise.
SamplerKind parseSamplerKind(const std::string& name);

struct SamplerOptions {
    SamplerKind kind = SamplerKind::Langevin;
    float beta = 1.0f;      ///< inverse temperature β > 0
    float stepSize = 0.01f; ///< ε for ULA/MALA/HMC, in squared data units for ULA/MALA (x' = x − εβ∇E +
                            ///< √(2ε)ξ), in data units for HMC's leapfrog
    float mhSigma = 0.1f;  ///< random-walk proposal std (data units), MH only
    int leapfrogSteps = 5; ///< L, HMC only
    void validate() const; ///< throws InvalidArgument on non-positive/NaN values
    bool operator==(const SamplerOptions&) const = default;
};

/// Base class: run(model, particles, steps, rng) advances every particle `steps` times.
class Sampler {
public:
    virtual ~Sampler() = default;
    virtual SamplerStats run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const = 0;
    virtual SamplerKind kind() const = 0;
};

/// Creates the sampler for options.kind (options validated).
std::unique_ptr<Sampler> makeSampler(const SamplerOptions& options);

class RandomWalkMetropolis : public Sampler {
public:
    explicit RandomWalkMetropolis(SamplerOptions o);
    SamplerStats run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const override;
    SamplerKind kind() const override { return SamplerKind::RandomWalkMH; }

private:
    SamplerOptions m_o;
};

class Langevin : public Sampler {
public:
    explicit Langevin(SamplerOptions o);
    SamplerStats run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const override;
    SamplerKind kind() const override { return SamplerKind::Langevin; }

private:
    SamplerOptions m_o;
};

class Mala : public Sampler {
public:
    explicit Mala(SamplerOptions o);
    SamplerStats run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const override;
    SamplerKind kind() const override { return SamplerKind::Mala; }

private:
    SamplerOptions m_o;
};

class Hmc : public Sampler {
public:
    explicit Hmc(SamplerOptions o);
    SamplerStats run(const EnergyModel<float>& model, ParticleSet& p, int steps, Rng& rng) const override;
    SamplerKind kind() const override { return SamplerKind::Hmc; }

private:
    SamplerOptions m_o;
};

} // namespace ebm::core
