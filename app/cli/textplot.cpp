#include "textplot.h"

#include <algorithm>
#include <cmath>

namespace ebm::cli {

std::string textPlot(const core::EnergyModel<float>& model, const core::TargetDensity& target,
                     const core::Box& box, int rows, int cols) {
    // Each character shows the mean density over 3 x 3 sample points of its cell, so narrow modes
    // are neither missed nor exaggerated by where the cell centre happens to fall.
    constexpr int kSub = 3;
    const int R = rows * kSub, C = cols * kSub;
    const core::Index n = core::Index(R) * C;
    core::Matd P(2, n); // row-major over the picture, top row first (largest y)
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c) {
            P(0, r * C + c) = box.x0 + (c + 0.5) * box.width() / C;
            P(1, r * C + c) = box.y1 - (r + 0.5) * box.height() / R;
        }
    const core::Rowf e = model.energy(P.cast<float>());
    const Eigen::ArrayXd lmFine = -e.transpose().cast<double>().array();
    const Eigen::ArrayXd ltFine = target.logDensity(P).transpose().array();
    const auto cellMeans = [&](const Eigen::ArrayXd& logp) {
        double mx = -INFINITY;
        for (double v : logp)
            if (std::isfinite(v)) mx = std::max(mx, v);
        Eigen::ArrayXd out = Eigen::ArrayXd::Zero(core::Index(rows) * cols);
        if (!std::isfinite(mx)) return out;
        for (int r = 0; r < R; ++r)
            for (int c = 0; c < C; ++c) {
                const double v = logp(r * C + c);
                if (std::isfinite(v)) out((r / kSub) * cols + c / kSub) += std::exp(v - mx);
            }
        const double top = out.maxCoeff();
        if (top > 0) out /= top;
        return out;
    };
    const Eigen::ArrayXd lm = cellMeans(lmFine);
    const Eigen::ArrayXd lt = cellMeans(ltFine);
    static const std::string ramp = " .:-=+*#%@";
    const auto ch = [&](double v) {
        // A square-root scale shows the tails as well as the peaks.
        const int k = std::clamp(int(std::sqrt(v) * double(ramp.size() - 1) + 0.5), 0, int(ramp.size()) - 1);
        return ramp[size_t(k)];
    };
    std::string out = "model exp(-E)" + std::string(size_t(cols) - 13 + 4, ' ') + "target p\n";
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c)
            out += ch(lm(r * cols + c));
        out += "    ";
        for (int c = 0; c < cols; ++c)
            out += ch(lt(r * cols + c));
        out += "\n";
    }
    return out;
}

} // namespace ebm::cli
