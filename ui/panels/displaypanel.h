#pragma once
/// @file displaypanel.h
/// The view controls: which field (model, target, difference, Fisher map), which quantity, colour map
/// (always the one drawn: the difference view's fixed cool–warm map shows as such), the range lock and
/// the layer switches.
#include "displaysettings.h"
#include <QWidget>

class QCheckBox;
class QComboBox;

namespace ebm::ui {

class DisplayPanel : public QWidget {
    Q_OBJECT
public:
    explicit DisplayPanel(QWidget* parent = nullptr);
    void setDisplay(const DisplaySettings& d); ///< without emitting displayChanged
    DisplaySettings display() const { return m_d; }

signals:
    void displayChanged(const ebm::ui::DisplaySettings& d);

private:
    DisplaySettings m_d;
    bool m_updating = false;
    QComboBox *m_source, *m_quantity, *m_colorMap;
    QCheckBox *m_lockRange, *m_landscape, *m_contours, *m_field, *m_particles, *m_trails, *m_data, *m_method;
    void changed();
    void showColorMap(); ///< the Colours box shows the map drawn for m_d
};

} // namespace ebm::ui
