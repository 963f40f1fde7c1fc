#pragma once
/// @file controlpanel.h
/// The training controls: target, method (the registered objectives that support 2D, core::objectives())
/// with its hyperparameters (built from its schema by ParamForm) and, for a method with MCMC negatives,
/// the chains that draw them; model and optimiser, the live particles' sampler, and the training speed (steps
/// per second). Emits the whole WorkerSettings whenever something changes; every control has a one-line
/// tooltip.
#include "workersettings.h"
#include <QWidget>
#include <string>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QLineEdit;

namespace ebm::ui {

class ParamForm;

class ControlPanel : public QWidget {
    Q_OBJECT
public:
    explicit ControlPanel(QWidget* parent = nullptr);

    void setSettings(const WorkerSettings& s); ///< shows s without emitting settingsChanged
    WorkerSettings settings() const { return m_s; }
    /// Selects a registered method by name (keys 1–9: registry order) and emits settingsChanged.
    void setMethod(const std::string& method);
    /// The method's hyperparameter form (its current schema's widgets).
    ParamForm* paramForm() const { return m_params; }
    /// Shows s and returns it as the controls read it back, as if the user had set each value (values
    /// that follow from others, like the Metropolis proposal width from the step size, follow).
    WorkerSettings adopt(const WorkerSettings& s);
    /// "Use recommended settings" (the button under the method list; the window puts it in the Training
    /// menu and handles it). Its tooltip lists what it would change for the current target and method and
    /// why; it is disabled when that is nothing.
    QAction* recommendedAction() const { return m_recommended; }
    /// What the chains run (from the worker's snapshot): shown under the chains' settings when fitting
    /// them to the target changed the sampler or the step size.
    void showChainsRun(const core::SamplerOptions& run, const core::FeatureWidths& widths);

signals:
    void settingsChanged(const ebm::ui::WorkerSettings& s);
    void resetParticlesRequested();

private:
    WorkerSettings m_s;
    bool m_updating = false;

    QComboBox* m_target;
    QComboBox* m_method;
    QAction* m_recommended;
    QLabel* m_methodHelp;
    ParamForm* m_params; ///< the current method's schema
    // The chains that draw the negatives of a method that needs them
    QWidget* m_chains;
    QComboBox* m_chainSampler;
    QSpinBox* m_chainSteps;
    QDoubleSpinBox* m_chainStep;
    QCheckBox* m_chainFit;
    QLabel* m_chainRun; ///< what the chains run when fitted to the target
    QCheckBox* m_chainPersistent;
    QSpinBox* m_chainBuffer;
    QDoubleSpinBox* m_chainRestart;
    // Model & optimiser
    QComboBox* m_width;
    QSpinBox* m_depth;
    QComboBox* m_activation;
    QComboBox* m_optimizer;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_batch;
    QSpinBox* m_average; ///< TrainerOptions::averageSteps
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
    void updateRecommendation(); ///< the action's tooltip and enabled state for m_s
};

/// What "Use recommended settings" would do for s, in words: the changes and the reason, or that there is
/// nothing to change ("Already using …", "No recommendations of its own …"). One line per part.
QString recommendationText(const WorkerSettings& s);

/// The methods the 2D window offers, in registry order (the method combo, keys 1–9).
std::vector<std::string> planeMethods();
/// The key that selects a method in a list of methods (1–9), or 0 for the tenth and later.
int methodKey(const std::vector<std::string>& methods, const std::string& method);

} // namespace ebm::ui
