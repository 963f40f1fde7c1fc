#include "landscapelayer.h"

namespace ebm::ui {

bool LandscapeLayer::initialize(GL* gl, QString* log) {
    m_gl = gl;
    QString gridLog, mlpLog;
    const bool gridOk = m_grid.initialize(gl, &gridLog);
    m_mlpOk = m_mlp.initialize(gl, &mlpLog);
    m_target.create(gl);
    m_aux.create(gl);
    gl->glGenVertexArrays(1, &m_vao);

    const QImage lut = colorMapTable();
    gl->glGenTextures(1, &m_lut);
    gl->glBindTexture(GL_TEXTURE_2D, m_lut);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    gl->glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, lut.width(), lut.height(), 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     lut.constBits());
    gl->glBindTexture(GL_TEXTURE_2D, 0);
    if (log) *log = (gridLog + QLatin1Char('\n') + mlpLog).trimmed();
    return gridOk; // the shader path is optional: without it the grid path is used
}

void LandscapeLayer::release() {
    m_grid.release();
    m_mlp.release();
    m_target.destroy();
    m_aux.destroy();
    if (m_gl) {
        if (m_lut) m_gl->glDeleteTextures(1, &m_lut);
        if (m_vao) m_gl->glDeleteVertexArrays(1, &m_vao);
    }
    m_lut = m_vao = 0;
}

void LandscapeLayer::upload(const TrainingSnapshot& snap) {
    m_grid.upload(snap);
    m_mlpSupported = m_mlpOk && m_mlp.supports(snap);
    if (m_mlpSupported) m_mlp.upload(snap);
    if (!snap.targetEnergy.empty()) {
        m_target.upload(snap.targetEnergy.values);
        m_targetBox = snap.targetEnergy.box;
    }
    const render::ScalarField& aux = !snap.fisher.empty() ? snap.fisher : snap.nceLogit;
    if (!aux.empty()) {
        m_aux.upload(aux.values);
        m_auxBox = aux.box;
    }
}

void LandscapeLayer::setPath(EvalPath requested, bool softwareRenderer) {
    m_path = requested == EvalPath::Auto ? (softwareRenderer ? EvalPath::GridTexture : EvalPath::ShaderMlp)
                                         : requested;
}

EvalPath LandscapeLayer::activePath() const {
    return m_path == EvalPath::ShaderMlp && m_mlpSupported ? EvalPath::ShaderMlp : EvalPath::GridTexture;
}

QString LandscapeLayer::activePathName() const {
    return activePath() == EvalPath::ShaderMlp ? m_mlp.name() : m_grid.name();
}

void LandscapeLayer::render(const core::Box& view, const DisplaySettings& s, const DisplayParams& p,
                            bool boundary, bool raw) {
    EnergySource& src = activePath() == EvalPath::ShaderMlp ? static_cast<EnergySource&>(m_mlp)
                                                            : static_cast<EnergySource&>(m_grid);
    QOpenGLShaderProgram* prog = src.bind();
    if (!prog) return;
    const BoxUniform vb(view), tb(m_targetBox), ab(m_auxBox);
    prog->setUniformValue("u_viewBox", vb.v[0], vb.v[1], vb.v[2], vb.v[3]);
    m_target.bind(1);
    m_aux.bind(2);
    m_gl->glActiveTexture(GL_TEXTURE3);
    m_gl->glBindTexture(GL_TEXTURE_2D, m_lut);
    prog->setUniformValue("u_targetTex", 1);
    prog->setUniformValue("u_auxTex", 2);
    prog->setUniformValue("u_lut", 3);
    prog->setUniformValue("u_targetBox", tb.v[0], tb.v[1], tb.v[2], tb.v[3]);
    prog->setUniformValue("u_auxBox", ab.v[0], ab.v[1], ab.v[2], ab.v[3]);
    prog->setUniformValue("u_colormap", int(p.colorMap));
    prog->setUniformValue("u_source", raw ? 0 : int(s.source));
    prog->setUniformValue("u_quantity", int(s.quantity));
    prog->setUniformValue("u_beta", p.beta);
    prog->setUniformValue("u_logZ", p.logZ);
    prog->setUniformValue("u_logZ1", p.logZ1);
    prog->setUniformValue("u_eMin", p.eMin);
    prog->setUniformValue("u_range", p.lo, p.hi);
    prog->setUniformValue("u_contours", s.contours);
    prog->setUniformValue("u_contourStep", p.contourStep);
    prog->setUniformValue("u_boundary", boundary);
    prog->setUniformValue("u_raw", raw);
    m_gl->glBindVertexArray(m_vao);
    m_gl->glDrawArrays(GL_TRIANGLES, 0, 3);
    m_gl->glBindVertexArray(0);
    m_gl->glActiveTexture(GL_TEXTURE0);
    prog->release();
}

} // namespace ebm::ui
