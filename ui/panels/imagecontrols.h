#pragma once
/// @file imagecontrols.h
/// The image window's left panel: data set, image size, model, method (the registered objectives that
/// support images) with its hyperparameters (built from its schema by ParamForm) and, for a method with
/// MCMC negatives, its replay buffer; optimiser, seed, and play / step / reset. Emits the whole ImageSettings
/// on every change.
#include "imagesettings.h"
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace ebm::ui {

class ParamForm;

class ImageControls : public QWidget {
    Q_OBJECT
public:
    explicit ImageControls(const ImageSettings& s, QWidget* parent = nullptr);
    ImageSettings settings() const { return m_s; }
    /// Shows s without emitting settingsChanged.
    void setSettings(const ImageSettings& s);
    QComboBox* methodBox() const { return m_method; }
    /// The current method's hyperparameter widgets.
    ParamForm* paramForm() const { return m_params; }
    QComboBox* dataBox() const { return m_data; }
    QPushButton* playButton() const { return m_play; }

signals:
    void settingsChanged(const ebm::ui::ImageSettings& s);
    void stepRequested();
    void resetRequested();

private:
    ImageSettings m_s;
    bool m_updating = false;
    QComboBox *m_data, *m_model, *m_method;
    QSpinBox *m_size, *m_steps, *m_buffer, *m_batch, *m_seed;
    QDoubleSpinBox *m_lambda, *m_sigma, *m_fresh, *m_lr;
    QCheckBox* m_guard;
    QLabel* m_methodHelp;
    ParamForm* m_params;
    QWidget* m_chains; ///< replay buffer and fresh noise, for a method with MCMC negatives
    QPushButton *m_play, *m_step, *m_reset;
    void readBack();
    void chooseFolder();
};

} // namespace ebm::ui
