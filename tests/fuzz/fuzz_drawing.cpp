// libFuzzer target for a drawing on its own (ui::loadDrawing: ebmlab --drawing FILE, the Draw pane's
// Import): NAME.json and the paint image beside it, here "paint.png". The input is the JSON, then
// "\n--8<--\n", then the PNG. A loader refusal is a DrawingError; an accepted drawing must save and load
// again to the same box, paint and Gaussians.
#include "drawingfile.h"
#include "drawingsources.h"
#include "fuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parts =
        ebm::fuzz::split(std::string_view(reinterpret_cast<const char*>(data), size), "\n--8<--\n");
    const auto dir = ebm::fuzz::scratchDir();
    ebm::fuzz::writeBytes(dir / "drawing.json", parts[0]);
    if (parts.size() > 1) ebm::fuzz::writeBytes(dir / "paint.png", parts[1]);
    const QString json = QString::fromStdString((dir / "drawing.json").string());
    ebm::core::DensityDrawing d;
    try {
        d = ebm::ui::loadDrawing(json);
    } catch (const ebm::ui::DrawingError&) {
        return 0;
    }
    const QString again = QString::fromStdString((dir / "again" / "again.json").string());
    std::filesystem::create_directories(dir / "again");
    ebm::ui::saveDrawing(d, again);
    if (!(ebm::ui::loadDrawing(again) == d))
        ebm::fuzz::broken("a drawing does not survive its own round trip");
    return 0;
}
