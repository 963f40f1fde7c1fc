// libFuzzer target for the Draw pane's formula box (ui::checkFormula and ui::rasterFromFormula, muparser).
// The input is the formula. A refusal is a FormulaCheck with a message or a DrawingError; an accepted
// formula gives a raster with values in [0, 1] and a maximum of 1. libFuzzer's -timeout catches a formula
// that makes the parser or the grid's evaluation hang.
#include "drawingsources.h"
#include "fuzzing.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QString expr = QString::fromUtf8(reinterpret_cast<const char*>(data), qsizetype(size));
    const ebm::ui::FormulaCheck c = ebm::ui::checkFormula(expr);
    if (!c.ok) {
        if (c.message.isEmpty()) ebm::fuzz::broken("a refused formula without a message");
        return 0;
    }
    ebm::core::DensityDrawing::Raster r;
    try {
        r = ebm::ui::rasterFromFormula(expr, ebm::core::Box{}, 16);
    } catch (const ebm::ui::DrawingError& e) {
        if (!*e.what()) ebm::fuzz::broken("a refused formula without a message");
        return 0;
    }
    if (r.rows() != 16 || r.cols() != 16 || !(r.minCoeff() >= 0) || !(r.maxCoeff() <= 1))
        ebm::fuzz::broken("a formula's raster outside [0, 1]");
    return 0;
}
