#pragma once
/// @file gridenergysource.h
/// The landscape's energy as the core computes it on a grid (worker thread, batched Eigen), uploaded as
/// a texture: the fast choice on a software renderer (Mesa llvmpipe).
#include "energysource.h"

namespace ebm::ui {

class GridEnergySource : public EnergySource {
public:
    bool initialize(GL* gl, QString* log) override;
    void release() override;
    void upload(const TrainingSnapshot& snap) override;
    QOpenGLShaderProgram* bind() override;
    QString name() const override { return QStringLiteral("grid texture"); }

private:
    GL* m_gl = nullptr;
    std::unique_ptr<QOpenGLShaderProgram> m_program;
    GridTexture m_tex;
    core::Box m_box;
};

} // namespace ebm::ui
