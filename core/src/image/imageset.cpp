#include <ebm/core/imageset.h>

#include <algorithm>
#include <cmath>

namespace ebm::core {

void ImageSet::validate() const {
    if (width < 1 || height < 1 || width > 4096 || height > 4096)
        throw InvalidArgument("image set: width and height must be in 1..4096, got " + std::to_string(width) +
                              " x " + std::to_string(height));
    if (pixels.rows() != Index(width) * height)
        throw InvalidArgument("image set: " + std::to_string(pixels.rows()) + " pixel rows for " +
                              std::to_string(width) + " x " + std::to_string(height) + " images");
    if (!labels.empty() && Index(labels.size()) != pixels.cols())
        throw InvalidArgument("image set: " + std::to_string(labels.size()) + " labels for " +
                              std::to_string(pixels.cols()) + " images");
    for (int l : labels)
        if (l < 0 || l >= numClasses())
            throw InvalidArgument("image set: label " + std::to_string(l) + " outside 0.." +
                                  std::to_string(numClasses() - 1));
    if (!pixels.allFinite() || (pixels.size() > 0 && (pixels.minCoeff() < 0.0f || pixels.maxCoeff() > 1.0f)))
        throw InvalidArgument("image set: pixel values must be finite and in [0, 1]");
}

namespace {
// Weights of the input cells [i, i + 1) overlapping output cell [o · r, (o + 1) · r), r = in / out.
struct Tap {
    int index;
    float weight;
};
std::vector<std::vector<Tap>> areaTaps(int in, int out) {
    std::vector<std::vector<Tap>> taps(out);
    const double r = double(in) / out;
    for (int o = 0; o < out; ++o) {
        const double a = o * r, b = (o + 1) * r;
        for (int i = int(std::floor(a)); i < int(std::ceil(b)) && i < in; ++i) {
            const double overlap = std::min(b, double(i + 1)) - std::max(a, double(i));
            if (overlap > 1e-12) taps[o].push_back({i, float(overlap / r)});
        }
    }
    return taps;
}
} // namespace

ImageSet resizeImages(const ImageSet& s, int w, int h) {
    s.validate();
    if (w < 1 || h < 1 || w > 256 || h > 256)
        throw InvalidArgument("image size must be in 1..256 pixels, got " + std::to_string(w) + " x " +
                              std::to_string(h));
    ImageSet out;
    out.width = w;
    out.height = h;
    out.labels = s.labels;
    out.classNames = s.classNames;
    if (w == s.width && h == s.height) {
        out.pixels = s.pixels;
        return out;
    }
    const auto tx = areaTaps(s.width, w), ty = areaTaps(s.height, h);
    out.pixels.resize(Index(w) * h, s.size());
    for (Index n = 0; n < s.size(); ++n)
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                float v = 0;
                for (const Tap& a : ty[y])
                    for (const Tap& b : tx[x])
                        v += a.weight * b.weight * s.pixels(Index(a.index) * s.width + b.index, n);
                out.pixels(Index(y) * w + x, n) = std::clamp(v, 0.0f, 1.0f);
            }
    return out;
}

ImageSet subsetImages(const ImageSet& s, Index begin, Index count) {
    if (begin < 0 || count < 0 || begin + count > s.size())
        throw InvalidArgument("image subset [" + std::to_string(begin) + ", " +
                              std::to_string(begin + count) + ") is outside the " + std::to_string(s.size()) +
                              " images");
    ImageSet out;
    out.width = s.width;
    out.height = s.height;
    out.classNames = s.classNames;
    out.pixels = s.pixels.middleCols(begin, count);
    if (!s.labels.empty()) out.labels.assign(s.labels.begin() + begin, s.labels.begin() + begin + count);
    return out;
}

std::vector<unsigned char> tileImages(const Matf& images, int w, int h, int rows, int cols, int gap,
                                      int& outWidth, int& outHeight) {
    if (w < 1 || h < 1 || rows < 1 || cols < 1 || gap < 0 || images.rows() != Index(w) * h)
        throw InvalidArgument("tileImages: inconsistent image size or grid shape");
    outWidth = cols * (w + gap) + gap;
    outHeight = rows * (h + gap) + gap;
    std::vector<unsigned char> px(size_t(outWidth) * outHeight, 96);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const Index n = Index(r) * cols + c;
            if (n >= images.cols()) continue;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const float v = images(Index(y) * w + x, n);
                    const float cl = std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : 0.0f;
                    px[size_t(gap + r * (h + gap) + y) * outWidth + gap + c * (w + gap) + x] =
                        (unsigned char)std::lround(cl * 255.0f);
                }
        }
    return px;
}

} // namespace ebm::core
