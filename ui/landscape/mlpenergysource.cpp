#include "mlpenergysource.h"

#include "glshaders.h"
#include <vector>

namespace ebm::ui {

bool MlpEnergySource::initialize(GL* gl, QString* log) {
    m_gl = gl;
    m_program =
        buildProgram(QStringLiteral("landscape (per-pixel MLP)"),
                     {{QOpenGLShader::Vertex, {QStringLiteral("fullscreen.vert")}},
                      {QOpenGLShader::Fragment,
                       {QStringLiteral("landscape_mlp.frag"), QStringLiteral("landscape_main.glsl")}}},
                     log);
    gl->glGenBuffers(1, &m_ssbo);
    return m_program != nullptr;
}

void MlpEnergySource::release() {
    if (m_gl && m_ssbo) m_gl->glDeleteBuffers(1, &m_ssbo);
    m_ssbo = 0;
    m_program.reset();
}

bool MlpEnergySource::supports(const TrainingSnapshot& snap) const {
    if (!snap.model) return false;
    const auto& o = snap.model->options();
    if (o.inputDim != 2 || int(o.hidden.size()) > kMaxLayers) return false;
    for (int w : o.hidden)
        if (w > kMaxWidth) return false;
    return true;
}

void MlpEnergySource::upload(const TrainingSnapshot& snap) {
    if (!supports(snap) || !m_ssbo) return;
    const core::Mlp<float>& m = *snap.model;
    // Packed through the public accessors, in the order the shader reads (see landscape_mlp.frag).
    std::vector<float> theta;
    theta.reserve(size_t(m.numParams()));
    m_layers = m.numHidden();
    for (int l = 0; l < m_layers; ++l) {
        const auto W = m.weight(l);
        const auto b = m.bias(l);
        m_widths[l] = int(W.rows());
        for (core::Index j = 0; j < W.cols(); ++j)
            for (core::Index i = 0; i < W.rows(); ++i)
                theta.push_back(W(i, j));
        for (core::Index i = 0; i < b.size(); ++i)
            theta.push_back(b(i));
    }
    const auto w = m.headWeight();
    for (core::Index i = 0; i < w.size(); ++i)
        theta.push_back(w(i));
    theta.push_back(m.headBias());
    m_activation = int(m.options().activation);
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_ssbo);
    m_gl->glBufferData(GL_SHADER_STORAGE_BUFFER, GLsizeiptr(theta.size() * sizeof(float)), theta.data(),
                       GL_DYNAMIC_DRAW);
    m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, 0);
}

QOpenGLShaderProgram* MlpEnergySource::bind() {
    if (!m_program) return nullptr;
    m_program->bind();
    m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, m_ssbo);
    m_program->setUniformValue("u_numHidden", m_layers);
    m_program->setUniformValueArray("u_widths", m_widths, kMaxLayers);
    const int act = m_activation == int(core::Activation::SiLU)       ? 0
                    : m_activation == int(core::Activation::Softplus) ? 1
                                                                      : 2;
    m_program->setUniformValue("u_activation", act);
    return m_program.get();
}

} // namespace ebm::ui
