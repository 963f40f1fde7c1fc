#include "paramform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

namespace ebm::ui {

namespace {
constexpr double kSeries[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8};

bool sameSpec(const core::ParamSpec& a, const core::ParamSpec& b) {
    return a.key == b.key && a.label == b.label && a.type == b.type && a.min == b.min && a.max == b.max &&
           a.def == b.def && a.unit == b.unit && a.help == b.help && a.choices == b.choices &&
           a.logScale == b.logScale;
}
bool sameSchema(const core::Schema& a, const core::Schema& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), sameSpec);
}
QString q(const std::string& s) {
    return QString::fromStdString(s);
}
/// Decimals that show the smallest value a user would set (the positive minimum, else the default, else
/// a thousandth of the range) with two more significant digits.
int realDecimals(const core::ParamSpec& s) {
    const double small = s.min > 0 ? s.min : s.def > 0 ? s.def : (s.max - s.min) / 1000;
    if (!(small > 0)) return 3;
    return std::clamp(int(std::ceil(-std::log10(small))) + 2, 2, 8);
}
/// A linear step of one unit in the default's leading digit (0.07: 0.01), else a hundredth of the range.
double realStep(const core::ParamSpec& s) {
    const double scale = s.def != 0 ? std::abs(s.def) : (s.max - s.min) / 100;
    return scale > 0 ? std::pow(10.0, std::floor(std::log10(scale))) : 0.01;
}
} // namespace

double logStep(double v, int steps) {
    while (steps != 0 && v > 0) {
        const double decade = std::floor(std::log10(v)), tol = 1e-9 * v;
        double next = v;
        if (steps > 0) {
            for (double d = decade; next == v && d <= decade + 1; ++d)
                for (double m : kSeries)
                    if (m * std::pow(10.0, d) > v + tol) {
                        next = m * std::pow(10.0, d);
                        break;
                    }
            --steps;
        } else {
            for (double d = decade; next == v && d >= decade - 1; --d)
                for (auto it = std::rbegin(kSeries); it != std::rend(kSeries); ++it)
                    if (*it * std::pow(10.0, d) < v - tol) {
                        next = *it * std::pow(10.0, d);
                        break;
                    }
            ++steps;
        }
        v = next;
    }
    return v;
}

ParamSpinBox::ParamSpinBox(bool logScale, QWidget* parent) : TrimmedSpinBox(parent), m_logScale(logScale) {}

void ParamSpinBox::stepBy(int steps) {
    if (!m_logScale) {
        QDoubleSpinBox::stepBy(steps);
        return;
    }
    const double v = value() > 0 ? value() : minimum() > 0 ? minimum() : std::pow(10.0, -decimals());
    setValue(std::clamp(logStep(v, steps), minimum(), maximum()));
    selectAll();
}

QAbstractSpinBox::StepEnabled ParamSpinBox::stepEnabled() const {
    StepEnabled e = StepNone;
    if (value() < maximum()) e |= StepUpEnabled;
    if (value() > minimum()) e |= StepDownEnabled;
    return e;
}

QString paramToolTip(const core::ParamSpec& s) {
    QString range;
    switch (s.type) {
    case core::ParamType::Flag:
        range = QObject::tr("On or off");
        break;
    case core::ParamType::Choice: {
        QStringList names;
        for (const std::string& c : s.choices)
            names << q(c);
        range = QObject::tr("One of %1").arg(names.join(QStringLiteral(", ")));
        break;
    }
    default:
        range = QObject::tr("Range %1 to %2%3%4")
                    .arg(q(core::formatParamValue(s, s.min)), q(core::formatParamValue(s, s.max)),
                         s.unit.empty() ? QString() : QStringLiteral(" ") + q(s.unit),
                         s.logScale ? QObject::tr(" (steps by factors)") : QString());
    }
    return QObject::tr("%1\n%2; default %3").arg(q(s.help), range, q(core::formatParamValue(s, s.def)));
}

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this)) {
    m_layout->setContentsMargins(0, 0, 0, 0);
}

