#pragma once
/// @file energysource.h
/// The two ways the landscape shader gets the model's energy, behind one interface (each in its own file):
///  - GridEnergySource: the core's energies on a grid (worker thread, batched Eigen), as a texture;
///    the fast choice on a software renderer (Mesa llvmpipe).
///  - MlpEnergySource: the MLP evaluated per pixel from its parameters in a shader storage buffer;
///    sharp at any zoom on a real GPU.
/// Each owns its shader program (its path file + landscape_main.glsl) and its GL resources.
#include "glcommon.h"
#include "trainingsnapshot.h"
#include <QOpenGLShaderProgram>
#include <QString>
#include <memory>

namespace ebm::ui {

class EnergySource {
public:
    virtual ~EnergySource() = default;
    /// Builds the program and resources (GL context current). False with *log set on failure.
    virtual bool initialize(GL* gl, QString* log) = 0;
    virtual void release() = 0;
    /// Whether this path can draw the snapshot's model (the shader path has a width limit).
    virtual bool supports(const TrainingSnapshot&) const { return true; }
    virtual void upload(const TrainingSnapshot& snap) = 0;
    /// Binds the program and this path's resources (texture unit 0 / SSBO binding 1); returns the program.
    virtual QOpenGLShaderProgram* bind() = 0;
    virtual QString name() const = 0;
};

} // namespace ebm::ui
