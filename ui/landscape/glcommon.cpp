#include "glcommon.h"

namespace ebm::ui {

void GridTexture::create(GL* gl) {
    m_gl = gl;
    gl->glGenTextures(1, &m_tex);
    gl->glBindTexture(GL_TEXTURE_2D, m_tex);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    gl->glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    const float zero = 0;
    gl->glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 1, 1, 0, GL_RED, GL_FLOAT, &zero);
    gl->glBindTexture(GL_TEXTURE_2D, 0);
    m_w = m_h = 0;
}

void GridTexture::destroy() {
    if (m_gl && m_tex) m_gl->glDeleteTextures(1, &m_tex);
    m_tex = 0;
    m_w = m_h = 0;
}

void GridTexture::upload(const core::Matf& values) {
    if (!m_tex || values.size() == 0) return;
    const core::Matf rowMajor = values.transpose(); // nx x ny column-major = rows of nx texels
    const int w = int(values.cols()), h = int(values.rows());
    m_gl->glBindTexture(GL_TEXTURE_2D, m_tex);
    m_gl->glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (w != m_w || h != m_h) {
        m_gl->glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, w, h, 0, GL_RED, GL_FLOAT, rowMajor.data());
        m_w = w;
        m_h = h;
    } else {
        m_gl->glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RED, GL_FLOAT, rowMajor.data());
    }
    m_gl->glBindTexture(GL_TEXTURE_2D, 0);
}

void GridTexture::bind(int unit) const {
    m_gl->glActiveTexture(GL_TEXTURE0 + unit);
    m_gl->glBindTexture(GL_TEXTURE_2D, m_tex);
}

} // namespace ebm::ui
