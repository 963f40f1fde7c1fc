#include "particlelayer.h"

#include "glshaders.h"
#include <QOpenGLContext>
#include <ebm/render/particles.h>
#include <vector>

namespace ebm::ui {

namespace {
void uploadPoints(GL* gl, unsigned buffer, const core::Matf& pts) {
    gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
    // 2 x n column-major is exactly an array of vec2.
    const GLsizeiptr bytes = GLsizeiptr(std::max<core::Index>(pts.size(), 2) * sizeof(float));
    gl->glBufferData(GL_SHADER_STORAGE_BUFFER, bytes, pts.size() ? pts.data() : nullptr, GL_DYNAMIC_DRAW);
    gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
}
} // namespace

QColor ParticleLayer::color(Category c, bool noise) {
    // The one definition of the colours, shared with the CPU renderer.
    const render::Rgb8 q = render::pointColor(render::PointSet(int(c)), noise);
    return QColor(q.r, q.g, q.b);
}

bool ParticleLayer::initialize(GL* gl, QString* log) {
    m_gl = gl;
    QString l1, l2, l3;
    m_clear = buildProgram(QStringLiteral("splat clear"),
                           {{QOpenGLShader::Compute, {QStringLiteral("splat_clear.comp")}}}, &l1);
    m_splat = buildProgram(QStringLiteral("splat"),
                           {{QOpenGLShader::Compute, {QStringLiteral("splat.comp")}}}, &l2);
    m_composite = buildProgram(QStringLiteral("splat composite"),
                               {{QOpenGLShader::Vertex, {QStringLiteral("splat_tiles.vert")}},
                                {QOpenGLShader::Fragment, {QStringLiteral("splat_composite.frag")}}},
                               &l3);
    if (log) *log = QStringList{l1, l2, l3}.join(QLatin1Char('\n')).trimmed();
    if (QOpenGLContext* ctx = QOpenGLContext::currentContext();
        ctx && (ctx->format().version() >= qMakePair(4, 4) ||
                ctx->hasExtension(QByteArrayLiteral("GL_ARB_clear_texture"))))
        m_clearTexImage = reinterpret_cast<ClearTexImage>(ctx->getProcAddress("glClearTexImage"));
    gl->glGenVertexArrays(1, &m_vao);
    unsigned bufs[6];
    gl->glGenBuffers(6, bufs);
    m_ring = bufs[0];
    m_data = bufs[1];
    m_extra = bufs[2];
    m_tileFlags = bufs[3];
    m_tileList = bufs[4];
    m_tileDraw = bufs[5];
    gl->glGenTextures(1, &m_tileListTex);
    return m_clear && m_splat && m_composite;
}

void ParticleLayer::release() {
    if (m_gl) {
        const unsigned bufs[6] = {m_ring, m_data, m_extra, m_tileFlags, m_tileList, m_tileDraw};
        m_gl->glDeleteBuffers(6, bufs);
        if (m_counts) m_gl->glDeleteTextures(1, &m_counts);
        if (m_tileListTex) m_gl->glDeleteTextures(1, &m_tileListTex);
        if (m_vao) m_gl->glDeleteVertexArrays(1, &m_vao);
    }
    m_ring = m_data = m_extra = m_counts = m_vao = 0;
    m_tileFlags = m_tileList = m_tileListTex = m_tileDraw = 0;
    m_imageSize = QSize();
    m_tilesAcross = 0;
    m_clear.reset();
    m_splat.reset();
    m_composite.reset();
}

void ParticleLayer::upload(const TrainingSnapshot& snap) {
    if (snap.serial == m_serial) return;
    m_serial = snap.serial;
    m_noise = snap.methodInfo().needs.noise;
    const int n = int(snap.particles.cols());
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_ring);
    if (n != m_perSlot) {
        // New count: every slot starts at the current positions (no trail from the old set).
        std::vector<float> all(size_t(n) * 2 * kTrailSlots);
        for (int s = 0; s < kTrailSlots; ++s)
            std::copy(snap.particles.data(), snap.particles.data() + 2 * n,
                      all.begin() + std::ptrdiff_t(s) * 2 * n);
        m_gl->glBufferData(GL_SHADER_STORAGE_BUFFER,
                           GLsizeiptr(std::max<size_t>(all.size(), 2) * sizeof(float)),
                           all.empty() ? nullptr : all.data(), GL_DYNAMIC_DRAW);
        m_perSlot = n;
        m_head = 0;
        m_trailClock.start();
    } else if (n > 0) {
        if (!m_trailClock.isValid() || m_trailClock.elapsed() >= kTrailStepMs) {
            m_head = (m_head + 1) % kTrailSlots;
            m_trailClock.start();
        }
        m_gl->glBufferSubData(GL_SHADER_STORAGE_BUFFER, GLintptr(m_head) * 2 * n * GLintptr(sizeof(float)),
                              GLsizeiptr(2 * n * sizeof(float)), snap.particles.data());
    }
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
    uploadPoints(m_gl, m_data, snap.data);
    m_dataCount = int(snap.data.cols());
    const core::Matf& extra = snap.methodInfo().needs.noise ? snap.noise : snap.negatives;
    uploadPoints(m_gl, m_extra, extra);
    m_extraCount = int(extra.cols());
}

