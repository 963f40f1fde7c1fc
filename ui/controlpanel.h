#pragma once
/// @file controlpanel.h
/// The training controls: target, method with its hyperparameters (only the relevant ones shown),
/// model and optimiser, the live particles' sampler, and the training speed (steps per second). Emits the
/// whole WorkerSettings whenever something changes; every control has a one-line tooltip.
#include "workersettings.h"
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QStackedWidget;
class QLineEdit;

namespace ebm::ui {

class ControlPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlPanel(QWidget* parent = nullptr);

    void setSettings(const WorkerSettings& s); ///< shows s without emitting settingsChanged
    WorkerSettings settings() const { return m_s; }
    /// Selects a method (keyboard shortcuts 1/2/3) and emits settingsChanged.
    void setMethod(core::Method m);
    /// The score-matching variant last chosen (shortcut 2 returns to it).
    core::Method lastScoreMatching() const { return m_lastSm; }

signals:
    void settingsChanged(const ebm::ui::WorkerSettings& s);
    void resetParticlesRequested();

private:
    WorkerSettings m_s;
    core::Method m_lastSm = core::Method::DenoisingScoreMatching;
    bool m_updating = false;

    QComboBox* m_target;
    QComboBox* m_method;
    QStackedWidget* m_methodPages;
    // CD
    QComboBox* m_cdSampler;
    QSpinBox* m_cdSteps;
    QDoubleSpinBox* m_cdStep;
    QCheckBox* m_cdPersistent;
    QSpinBox* m_cdBuffer;
    QDoubleSpinBox* m_cdRestart;
    QDoubleSpinBox* m_cdLrScale;
    // SM
    QDoubleSpinBox* m_smSigma;
    QCheckBox* m_smRademacher;
    QLabel* m_smNote;
    // NCE
    QComboBox* m_nceNoise;
    QDoubleSpinBox* m_nceRatio;
    QDoubleSpinBox* m_nceScale;
    // Model & optimiser
    QComboBox* m_width;
    QSpinBox* m_depth;
    QComboBox* m_activation;
    QComboBox* m_optimizer;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_batch;
    QLineEdit* m_seed;
    // Live particles
    QComboBox* m_liveSampler;
    QDoubleSpinBox* m_liveBeta;
    QDoubleSpinBox* m_liveStep;
    QSpinBox* m_liveCount;
    QCheckBox* m_liveRunning;
    // Speed
    QComboBox* m_speed; ///< item data: steps per second, 0 = as fast as possible

    QWidget* buildTargetGroup();
    QWidget* buildMethodGroup();
    QWidget* buildModelGroup();
    QWidget* buildLiveGroup();
    void readWidgets();  ///< widgets → m_s
    void writeWidgets(); ///< m_s → widgets
    void changed();
};

/// Display names of the methods in the order of the method combo box.
QStringList methodDisplayNames();
core::Method methodAt(int index);
int methodIndex(core::Method m);

} // namespace ebm::ui
