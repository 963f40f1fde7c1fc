#pragma once
/// @file vectorfieldlayer.h
/// Arrows of the score field −β∇ₓE on a grid over the visible box (the grid follows the zoom); the
/// target's score ∇ log p in a second colour beside it (score matching's method view) or instead of it
/// (the target view).
#include "glcommon.h"
#include "trainingsnapshot.h"
#include <QOpenGLShaderProgram>
#include <memory>

namespace ebm::ui {

class VectorFieldLayer {
public:
    /// Which score is drawn: the model's, the target's, or both on the model's length scale.
    enum class Shown { Model, Target, Both };

    bool initialize(GL* gl, QString* log);
    void release();
    void upload(const TrainingSnapshot& snap);
    void render(const core::Box& view, Shown shown);
    int modelArrows() const { return m_modelVerts / 6; }

private:
    GL* m_gl = nullptr;
    std::unique_ptr<QOpenGLShaderProgram> m_program;
    unsigned m_vao = 0, m_vbo = 0;
    // Vertex ranges: the model's arrows, the target's on the model's scale, the target's on its own.
    int m_modelVerts = 0, m_targetVerts = 0, m_targetAloneVerts = 0;
};

/// Line vertices (x, y, magnitude) of arrows: 3 segments per arrow, lengths by magnitude relative to
/// `reference` (clamped at one cell). Appended to out. The geometry is render::appendArrows, which the
/// CPU renderer draws too.
void appendArrows(const VectorGrid& g, float reference, std::vector<float>& out);

} // namespace ebm::ui
