#pragma once
/// @file glshaders.h
/// Builds shader programs from the GLSL files embedded under :/shaders/. Every compile and link is
/// checked; failures (with the driver's log) are reported through qWarning and returned to the caller.
#include <QOpenGLShader>
#include <QOpenGLShaderProgram>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace ebm::ui {

/// One stage: its type and the resource files concatenated into its source, in order (the first
/// carries the #version line; the others are shared pieces such as landscape_main.glsl).
struct ShaderStage {
    QOpenGLShader::ShaderType type;
    QStringList files; ///< names relative to :/shaders/, e.g. "landscape_grid.frag"
};

/// The concatenated source of a stage (empty and *error set if a file is missing).
QByteArray shaderSource(const QStringList& files, QString* error);

/// Compiles and links a program. Returns null and fills *log with the compile/link log on failure;
/// on success *log receives any warnings the driver printed (often empty).
std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& name,
                                                   const std::vector<ShaderStage>& stages, QString* log);

} // namespace ebm::ui
