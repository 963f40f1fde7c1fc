#include <ebm/core/imagequality.h>

#include <algorithm>
#include <cmath>

namespace ebm::core {

KnnClassifier::KnnClassifier(const ImageSet& train, int k) : m_k(k), m_classes(train.numClasses()) {
    train.validate();
    if (train.labels.empty() || m_classes < 1)
        throw InvalidArgument("the sample-quality classifier needs labelled data (classes)");
    if (k < 1 || k > 100 || k > train.size())
        throw InvalidArgument("k-NN: k must be in 1..min(100, number of images)");
    m_x = train.pixels;
    m_norm2 = m_x.colwise().squaredNorm();
    m_labels = train.labels;
}

KnnPrediction KnnClassifier::predict(const Matf& X) const {
    if (X.rows() != m_x.rows()) throw InvalidArgument("k-NN: samples have the wrong number of pixels");
    KnnPrediction p;
    const Index n = X.cols();
    p.label.resize(size_t(n));
    p.vote.resize(size_t(n));
    p.distance.resize(size_t(n));
    // Squared distances ‖t‖² + ‖x‖² − 2 tᵀx, one GEMM (train x samples).
    Matf D = (-2.0f * (m_x.transpose() * X)).colwise() + m_norm2.transpose();
    D.rowwise() += X.colwise().squaredNorm();
    std::vector<Index> idx(size_t(m_x.cols()));
    for (Index j = 0; j < n; ++j) {
        for (size_t i = 0; i < idx.size(); ++i)
            idx[i] = Index(i);
        std::partial_sort(idx.begin(), idx.begin() + m_k, idx.end(),
                          [&](Index a, Index b) { return D(a, j) < D(b, j); });
        std::vector<int> votes(size_t(m_classes), 0);
        for (int t = 0; t < m_k; ++t)
            ++votes[size_t(m_labels[size_t(idx[size_t(t)])])];
        const auto best = std::max_element(votes.begin(), votes.end());
        p.label[size_t(j)] = int(best - votes.begin());
        p.vote[size_t(j)] = float(*best) / float(m_k);
        p.distance[size_t(j)] = std::sqrt(std::max(0.0f, D(idx[0], j)));
    }
    return p;
}

SampleQuality assessSamples(const EnergyModel<float>& model, const KnnClassifier& knn,
                            const ImageSet& heldOut, const Matf& samples, std::uint64_t noiseSeed,
                            float minVote, double distanceQuantile) {
    if (heldOut.size() < 1 || samples.cols() < 1)
        throw InvalidArgument("assessSamples: empty held-out set or samples");
    if (!(distanceQuantile > 0 && distanceQuantile <= 1))
        throw InvalidArgument("assessSamples: bad quantile");
    SampleQuality q;
    q.samples = samples.cols();
    KnnPrediction h = knn.predict(heldOut.pixels);
    std::vector<float> dist = h.distance;
    std::sort(dist.begin(), dist.end());
    q.distanceThreshold =
        dist[std::min(dist.size() - 1, size_t(distanceQuantile * double(dist.size() - 1) + 0.5))];
    const KnnPrediction s = knn.predict(samples);
    q.classCounts.assign(size_t(knn.numClasses()), 0);
    Index confident = 0, near = 0;
    for (Index j = 0; j < samples.cols(); ++j)
        if (s.vote[size_t(j)] >= minVote) {
            ++confident;
            ++q.classCounts[size_t(s.label[size_t(j)])];
            if (s.distance[size_t(j)] <= q.distanceThreshold) ++near;
        }
    q.confidentFraction = double(confident) / double(samples.cols());
    q.confidentNearFraction = double(near) / double(samples.cols());
    q.distinctClasses =
        int(std::count_if(q.classCounts.begin(), q.classCounts.end(), [](int c) { return c > 0; }));
    Rng rng(noiseSeed);
    Matf noise(heldOut.dim(), heldOut.size());
    fillUniform(noise, rng);
    q.meanEnergyHeldOut = model.energy(heldOut.pixels).cast<double>().mean();
    q.meanEnergyNoise = model.energy(noise).cast<double>().mean();
    q.meanEnergySamples = model.energy(samples).cast<double>().mean();
    return q;
}

} // namespace ebm::core
