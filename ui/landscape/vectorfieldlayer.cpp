#include "vectorfieldlayer.h"

#include "glshaders.h"
#include <ebm/render/arrows.h>
#include <vector>

namespace ebm::ui {

void appendArrows(const VectorGrid& g, float reference, std::vector<float>& out) {
    render::appendArrows(g.box, g.nx, g.ny, g.pos, g.vec, reference, out);
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
    // Beside the model's arrows, the target's share their length scale, so the two compare; alone (the
    // target view), they get their own, whatever the model has learnt.
    const float ref = render::arrowReference(snap.score.vec, 0.9);
    appendArrows(snap.score, ref, v);
    m_modelVerts = int(v.size() / 3);
    appendArrows(snap.targetScore, ref, v);
    m_targetVerts = int(v.size() / 3) - m_modelVerts;
    appendArrows(snap.targetScore, render::arrowReference(snap.targetScore.vec, 0.9), v);
    m_targetAloneVerts = int(v.size() / 3) - m_modelVerts - m_targetVerts;
    m_gl->glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    m_gl->glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(v.size() * sizeof(float)), v.data(), GL_DYNAMIC_DRAW);
    m_gl->glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void VectorFieldLayer::render(const core::Box& view, Shown shown) {
    if (!m_program) return;
    m_program->bind();
    const BoxUniform vb(view);
    m_program->setUniformValue("u_viewBox", vb.v[0], vb.v[1], vb.v[2], vb.v[3]);
    m_gl->glEnable(GL_BLEND);
    m_gl->glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    m_gl->glBindVertexArray(m_vao);
    const auto draw = [&](const render::Rgb& c, int first, int count) {
        if (count <= 0) return;
        m_program->setUniformValue("u_color", float(c.r), float(c.g), float(c.b));
        m_gl->glDrawArrays(GL_LINES, first, count);
    };
    if (shown == Shown::Target)
        draw(render::kTargetArrowColor, m_modelVerts + m_targetVerts, m_targetAloneVerts);
    if (shown == Shown::Both) draw(render::kTargetArrowColor, m_modelVerts, m_targetVerts);
    if (shown != Shown::Target) draw(render::kModelArrowColor, 0, m_modelVerts);
    m_gl->glBindVertexArray(0);
    m_gl->glDisable(GL_BLEND);
    m_program->release();
}

} // namespace ebm::ui
