#pragma once
/// @file landscapelayer.h
/// The coloured energy landscape (model, target, difference or Fisher map) with iso-contours and the
/// NCE decision boundary. Draws through one of two EnergySource paths.
#include "displaymapping.h"
#include "gridenergysource.h"
#include "mlpenergysource.h"
#include <QString>

namespace ebm::ui {

class LandscapeLayer {
public:
    bool initialize(GL* gl, QString* log);
    void release();
    void upload(const TrainingSnapshot& snap);
    /// Picks the path: Auto means the grid texture on a software renderer, the shader otherwise.
    void setPath(EvalPath requested, bool softwareRenderer);
    /// The path in use for the current snapshot (the shader path falls back to the grid when the
    /// model is too wide for it).
    EvalPath activePath() const;
    QString activePathName() const;
    /// Draws into the current viewport. raw: writes the model energy to the red channel (readback).
    void render(const core::Box& view, const DisplaySettings& s, const DisplayParams& p, bool boundary,
                bool raw = false);

private:
    GL* m_gl = nullptr;
    GridEnergySource m_grid;
    MlpEnergySource m_mlp;
    GridTexture m_target, m_aux;
    unsigned m_lut = 0, m_vao = 0;
    core::Box m_targetBox, m_auxBox;
    EvalPath m_path = EvalPath::GridTexture;
    bool m_mlpSupported = false;
    bool m_mlpOk = false;
};

} // namespace ebm::ui
