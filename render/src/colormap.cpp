#include <ebm/render/colormap.h>

#include <ebm/core/types.h>

#include <algorithm>
#include <cmath>

namespace ebm::render {

namespace {
using Vec3 = std::array<double, 3>;

// Degree-6 polynomial fits of matplotlib's viridis and magma (Matt Zucker, CC0), max error < 1/255.
constexpr Vec3 kViridis[7] = {{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                              {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                              {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                              {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                              {6.228269936347081, 14.17993336680509, 56.69055260068105},
                              {4.776384997670288, -13.74514537774601, -65.35303263337234},
                              {-5.435455855934631, 4.645852612178535, 26.3124352495832}};
constexpr Vec3 kMagma[7] = {{-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
                            {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
                            {8.353717279216625, -3.577719514958484, 0.3144679030132573},
                            {-27.66873308576866, 14.26473078096533, -13.64921318813922},
                            {52.17613981234068, -27.94360607168351, 12.94416944238394},
                            {-50.76852536473588, 29.04658282127291, 4.23415299384598},
                            {18.65570506591883, -11.48977351997711, -5.601961508734096}};
// Moreland's cool-warm diverging map, sampled at 0, 1/8, ..., 1 (sRGB).
constexpr Vec3 kCoolWarm[9] = {{59, 76, 192},   {98, 130, 234},  {141, 176, 254},
                               {184, 208, 249}, {221, 221, 221}, {245, 196, 173},
                               {244, 154, 123}, {222, 96, 77},   {180, 4, 38}};

Rgb poly(const Vec3 (&c)[7], double t) {
    Vec3 r{};
    for (int k = 0; k < 3; ++k) {
        double v = c[6][k];
        for (int i = 5; i >= 0; --i)
            v = v * t + c[i][k];
        r[k] = std::clamp(v, 0.0, 1.0);
    }
    return {r[0], r[1], r[2]};
}

Rgb coolWarm(double t) {
    const double x = t * 8;
    const int i = std::clamp(int(x), 0, 7);
    const double f = x - i;
    Vec3 r{};
    for (int k = 0; k < 3; ++k)
        r[k] = ((1 - f) * kCoolWarm[i][k] + f * kCoolWarm[i + 1][k]) / 255.0;
    return {r[0], r[1], r[2]};
}

std::array<std::array<Rgb8, kColorTableSize>, kColorMapCount> makeTables() {
    std::array<std::array<Rgb8, kColorTableSize>, kColorMapCount> t{};
    for (int m = 0; m < kColorMapCount; ++m)
        for (int i = 0; i < kColorTableSize; ++i)
            t[size_t(m)][size_t(i)] = toRgb8(colorAt(ColorMap(m), i / 255.0));
    return t;
}
} // namespace

std::string colorMapKey(ColorMap m) {
    switch (m) {
    case ColorMap::Magma:
        return "magma";
    case ColorMap::CoolWarm:
        return "coolwarm";
    default:
        return "viridis";
    }
}

ColorMap parseColorMap(const std::string& key) {
    for (int i = 0; i < kColorMapCount; ++i)
        if (colorMapKey(ColorMap(i)) == key) return ColorMap(i);
    throw core::InvalidArgument("unknown colour map \"" + key + "\" (valid: viridis, magma, coolwarm)");
}

Rgb colorAt(ColorMap m, double t) {
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
    return m == ColorMap::Viridis ? poly(kViridis, t) : m == ColorMap::Magma ? poly(kMagma, t) : coolWarm(t);
}

Rgb8 toRgb8(const Rgb& c) {
    const auto q = [](double v) { return std::uint8_t(std::lround(std::clamp(v, 0.0, 1.0) * 255.0)); };
    return {q(c.r), q(c.g), q(c.b)};
}

const std::array<Rgb8, kColorTableSize>& colorTable(ColorMap m) {
    static const auto tables = makeTables();
    return tables[size_t(std::clamp(int(m), 0, kColorMapCount - 1))];
}

Rgb colorLookup(ColorMap m, double t) {
    const auto& tab = colorTable(m);
    const double x = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (kColorTableSize - 1);
    const int i = std::min(int(x), kColorTableSize - 2);
    const double f = x - i;
    const Rgb8 a = tab[size_t(i)], b = tab[size_t(i + 1)];
    return {((1 - f) * a.r + f * b.r) / 255.0, ((1 - f) * a.g + f * b.g) / 255.0,
            ((1 - f) * a.b + f * b.b) / 255.0};
}

} // namespace ebm::render
