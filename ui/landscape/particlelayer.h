#pragma once
/// @file particlelayer.h
/// Point sets drawn by compute-shader splatting (atomic adds into per-pixel counters, then a composite
/// pass over the tiles that hold a point): the live sampler's particles with fading trails (a ring
/// buffer of past positions on the GPU), the training data, and what the method sees (its MCMC
/// negatives or its noise samples).
#include "glcommon.h"
#include "trainingsnapshot.h"
#include <QColor>
#include <QElapsedTimer>
#include <QOpenGLShaderProgram>
#include <QPoint>
#include <QSize>
#include <memory>

namespace ebm::ui {

class ParticleLayer {
public:
    static constexpr int kTrailSlots = 8; ///< past positions kept per particle
    /// The trail keeps a position every kTrailStepMs: frames in between replace the newest slot, so a
    /// trail spans about a second whatever the frame rate.
    static constexpr int kTrailStepMs = 120;
    /// Tiles of the composite pass, in pixels. A software renderer pays per pixel drawn, and a plot's
    /// points cover a fraction of it (the default scene: 26% of its 16-pixel tiles), so the composite
    /// draws only the tiles the splat listed: llvmpipe's share of a core in the default scene went from
    /// 64% to 45%. 32-pixel tiles cover half the plot; 8-pixel ones cost as many triangles as pixels saved.
    static constexpr int kTileSize = 16;
    enum Category { Data = 0, MethodSamples = 1, Particles = 2 };
    /// Counter layers: one per category (the live particles' top bit marks their rim, splat.comp).
    static constexpr int kCountLayers = Particles + 1;
    struct Visibility {
        bool data = true, methodSamples = true, particles = true, trails = true;
    };

    bool initialize(GL* gl, QString* log);
    void release();
    void upload(const TrainingSnapshot& snap);
    /// Splats and composites into the current viewport (plot of `size` pixels whose lower-left corner
    /// is at `origin` in framebuffer pixels).
    void render(const core::Box& view, QSize size, QPoint origin, const Visibility& vis);

    /// The colour of a category; noise: the method samples are noise samples, not MCMC negatives.
    static QColor color(Category c, bool noise);
    int particleCount() const { return m_perSlot; }

private:
    GL* m_gl = nullptr;
    std::unique_ptr<QOpenGLShaderProgram> m_clear, m_splat, m_composite;
    unsigned m_counts = 0, m_vao = 0;
    unsigned m_ring = 0, m_data = 0, m_extra = 0;
    /// Per frame: one flag per tile, the tiles touched (also a buffer texture for the composite's
    /// vertex shader) and the composite's indirect draw command, whose instance count the splat counts.
    unsigned m_tileFlags = 0, m_tileList = 0, m_tileListTex = 0, m_tileDraw = 0;
    QSize m_imageSize;
    int m_tilesAcross = 0;
    int m_perSlot = 0, m_head = 0;
    QElapsedTimer m_trailClock; ///< since the newest slot was started
    int m_dataCount = 0, m_extraCount = 0;
    std::int64_t m_serial = -1;
    bool m_noise = false; ///< the method samples are noise (their colour)
    /// glClearTexImage (GL 4.4, ARB_clear_texture) when the driver has it: clears the counters as a
    /// memset, where the compute pass costs a software renderer a few milliseconds a frame.
    using ClearTexImage = void (*)(GLuint, GLint, GLenum, GLenum, const void*);
    ClearTexImage m_clearTexImage = nullptr;

    void ensureImage(QSize size);
    void clearCounts(QSize size);
    void splat(unsigned buffer, int count, int first, int perSlot, int slotCount, int head, int layer,
               unsigned weight, int radius, const core::Box& view, QSize size);
};

} // namespace ebm::ui
