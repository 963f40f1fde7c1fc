#pragma once
/// @file paramform.h
/// The one form builder for a training method's hyperparameters: given an objective's schema
/// (core/params.h) it builds a widget per parameter — Integer: spin box, Real: double spin box with
/// decimals and step fitting the range (log-scale parameters step through 1-1.2-1.5-2-2.5-3-4-5-6-8
/// × 10ᵏ), Flag: check box, Choice: combo box — labelled from the schema, the unit as a suffix, the help
/// text with the range and the default as tooltip. Both control panels (2D and images) show the current
/// method's schema with it, so a newly registered objective gets its widgets without an edit here.
#include "trimmedspinbox.h"
#include <QWidget>
#include <ebm/core/params.h>
#include <string>
#include <vector>

class QFormLayout;

namespace ebm::ui {

/// A double spin box for one Real parameter: shows values without trailing zeros and, for a log-scale
/// parameter, steps multiplicatively.
class ParamSpinBox : public TrimmedSpinBox {
    Q_OBJECT
public:
    ParamSpinBox(bool logScale, QWidget* parent = nullptr);
    void stepBy(int steps) override;

protected:
    StepEnabled stepEnabled() const override;

private:
    bool m_logScale;
};

/// The tooltip of a parameter: its help, its range with the unit, its default.
QString paramToolTip(const core::ParamSpec& spec);
/// The next value of a log-scale parameter from v, up (steps > 0) or down, on the 1-1.2-1.5-2-… series.
double logStep(double v, int steps);

class ParamForm : public QWidget {
    Q_OBJECT
public:
    explicit ParamForm(QWidget* parent = nullptr);

    /// Shows the widgets of schema (rebuilt only if the schema differs from the one shown) holding
    /// values (a missing key shows the default). Emits nothing.
    void setSchema(const core::Schema& schema, const core::ParamSet& values);
    const core::Schema& schema() const { return m_schema; }
    /// The values the widgets hold, by key.
    core::ParamSet values() const;
    /// The editor of a parameter (QSpinBox, ParamSpinBox, QCheckBox or QComboBox; object name
    /// "param_<key>"), or nullptr.
    QWidget* editor(const std::string& key) const;

signals:
    /// The user changed a parameter.
    void valueChanged(const std::string& key, double value);

private:
    QFormLayout* m_layout;
    core::Schema m_schema;
    std::vector<QWidget*> m_editors; ///< one per schema entry
    bool m_updating = false;

    QWidget* makeEditor(const core::ParamSpec& spec);
    void setEditorValue(QWidget* w, const core::ParamSpec& spec, double v);
    double editorValue(const QWidget* w, const core::ParamSpec& spec) const;
};

} // namespace ebm::ui
