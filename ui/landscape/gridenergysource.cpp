#include "gridenergysource.h"

#include "glshaders.h"

namespace ebm::ui {

bool GridEnergySource::initialize(GL* gl, QString* log) {
    m_gl = gl;
    m_program =
        buildProgram(QStringLiteral("landscape (grid texture)"),
                     {{QOpenGLShader::Vertex, {QStringLiteral("fullscreen.vert")}},
                      {QOpenGLShader::Fragment,
                       {QStringLiteral("landscape_grid.frag"), QStringLiteral("landscape_main.glsl")}}},
                     log);
    m_tex.create(gl);
    return m_program != nullptr;
}

void GridEnergySource::release() {
    m_tex.destroy();
    m_program.reset();
}

void GridEnergySource::upload(const TrainingSnapshot& snap) {
    m_tex.upload(snap.energy.energy);
    m_box = snap.energy.box;
}

QOpenGLShaderProgram* GridEnergySource::bind() {
    if (!m_program) return nullptr;
    m_program->bind();
    m_tex.bind(0);
    m_program->setUniformValue("u_energyTex", 0);
    const BoxUniform b(m_box);
    m_program->setUniformValue("u_energyBox", b.v[0], b.v[1], b.v[2], b.v[3]);
    return m_program.get();
}

} // namespace ebm::ui
