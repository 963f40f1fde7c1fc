#include "trimmedspinbox.h"

namespace ebm::ui {

QString TrimmedSpinBox::textFromValue(double value) const {
    QString t = QDoubleSpinBox::textFromValue(value);
    const QString point = locale().decimalPoint();
    if (t.contains(point)) {
        while (t.endsWith(QLatin1Char('0')))
            t.chop(1);
        if (t.endsWith(point)) t.chop(point.size());
    }
    return t;
}

TrimmedSpinBox* trimmedSpin(double lo, double hi, int decimals, double step, const QString& tip) {
    auto* s = new TrimmedSpinBox;
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setKeyboardTracking(false);
    s->setToolTip(tip);
    return s;
}

} // namespace ebm::ui
