// Names, parsing and validation of the trainer's options.
#include <ebm/core/trainer.h>

#include <cmath>

namespace ebm::core {

namespace {
bool positive(float v) {
    return std::isfinite(v) && v > 0;
}
} // namespace

std::string methodName(Method m) {
    switch (m) {
    case Method::ContrastiveDivergence:
        return "cd";
    case Method::ExactScoreMatching:
        return "sm";
    case Method::SlicedScoreMatching:
        return "ssm";
    case Method::DenoisingScoreMatching:
        return "dsm";
    case Method::NoiseContrastive:
        return "nce";
    }
    return "?";
}

std::string methodLabel(Method m) {
    switch (m) {
    case Method::ContrastiveDivergence:
        return "Contrastive divergence";
    case Method::ExactScoreMatching:
        return "Exact score matching";
    case Method::SlicedScoreMatching:
        return "Sliced score matching";
    case Method::DenoisingScoreMatching:
        return "Denoising score matching";
    case Method::NoiseContrastive:
        return "Noise-contrastive estimation";
    }
    return "?";
}

Method parseMethod(const std::string& name) {
    for (Method m : {Method::ContrastiveDivergence, Method::ExactScoreMatching, Method::SlicedScoreMatching,
                     Method::DenoisingScoreMatching, Method::NoiseContrastive})
        if (methodName(m) == name) return m;
    throw InvalidArgument("unknown method \"" + name + "\" (use cd, sm, ssm, dsm or nce)");
}

std::string nceNoiseName(NceNoise n) {
    return n == NceNoise::Gaussian ? "gaussian" : "uniform";
}

NceNoise parseNceNoise(const std::string& s) {
    if (s == "gaussian") return NceNoise::Gaussian;
    if (s == "uniform") return NceNoise::Uniform;
    throw InvalidArgument("unknown NCE noise \"" + s + "\" (use gaussian or uniform)");
}

void CdOptions::validate() const {
    sampler.validate();
    if (steps < 1 || steps > 10000) throw InvalidArgument("CD sampler steps K must be in 1..10000");
    if (bufferSize < 1 || bufferSize > 10'000'000)
        throw InvalidArgument("CD replay buffer size must be in 1..10^7");
    if (!(restartFraction >= 0 && restartFraction <= 1))
        throw InvalidArgument("CD restart fraction must be between 0 and 1");
    if (!(restartFromData >= 0 && restartFromData <= 1))
        throw InvalidArgument("CD restart-from-data fraction must be between 0 and 1");
    if (!(energyReg >= 0 && std::isfinite(energyReg)))
        throw InvalidArgument("CD energy regulariser must be >= 0");
    if (!(learningRateScale > 0 && learningRateScale <= 1000))
        throw InvalidArgument("CD learning-rate scale must be in (0, 1000]");
}

void SmOptions::validate() const {
    if (!positive(dsmSigma)) throw InvalidArgument("denoising score matching sigma must be > 0");
    if (dsmDraws < 1 || dsmDraws > 64)
        throw InvalidArgument("denoising score matching draws must be in 1..64");
    if (ssmSlices < 1 || ssmSlices > 64)
        throw InvalidArgument("sliced score matching slices must be in 1..64");
}

void NceOptions::validate() const {
    if (!positive(noiseRatio) || noiseRatio > 64) throw InvalidArgument("NCE noise ratio must be in (0, 64]");
    if (!positive(noiseScale)) throw InvalidArgument("NCE noise scale must be > 0");
}

void TrainerOptions::validate() const {
    if (batchSize < 1 || batchSize > 1'000'000) throw InvalidArgument("batch size must be in 1..10^6");
    model.validate();
    if (model.inputDim != 2) throw InvalidArgument("the 2D trainer needs a model with input dimension 2");
    optimizer.validate();
    cd.validate();
    sm.validate();
    nce.validate();
    if (!box.valid()) throw InvalidArgument("the training box must have x0 < x1 and y0 < y1");
    if (!positive(divergenceLimit)) throw InvalidArgument("divergence limit must be > 0");
    if (lrDecaySteps < 0) throw InvalidArgument("learning-rate decay steps must be >= 0 (0 = constant)");
    if (!(lrFinalFactor > 0 && lrFinalFactor <= 1))
        throw InvalidArgument("learning-rate final factor must be in (0, 1]");
}

} // namespace ebm::core
