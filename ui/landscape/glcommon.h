#pragma once
/// @file glcommon.h
/// The OpenGL function table the views use (4.3 core: compute shaders, SSBOs, image atomics) and a
/// small owner of an r32f texture holding a grid.
#include <QOpenGLFunctions_4_3_Core>
#include <ebm/core/types.h>

namespace ebm::ui {

using GL = QOpenGLFunctions_4_3_Core;

/// Data box → vec4(x0, y0, x1, y1) for the shaders.
struct BoxUniform {
    float v[4];
    explicit BoxUniform(const core::Box& b) : v{float(b.x0), float(b.y0), float(b.x1), float(b.y1)} {}
};

/// A 2D r32f texture with linear filtering and clamped edges (grids of the landscape).
class GridTexture {
public:
    void create(GL* gl);
    void destroy();
    /// Uploads values (ny x nx, column-major, values(iy, ix) at cell (ix, iy)); texel (ix, iy) = values(iy,
    /// ix).
    void upload(const core::Matf& values);
    void bind(int unit) const;
    bool valid() const { return m_tex != 0 && m_w > 0; }

private:
    GL* m_gl = nullptr;
    unsigned m_tex = 0;
    int m_w = 0, m_h = 0;
};

} // namespace ebm::ui
