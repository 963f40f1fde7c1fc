#include "vectorfieldlayer.h"

#include "glshaders.h"
#include <algorithm>
#include <cmath>
#include <vector>

namespace ebm::ui {

namespace {
float magnitudeQuantile(const VectorGrid& g, double q) {
    std::vector<float> m;
    m.reserve(size_t(g.vec.cols()));
    for (core::Index j = 0; j < g.vec.cols(); ++j) {
        const float v = g.vec.col(j).norm();
        if (std::isfinite(v)) m.push_back(v);
    }
    if (m.empty()) return 1;
    const size_t k = std::min(m.size() - 1, size_t(q * double(m.size() - 1)));
    std::nth_element(m.begin(), m.begin() + std::ptrdiff_t(k), m.end());
    return std::max(m[k], 1e-12f);
}
} // namespace

void appendArrows(const VectorGrid& g, float reference, std::vector<float>& out) {
    if (g.nx == 0 || g.vec.cols() == 0) return;
    const float cell = float(std::min(g.box.width() / g.nx, g.box.height() / g.ny));
    const float c = std::cos(0.45f), s = std::sin(0.45f);
    for (core::Index j = 0; j < g.vec.cols(); ++j) {
        const float vx = g.vec(0, j), vy = g.vec(1, j);
        const float m = std::sqrt(vx * vx + vy * vy);
        if (!std::isfinite(m) || m < 1e-12f) continue;
        const float rel = std::min(1.0f, m / reference);
        // sqrt keeps weak arrows visible without letting strong ones cross their neighbours.
        const float len = 0.9f * cell * std::sqrt(rel);
        const float ux = vx / m, uy = vy / m;
        const float x0 = g.pos(0, j) - 0.5f * len * ux, y0 = g.pos(1, j) - 0.5f * len * uy;
        const float x1 = x0 + len * ux, y1 = y0 + len * uy;
        const float h = 0.35f * len;
        const float lx = -(ux * c - uy * s) * h, ly = -(ux * s + uy * c) * h;
        const float rx = -(ux * c + uy * s) * h, ry = -(-ux * s + uy * c) * h;
        const float seg[18] = {x0,      y0,      rel, x1, y1, rel, x1,      y1,      rel,
                               x1 + lx, y1 + ly, rel, x1, y1, rel, x1 + rx, y1 + ry, rel};
        out.insert(out.end(), seg, seg + 18);
    }
}

bool VectorFieldLayer::initialize(GL* gl, QString* log) {
    m_gl = gl;
    m_program = buildProgram(QStringLiteral("score arrows"),
                             {{QOpenGLShader::Vertex, {QStringLiteral("arrows.vert")}},
                              {QOpenGLShader::Fragment, {QStringLiteral("arrows.frag")}}},
                             log);
    gl->glGenVertexArrays(1, &m_vao);
    gl->glGenBuffers(1, &m_vbo);
    gl->glBindVertexArray(m_vao);
    gl->glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    gl->glEnableVertexAttribArray(0);
    gl->glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
    gl->glEnableVertexAttribArray(1);
    gl->glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, 3 * sizeof(float),
                              reinterpret_cast<void*>(2 * sizeof(float)));
    gl->glBindVertexArray(0);
    gl->glBindBuffer(GL_ARRAY_BUFFER, 0);
    return m_program != nullptr;
}

void VectorFieldLayer::release() {
    if (m_gl) {
        if (m_vbo) m_gl->glDeleteBuffers(1, &m_vbo);
        if (m_vao) m_gl->glDeleteVertexArrays(1, &m_vao);
    }
    m_vbo = m_vao = 0;
    m_program.reset();
}

void VectorFieldLayer::upload(const TrainingSnapshot& snap) {
    std::vector<float> v;
    const float ref = magnitudeQuantile(snap.score, 0.9);
    appendArrows(snap.score, ref, v);
    m_modelVerts = int(v.size() / 3);
    appendArrows(snap.targetScore, ref, v);
    m_targetVerts = int(v.size() / 3) - m_modelVerts;
    m_gl->glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    m_gl->glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(v.size() * sizeof(float)), v.data(), GL_DYNAMIC_DRAW);
    m_gl->glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void VectorFieldLayer::render(const core::Box& view, bool showTarget) {
    if (!m_program || m_modelVerts == 0) return;
    m_program->bind();
    const BoxUniform vb(view);
    m_program->setUniformValue("u_viewBox", vb.v[0], vb.v[1], vb.v[2], vb.v[3]);
    m_gl->glEnable(GL_BLEND);
    m_gl->glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    m_gl->glBindVertexArray(m_vao);
    if (showTarget && m_targetVerts > 0) {
        m_program->setUniformValue("u_color", 1.0f, 0.62f, 0.2f);
        m_gl->glDrawArrays(GL_LINES, m_modelVerts, m_targetVerts);
    }
    m_program->setUniformValue("u_color", 0.97f, 0.97f, 0.97f);
    m_gl->glDrawArrays(GL_LINES, 0, m_modelVerts);
    m_gl->glBindVertexArray(0);
    m_gl->glDisable(GL_BLEND);
    m_program->release();
}

} // namespace ebm::ui