void ParticleLayer::ensureImage(QSize size) {
    if (size == m_imageSize && m_counts) return;
    if (m_counts) m_gl->glDeleteTextures(1, &m_counts);
    m_gl->glGenTextures(1, &m_counts);
    m_gl->glBindTexture(GL_TEXTURE_2D_ARRAY, m_counts);
    m_gl->glTexStorage3D(GL_TEXTURE_2D_ARRAY, 1, GL_R32UI, size.width(), size.height(), kCountLayers);
    m_gl->glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    m_gl->glTexParameteri(GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    m_gl->glBindTexture(GL_TEXTURE_2D_ARRAY, 0);
    m_imageSize = size;
    m_tilesAcross = (size.width() + kTileSize - 1) / kTileSize;
    const GLsizeiptr tiles = GLsizeiptr(m_tilesAcross) * ((size.height() + kTileSize - 1) / kTileSize);
    const auto allocate = [&](unsigned buffer, GLsizeiptr words) {
        m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
        m_gl->glBufferData(GL_SHADER_STORAGE_BUFFER, words * GLsizeiptr(sizeof(GLuint)), nullptr,
                           GL_DYNAMIC_DRAW);
    };
    allocate(m_tileFlags, tiles);
    allocate(m_tileList, tiles);
    allocate(m_tileDraw, 4); // the indirect draw command
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
    m_gl->glBindTexture(GL_TEXTURE_BUFFER, m_tileListTex);
    m_gl->glTexBuffer(GL_TEXTURE_BUFFER, GL_R32UI, m_tileList);
    m_gl->glBindTexture(GL_TEXTURE_BUFFER, 0);
}

void ParticleLayer::clearCounts(QSize size) {
    if (m_clearTexImage) {
        const GLuint zero = 0;
        m_clearTexImage(m_counts, 0, GL_RED_INTEGER, GL_UNSIGNED_INT, &zero);
    } else {
        m_clear->bind();
        m_gl->glBindImageTexture(0, m_counts, 0, GL_TRUE, 0, GL_READ_WRITE, GL_R32UI);
        m_gl->glUniform3i(m_clear->uniformLocation("u_size"), size.width(), size.height(), kCountLayers);
        m_gl->glDispatchCompute(GLuint((size.width() + 15) / 16), GLuint((size.height() + 15) / 16),
                                kCountLayers);
        m_clear->release();
    }
    m_gl->glMemoryBarrier(GL_SHADER_IMAGE_ACCESS_BARRIER_BIT);
}

void ParticleLayer::splat(unsigned buffer, int count, int first, int perSlot, int slotCount, int head,
                          int layer, unsigned weight, int radius, const core::Box& view, QSize size) {
    if (count <= 0) return;
    m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, buffer);
    const BoxUniform vb(view);
    m_gl->glUniform1ui(m_splat->uniformLocation("u_count"), GLuint(count));
    m_gl->glUniform1ui(m_splat->uniformLocation("u_first"), GLuint(first));
    m_gl->glUniform1ui(m_splat->uniformLocation("u_perSlot"), GLuint(std::max(1, perSlot)));
    m_gl->glUniform1ui(m_splat->uniformLocation("u_slots"), GLuint(slotCount));
    m_gl->glUniform1ui(m_splat->uniformLocation("u_head"), GLuint(head));
    m_gl->glUniform1ui(m_splat->uniformLocation("u_weight"), GLuint(weight));
    m_splat->setUniformValue("u_radius", radius);
    m_splat->setUniformValue("u_layer", layer);
    m_splat->setUniformValue("u_viewBox", vb.v[0], vb.v[1], vb.v[2], vb.v[3]);
    m_gl->glUniform2i(m_splat->uniformLocation("u_size"), size.width(), size.height());
    m_gl->glUniform1i(m_splat->uniformLocation("u_tileSize"), kTileSize);
    m_gl->glUniform1i(m_splat->uniformLocation("u_tilesAcross"), m_tilesAcross);
    m_gl->glDispatchCompute(GLuint((count + 255) / 256), 1, 1);
}

