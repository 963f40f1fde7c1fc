#pragma once
/// @file mlpenergysource.h
/// The landscape's energy from the MLP evaluated per pixel, its parameters in a shader storage buffer:
/// sharp at any zoom on a real GPU.
#include "energysource.h"

namespace ebm::ui {

class MlpEnergySource : public EnergySource {
public:
    static constexpr int kMaxWidth = 128; ///< MAX_WIDTH in landscape_mlp.frag
    static constexpr int kMaxLayers = 16;
    bool initialize(GL* gl, QString* log) override;
    void release() override;
    bool supports(const TrainingSnapshot& snap) const override;
    void upload(const TrainingSnapshot& snap) override;
    QOpenGLShaderProgram* bind() override;
    QString name() const override { return QStringLiteral("per-pixel MLP shader"); }

private:
    GL* m_gl = nullptr;
    std::unique_ptr<QOpenGLShaderProgram> m_program;
    unsigned m_ssbo = 0;
    int m_widths[kMaxLayers] = {};
    int m_layers = 0;
    int m_activation = 0;
};

} // namespace ebm::ui
