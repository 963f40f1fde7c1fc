#pragma once
/// @file imagequality.h
/// Sample-quality figures for image EBMs: a k-nearest-neighbour classifier fitted on labelled data
/// assigns each model sample a class and a vote (the share of its k neighbours in that class). A sample is
/// "confident" when the vote is at least `minVote` (the classifier check), and "confident and near"
/// when, besides, it lies as close to the data as typical held-out images do (its nearest-neighbour
/// distance is at most the `distanceQuantile` quantile of held-out images'): pixel-space k-NN alone calls
/// blank or blob-like images confident members of the class of the thinnest digits.
#include <ebm/core/imageset.h>
#include <ebm/core/model.h>

namespace ebm::core {

struct KnnPrediction {
    std::vector<int> label;      ///< majority class per sample
    std::vector<float> vote;     ///< fraction of the k neighbours with that class
    std::vector<float> distance; ///< Euclidean distance to the nearest training image
};

class KnnClassifier {
public:
    /// train must be labelled (throws InvalidArgument otherwise); k in 1..100.
    KnnClassifier(const ImageSet& train, int k = 10);
    KnnPrediction predict(const Matf& X) const; ///< X: d x n
    int numClasses() const { return m_classes; }

private:
    Matf m_x;
    Rowf m_norm2;
    std::vector<int> m_labels;
    int m_k, m_classes;
};

struct SampleQuality {
    Index samples = 0;
    double confidentFraction = 0;     ///< share of samples with vote >= minVote
    double confidentNearFraction = 0; ///< share with vote >= minVote that are also near the data
    int distinctClasses = 0;          ///< classes among the confident samples
    std::vector<int> classCounts;     ///< confident samples per class
    double distanceThreshold = 0;     ///< the held-out nearest-neighbour distance quantile used
    double meanEnergyHeldOut = 0;     ///< mean E over held-out data
    double meanEnergyNoise = 0;       ///< mean E over uniform noise images
    double meanEnergySamples = 0;     ///< mean E over the samples
};

/// Classifies samples with a classifier fitted on `train`, the threshold from `heldOut`; energies from model.
/// noiseSeed seeds the uniform-noise images (as many as held-out images).
SampleQuality assessSamples(const EnergyModel<float>& model, const KnnClassifier& knn,
                            const ImageSet& heldOut, const Matf& samples, std::uint64_t noiseSeed,
                            float minVote = 0.8f, double distanceQuantile = 0.95);

} // namespace ebm::core
