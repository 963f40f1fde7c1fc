#include "sessionrecords.h"

#include "workersettings.h"

namespace ebm::ui {

io::DrawingRecord toRecord(const core::DensityDrawing& d) {
    io::DrawingRecord r;
    r.box = d.box();
    r.cells = d.cells();
    r.paint = d.paint();
    for (const core::GaussianBlob& g : d.gaussians())
        r.gaussians.push_back({g.x, g.y, g.sigma, g.weight});
    return r;
}

io::DisplayRecord toRecord(const DisplaySettings& d) {
    io::DisplayRecord r;
    static_cast<io::DisplayLayers&>(r) = d;
    r.source = int(d.source);
    r.quantity = int(d.quantity);
    r.colorMap = int(d.colorMap);
    r.path = int(d.path);
    return r;
}

DisplaySettings displayFromRecord(const io::DisplayRecord& r) {
    DisplaySettings d;
    static_cast<io::DisplayLayers&>(d) = r;
    d.source = FieldSource(std::clamp(r.source, 0, 3));
    d.quantity = Quantity(std::clamp(r.quantity, 0, 3));
    d.colorMap = ColorMap(std::clamp(r.colorMap, 0, kColorMapCount - 1));
    d.path = EvalPath(std::clamp(r.path, 0, 2));
    return d;
}

} // namespace ebm::ui
