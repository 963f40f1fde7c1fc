// checkerboard: uniform over the 8 dark unit squares of a 4 x 4 board covering [-2, 2]².
#include "presetbase.h"

#include <algorithm>

namespace ebm::core::density_detail {
namespace {

// Square [i, i+1) x [j, j+1), i, j in {-2, -1, 0, 1}, is dark when i + j is even (as in FFJORD's
// generator). Each dark square holds mass 1/8, so the density there is 1/8.
bool isDark(double x, double y) {
    if (!(x >= -2.0 && x < 2.0 && y >= -2.0 && y < 2.0)) return false;
    const int i = int(std::floor(x)), j = int(std::floor(y));
    return ((i + j) & 1) == 0;
}

class Checkerboard final : public PresetClone<Checkerboard> {
public:
    Checkerboard() : PresetClone("checkerboard") {}

protected:
    void evalLogDensity(const Matd& X, Rowd& out) const override {
        const double logInside = -std::log(8.0);
        for (Index j = 0; j < X.cols(); ++j)
            out(j) = isDark(X(0, j), X(1, j)) ? logInside : kNegInf;
    }

    void draw(Matd& out, Rng& rng) const override {
        std::uniform_real_distribution<double> ud(0.0, 1.0);
        for (Index j = 0; j < out.cols(); ++j) {
            // Pick one of the 8 dark squares: column i (4 choices), then one of the two dark rows in it.
            const int c = std::min(7, int(ud(rng) * 8.0));
            const int i = c / 2 - 2;
            const int jLow = ((i & 1) == 0) ? -2 : -1; // lowest dark row of column i
            const int row = jLow + 2 * (c % 2);
            const double u = ud(rng), v = ud(rng);
            out(0, j) = i + u;
            out(1, j) = row + v;
        }
    }
};

} // namespace

std::unique_ptr<TargetDensity> makeCheckerboard() {
    return std::make_unique<Checkerboard>();
}

} // namespace ebm::core::density_detail
