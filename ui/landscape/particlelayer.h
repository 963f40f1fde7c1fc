#pragma once
/// @file particlelayer.h
/// Point sets drawn by compute-shader splatting (atomic adds into per-pixel counters, then one
/// composite pass): the live sampler's particles with fading trails (a ring buffer of past positions on
/// the GPU), the training data, and what the method sees (its MCMC negatives or its noise samples).
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
    enum Category { Data = 0, MethodSamples = 1, Particles = 2 };
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
    QSize m_imageSize;
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
    void splat(unsigned buffer, int count, int first, int perSlot, int slotCount, int head, int layer,
               unsigned weight, int radius, const core::Box& view, QSize size);
};

} // namespace ebm::ui
