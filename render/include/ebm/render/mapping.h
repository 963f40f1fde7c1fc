#pragma once
/// @file mapping.h
/// The numbers that turn energies into colours, shared by the GL view (ui/landscape/displaymapping.cpp, whose
/// shader landscape_main.glsl applies the same per-pixel formula) and the CPU renderer: the displayed
/// quantity, its range over the visible cells, the spacing of the iso-lines, and the easing of the range
/// from frame to frame.
#include <cstdint>
#include <vector>

namespace ebm::render {

/// What the landscape shows of an energy E (same order as the shader's u_quantity).
enum class Quantity { Energy = 0, UnnormalisedDensity = 1, Density = 2, LogDensity = 3 };

struct ColorRange {
    float lo = 0, hi = 1;     ///< displayed value at the two ends of the colour map
    float eMin = 0;           ///< smallest energy on the visible cells
    float beta = 1;           ///< β of the quantity
    float logZ = 0;           ///< log Z at β
    float contourStep = 0.1f; ///< spacing of the iso-lines (levels k·step above lo)
};

/// The q-quantile of v (reorders v); 0 for an empty v.
float quantile(std::vector<float>& v, double q);
/// A 1-2-5 step that splits range into about count pieces.
float niceStep(float range, int count);
/// The displayed value for energy e (the shader's displayed()).
float displayedValue(float e, Quantity q, const ColorRange& r);

/// The energy level below which `mass` of the probability exp(−βE) of equal cells lies: the edge of the
/// highest-density region that holds that mass (reorders energies; eMin + 1e-3 at least).
float massLevel(std::vector<float>& energies, float beta, double mass);

/// The Energy view's colour map reaches kEnergySpanFactor times as far above the lowest energy as the
/// edge of the region that holds kEnergyMass of the probability: the modes, the slopes between them and
/// the start of the empty space share the map, and the box's far corners saturate instead of squashing
/// the rest into its bottom tenth. (For one Gaussian well the edge lies 6.9 nats up, at 3.7σ.)
inline constexpr double kEnergyMass = 0.999;
inline constexpr float kEnergySpanFactor = 1.5f;
/// The Energy view's colour map spans at least this many nats (divided by β): a flat-topped density (a
/// drawing, a checkerboard) holds its mass at one level, and a nearly flat, untrained model has no
/// differences worth the whole map.
inline constexpr float kMinEnergySpan = 3.0f;

/// The colour range of quantity q for the finite energies of the visible cells (reorders them). Energy:
/// from the lowest energy to kEnergySpanFactor times the kEnergyMass highest-density level above it (at
/// most the 99th percentile, at least kMinEnergySpan / β); density: 0 to the peak; log-density: the 12 nats
/// below the peak (or down to the 99th percentile's); exp(−β(E − E_min)): 0 to 1.
ColorRange energyRange(std::vector<float>& energies, Quantity q, float beta, float logZ);

/// Eases a colour range from frame to frame: a range re-fitted to every frame makes the colours of a
/// slowly changing field flicker. Each update moves the span hi − lo a fraction `rate` of the way to the
/// new fit's; the lower end (and E_min) follow the fit at once, since an energy's offset is arbitrary and
/// drifts, and a symmetric range stays symmetric around 0. β and log Z are the field's own and are taken
/// as they are. The iso-line spacing changes only when the range would hold fewer than 5 or more than 25
/// of them. A new key (another field or quantity) or `jump` takes the fit as it is. While held (locked),
/// the range stays where it is; an update for another key re-holds at that key's fit, since a range in
/// other units means nothing.
class RangeSmoother {
public:
    explicit RangeSmoother(float rate = 0.15f) : m_rate(rate) {}

    /// The range to draw for a new fit of the field identified by key (`jump`: the fit itself, unless held).
    ColorRange update(const ColorRange& fit, std::int64_t key, bool jump = false);

    void setHeld(bool held) { m_held = held; }
    bool held() const { return m_held; }
    /// Holds `r` for `key` (a lock restored from the settings): the next update for key keeps r.
    void hold(const ColorRange& r, std::int64_t key);
    /// Whether a range was given out, the last one and its key.
    bool hasRange() const { return m_has; }
    const ColorRange& current() const { return m_cur; }
    std::int64_t key() const { return m_key; }
    void reset() { m_has = false; }

private:
    float m_rate;
    bool m_held = false, m_has = false;
    std::int64_t m_key = 0;
    ColorRange m_cur;
};

} // namespace ebm::render
