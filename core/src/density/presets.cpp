// The preset registry: names in display order, one-line descriptions, construction by name.
#include "presetbase.h"

#include <array>

namespace ebm::core {
namespace {

struct PresetEntry {
    const char* name;
    const char* description;
    std::unique_ptr<TargetDensity> (*make)();
};

using namespace density_detail;

const std::array<PresetEntry, 11>& registry() {
    static const std::array<PresetEntry, 11> entries{{
        {"eight-gaussians", "8 Gaussians (sd 0.2) equally weighted on a circle of radius 2",
         makeEightGaussians},
        {"checkerboard", "uniform over the 8 dark unit squares of a 4x4 board on [-2, 2]²", makeCheckerboard},
        {"two-spirals", "two interleaved 1.5-turn spirals with Gaussian noise (sd 0.1)", makeTwoSpirals},
        {"rings", "4 concentric circles (radii 0.75 to 3) with Gaussian noise (sd 0.08)", makeRings},
        {"two-moons", "sklearn's two moons (noise 0.1), scaled by 2", makeTwoMoons},
        {"pinwheel", "5 curved arms of a pinwheel with Gaussian noise (sd 0.2)", makePinwheel},
        {"swiss-roll", "2D swiss roll (1.5 turns) with Gaussian noise (sd 0.2)", makeSwissRoll},
        {"banana", "Rosenbrock-style banana: x2 | x1 Gaussian around 0.35(x1² - 1.21)", makeBanana},
        {"donut", "thin ring of radius 2.6: log p = -(|x| - 2.6)²/0.033 + const", makeDonut},
        {"funnel", "Neal's funnel, gentler: width of x1 grows as exp(0.75 x2)", makeFunnel},
        {"squiggle", "Gaussian x1 with x2 | x1 Gaussian around 1.5 sin(2 x1)", makeSquiggle},
    }};
    return entries;
}

const PresetEntry* find(const std::string& name) {
    for (const PresetEntry& e : registry())
        if (name == e.name) return &e;
    return nullptr;
}

[[noreturn]] void throwUnknown(const std::string& name) {
    std::string valid;
    for (const PresetEntry& e : registry())
        valid += (valid.empty() ? "" : ", ") + std::string(e.name);
    throw InvalidArgument("unknown target preset '" + name + "'; valid presets are: " + valid);
}

} // namespace

std::vector<std::string> presetNames() {
    std::vector<std::string> names;
    for (const PresetEntry& e : registry())
        names.emplace_back(e.name);
    return names;
}

std::string presetDescription(const std::string& name) {
    const PresetEntry* e = find(name);
    if (!e) throwUnknown(name);
    return e->description;
}

std::unique_ptr<TargetDensity> makePreset(const std::string& name) {
    const PresetEntry* e = find(name);
    if (!e) throwUnknown(name);
    return e->make();
}

} // namespace ebm::core
