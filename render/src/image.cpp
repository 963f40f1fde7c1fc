#include <ebm/render/image.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ebm::render {

Image::Image(int w, int h) : width(std::max(0, w)), height(std::max(0, h)) {
    rgb.assign(std::size_t(width) * std::size_t(height) * 3, 0);
}

void Image::blend(int x, int y, float r, float g, float b, float a) {
    if (!contains(x, y) || !(a > 0)) return;
    a = std::min(a, 1.0f);
    std::uint8_t* p = pixel(x, y);
    const float src[3] = {r * a, g * a, b * a};
    for (int k = 0; k < 3; ++k) {
        const float v = src[k] * 255.0f + p[k] * (1.0f - a);
        p[k] = std::uint8_t(std::clamp(std::lround(v), 0L, 255L));
    }
}

double meanAbsDifference(const Image& a, const Image& b) {
    if (a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size()) return -1;
    if (a.rgb.empty()) return 0;
    double sum = 0;
    for (std::size_t i = 0; i < a.rgb.size(); ++i)
        sum += std::abs(int(a.rgb[i]) - int(b.rgb[i]));
    return sum / double(a.rgb.size());
}

} // namespace ebm::render