void ParticleLayer::render(const core::Box& view, QSize size, QPoint origin, const Visibility& vis) {
    if (!m_clear || !m_splat || !m_composite || size.isEmpty()) return;
    ensureImage(size);
    clearCounts(size); // a memset where the driver has glClearTexImage (0.4 ms for a 1000 × 800 plot)
    m_gl->glBindImageTexture(0, m_counts, 0, GL_TRUE, 0, GL_READ_WRITE, GL_R32UI);
    // The last frame's splat wrote these buffers from a shader: done before they are reset below.
    m_gl->glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
    // No tile listed yet: every flag down, and a draw of six vertices per tile, none so far.
    const GLuint zero = 0;
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_tileFlags);
    m_gl->glClearBufferData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, GL_RED_INTEGER, GL_UNSIGNED_INT, &zero);
    const GLuint draw[4] = {6, 0, 0, 0};
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_tileDraw);
    m_gl->glBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, sizeof draw, draw);
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
    m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, m_tileFlags);
    m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 2, m_tileDraw);
    m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 3, m_tileList);

    m_splat->bind();
    if (vis.data) splat(m_data, m_dataCount, 0, m_dataCount, 1, 0, Data, 512, 1, view, size);
    if (vis.methodSamples)
        splat(m_extra, m_extraCount, 0, m_extraCount, 1, 0, MethodSamples, 512, 1, view, size);
    if (vis.particles && m_perSlot > 0) {
        if (vis.trails)
            splat(m_ring, m_perSlot * kTrailSlots, 0, m_perSlot, kTrailSlots, m_head, Particles, 256, 1, view,
                  size);
        else
            splat(m_ring, m_perSlot, m_head * m_perSlot, m_perSlot, kTrailSlots, m_head, Particles, 256, 1,
                  view, size);
    }
    m_gl->glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT |
                          GL_COMMAND_BARRIER_BIT);

    m_composite->bind();
    m_gl->glUniform2i(m_composite->uniformLocation("u_origin"), origin.x(), origin.y());
    m_gl->glUniform1i(m_composite->uniformLocation("u_tileSize"), kTileSize);
    m_gl->glUniform1i(m_composite->uniformLocation("u_tilesAcross"), m_tilesAcross);
    m_gl->glUniform2f(m_composite->uniformLocation("u_plotSize"), float(size.width()), float(size.height()));
    QVector3D colors[3];
    for (int c = 0; c < 3; ++c) {
        const QColor q = color(Category(c), m_noise);
        colors[c] = QVector3D(q.redF(), q.greenF(), q.blueF());
    }
    const GLfloat gains[3] = {1.2f / 256, 1.2f / 256, 0.9f / 256};
    m_composite->setUniformValueArray("u_colors", colors, 3);
    m_composite->setUniformValueArray("u_gain", gains, 3, 1);
    m_gl->glUniform1ui(m_composite->uniformLocation("u_rimThreshold"), GLuint(render::kParticleRimThreshold));
    m_composite->setUniformValue("u_rimAlpha", render::kParticleRimAlpha);
    m_gl->glActiveTexture(GL_TEXTURE4);
    m_gl->glBindTexture(GL_TEXTURE_BUFFER, m_tileListTex);
    m_composite->setUniformValue("u_tiles", 4);
    m_gl->glActiveTexture(GL_TEXTURE5);
    m_gl->glBindTexture(GL_TEXTURE_2D_ARRAY, m_counts);
    m_composite->setUniformValue("u_counts", 5);
    m_gl->glEnable(GL_BLEND);
    m_gl->glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    m_gl->glBindVertexArray(m_vao);
    m_gl->glBindBuffer(GL_DRAW_INDIRECT_BUFFER, m_tileDraw);
    m_gl->glDrawArraysIndirect(GL_TRIANGLES, nullptr);
    m_gl->glBindBuffer(GL_DRAW_INDIRECT_BUFFER, 0);
    m_gl->glBindVertexArray(0);
    m_gl->glDisable(GL_BLEND);
    m_gl->glBindTexture(GL_TEXTURE_2D_ARRAY, 0);
    m_gl->glActiveTexture(GL_TEXTURE4);
    m_gl->glBindTexture(GL_TEXTURE_BUFFER, 0);
    m_gl->glActiveTexture(GL_TEXTURE0);
    m_composite->release();
}

} // namespace ebm::ui
