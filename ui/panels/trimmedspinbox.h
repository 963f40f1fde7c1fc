#pragma once
/// @file trimmedspinbox.h
/// The double spin box every panel uses: it shows a value without trailing zeros ("0.001", not
/// "0.0010000"), so that a box whose decimals allow small values (a learning rate the chain guard halves
/// down to 6.25e-5) does not pad every ordinary value with zeros. Typing and the range are QDoubleSpinBox's.
#include <QDoubleSpinBox>

namespace ebm::ui {

class TrimmedSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override;
};

/// A TrimmedSpinBox with range, decimals, single step and tooltip, applying its value on Enter or focus
/// loss (keyboard tracking off), as the panels want.
TrimmedSpinBox* trimmedSpin(double lo, double hi, int decimals, double step, const QString& tip);

} // namespace ebm::ui
