#include "sessionrecords.h"

#include "workersettings.h"

namespace ebm::ui {

io::DrawingRecord toRecord(const DensityDrawing& d) {
    io::DrawingRecord r;
    r.box = d.box();
    r.cells = d.cells();
    r.paint = d.paint();
    for (const GaussianBlob& g : d.gaussians())
        r.gaussians.push_back({g.x, g.y, g.sigma, g.weight});
    return r;
}

io::DisplayRecord toRecord(const DisplaySettings& d) {
    io::DisplayRecord r;
    r.source = int(d.source);
    r.quantity = int(d.quantity);
    r.colorMap = int(d.colorMap);
    r.path = int(d.path);
    r.landscape = d.landscape;
    r.contours = d.contours;
    r.vectorField = d.vectorField;
    r.particles = d.particles;
    r.trails = d.trails;
    r.data = d.data;
    r.methodView = d.methodView;
    return r;
}

DisplaySettings displayFromRecord(const io::DisplayRecord& r) {
    DisplaySettings d;
    d.source = FieldSource(std::clamp(r.source, 0, 3));
    d.quantity = Quantity(std::clamp(r.quantity, 0, 3));
    d.colorMap = ColorMap(std::clamp(r.colorMap, 0, kColorMapCount - 1));
    d.path = EvalPath(std::clamp(r.path, 0, 2));
    d.landscape = r.landscape;
    d.contours = r.contours;
    d.vectorField = r.vectorField;
    d.particles = r.particles;
    d.trails = r.trails;
    d.data = r.data;
    d.methodView = r.methodView;
    return d;
}

} // namespace ebm::ui
