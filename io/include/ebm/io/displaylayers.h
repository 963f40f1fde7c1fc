#pragma once
/// @file displaylayers.h
/// The view's on/off layers, described once: the window's display settings hold them, the session file
/// and the window's remembered settings read and write them through kDisplayLayers. Qt-free.
#include <array>

namespace ebm::io {

struct DisplayLayers {
    bool landscape = true;   ///< the coloured field
    bool contours = true;    ///< iso-lines of the displayed quantity
    bool vectorField = true; ///< score arrows −β∇E
    bool particles = true;   ///< live sampler particles (with trails)
    bool trails = true;
    bool data = true;       ///< the last training batch
    bool methodView = true; ///< what the method sees: CD negatives, SM target score, NCE noise + boundary
};

/// One layer: its key in the session file, its key in the window's settings, and its member.
struct DisplayLayerKey {
    const char* fileKey;
    const char* settingsKey;
    bool DisplayLayers::*member;
};

/// Every layer, in the session file's order. A new layer is one member above and one line here.
inline constexpr std::array<DisplayLayerKey, 7> kDisplayLayers{{
    {"landscape", "landscape", &DisplayLayers::landscape},
    {"contours", "contours", &DisplayLayers::contours},
    {"vector_field", "vectorField", &DisplayLayers::vectorField},
    {"particles", "particles", &DisplayLayers::particles},
    {"trails", "trails", &DisplayLayers::trails},
    {"data", "data", &DisplayLayers::data},
    {"method_view", "methodView", &DisplayLayers::methodView},
}};

} // namespace ebm::io