QWidget* ParamForm::makeEditor(const core::ParamSpec& s) {
    const QString suffix = s.unit.empty() ? QString() : QStringLiteral(" ") + q(s.unit);
    QWidget* w = nullptr;
    switch (s.type) {
    case core::ParamType::Integer: {
        auto* b = new QSpinBox;
        b->setRange(int(s.min), int(s.max));
        b->setSuffix(suffix);
        b->setKeyboardTracking(false);
        connect(b, &QSpinBox::valueChanged, this, [this, key = s.key](int v) {
            if (!m_updating) emit valueChanged(key, v);
        });
        w = b;
        break;
    }
    case core::ParamType::Real: {
        auto* b = new ParamSpinBox(s.logScale);
        b->setDecimals(realDecimals(s));
        b->setRange(s.min, s.max);
        b->setSingleStep(realStep(s));
        b->setSuffix(suffix);
        b->setKeyboardTracking(false);
        connect(b, &QDoubleSpinBox::valueChanged, this, [this, key = s.key](double v) {
            if (!m_updating) emit valueChanged(key, v);
        });
        w = b;
        break;
    }
    case core::ParamType::Flag: {
        auto* b = new QCheckBox;
        connect(b, &QCheckBox::toggled, this, [this, key = s.key](bool on) {
            if (!m_updating) emit valueChanged(key, on ? 1 : 0);
        });
        w = b;
        break;
    }
    case core::ParamType::Choice: {
        auto* b = new QComboBox;
        for (const std::string& c : s.choices)
            b->addItem(q(c));
        connect(b, &QComboBox::currentIndexChanged, this, [this, key = s.key](int i) {
            if (!m_updating && i >= 0) emit valueChanged(key, i);
        });
        w = b;
        break;
    }
    }
    w->setObjectName(QStringLiteral("param_") + q(s.key));
    w->setToolTip(paramToolTip(s));
    return w;
}

void ParamForm::setEditorValue(QWidget* w, const core::ParamSpec& s, double v) {
    switch (s.type) {
    case core::ParamType::Integer:
        static_cast<QSpinBox*>(w)->setValue(int(std::lround(v)));
        break;
    case core::ParamType::Real:
        static_cast<QDoubleSpinBox*>(w)->setValue(v);
        break;
    case core::ParamType::Flag:
        static_cast<QCheckBox*>(w)->setChecked(v != 0);
        break;
    case core::ParamType::Choice:
        static_cast<QComboBox*>(w)->setCurrentIndex(int(v));
        break;
    }
}

double ParamForm::editorValue(const QWidget* w, const core::ParamSpec& s) const {
    switch (s.type) {
    case core::ParamType::Integer:
        return static_cast<const QSpinBox*>(w)->value();
    case core::ParamType::Real:
        return static_cast<const QDoubleSpinBox*>(w)->value();
    case core::ParamType::Flag:
        return static_cast<const QCheckBox*>(w)->isChecked() ? 1 : 0;
    case core::ParamType::Choice:
        return static_cast<const QComboBox*>(w)->currentIndex();
    }
    return 0;
}

void ParamForm::setSchema(const core::Schema& schema, const core::ParamSet& values) {
    m_updating = true;
    if (!sameSchema(schema, m_schema) || (m_editors.empty() && m_layout->rowCount() == 0)) {
        while (m_layout->rowCount() > 0)
            m_layout->removeRow(0);
        m_editors.clear();
        m_schema = schema;
        for (const core::ParamSpec& s : schema) {
            QWidget* w = makeEditor(s);
            auto* label = new QLabel(q(s.label));
            label->setToolTip(w->toolTip());
            label->setBuddy(w);
            m_layout->addRow(label, w);
            m_editors.push_back(w);
        }
        if (schema.empty()) {
            auto* none = new QLabel(tr("No hyperparameters."));
            none->setObjectName(QStringLiteral("paramNone"));
            m_layout->addRow(none);
        }
    }
    for (size_t i = 0; i < m_schema.size(); ++i)
        setEditorValue(m_editors[i], m_schema[i], values.valueOr(m_schema[i].key, m_schema[i].def));
    m_updating = false;
}

core::ParamSet ParamForm::values() const {
    core::ParamSet p;
    for (size_t i = 0; i < m_schema.size(); ++i)
        p.set(m_schema[i].key, editorValue(m_editors[i], m_schema[i]));
    return p;
}

QWidget* ParamForm::editor(const std::string& key) const {
    for (size_t i = 0; i < m_schema.size(); ++i)
        if (m_schema[i].key == key) return m_editors[i];
    return nullptr;
}

} // namespace ebm::ui
