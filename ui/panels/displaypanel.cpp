#include "displaypanel.h"

#include "displaymapping.h"
#include "guidewindow.h"
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QVBoxLayout>

namespace ebm::ui {

namespace {
QCheckBox* check(const QString& text, const QString& tip) {
    auto* c = new QCheckBox(text);
    c->setToolTip(tip);
    return c;
}
} // namespace

DisplayPanel::DisplayPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(6, 0, 6, 6);
    auto* g = new QGroupBox(tr("View"));
    addGuideButton(g, QStringLiteral("view"));
    auto* f = new QFormLayout(g);
    m_source = new QComboBox;
    m_source->addItems(
        {tr("Model"), tr("Target"), tr("Difference (model − target)"), tr("Score error (SM)")});
    m_source->setToolTip(
        tr("The field coloured in the view: the model, the target, the model − target log-density, or the "
           "per-cell Fisher error during score matching"));
    m_quantity = new QComboBox;
    m_quantity->addItems({tr("Energy E"), tr("exp(−βE), unnormalised"), tr("Density p (exact log Z)"),
                          tr("Log-density log p")});
    m_quantity->setToolTip(
        tr("What of the energy is coloured: E itself, exp(−βE), the normalised density, or its log"));
    m_colorMap = new QComboBox;
    m_colorMap->addItems(colorMapNames());
    m_lockRange = check(tr("&Lock range"),
                        tr("Keep the colour range where it is now, to compare fields or moments on one "
                           "scale. Unlocked, the range follows the visible field (from its lowest energy "
                           "to past the region holding nearly all the probability) and changes smoothly"));
    m_source->setObjectName(QStringLiteral("source"));
    m_quantity->setObjectName(QStringLiteral("quantity"));
    m_colorMap->setObjectName(QStringLiteral("colorMap"));
    m_lockRange->setObjectName(QStringLiteral("lockRange"));
    f->addRow(tr("Show"), m_source);
    f->addRow(tr("Quantity"), m_quantity);
    f->addRow(tr("Colours"), m_colorMap);
    f->addRow(QString(), m_lockRange);
    auto* grid = new QGridLayout;
    m_landscape = check(tr("Landscape"), tr("The coloured field"));
    m_contours = check(tr("Contours"), tr("Iso-lines of the displayed quantity"));
    m_field = check(tr("Score arrows"), tr("Arrows of the score −β∇E; their grid follows the zoom"));
    m_particles = check(tr("Particles"), tr("The live sampler's particles"));
    m_trails = check(tr("Trails"), tr("Fading trails of the particles' last positions"));
    m_data = check(tr("Data batch"), tr("The training batch x⁺ from the target"));
    m_method =
        check(tr("What the method sees"),
              tr("CD: negatives; score matching: target score arrows; NCE: noise and decision boundary"));
    grid->addWidget(m_landscape, 0, 0);
    grid->addWidget(m_contours, 0, 1);
    grid->addWidget(m_field, 1, 0);
    grid->addWidget(m_particles, 1, 1);
    grid->addWidget(m_trails, 2, 0);
    grid->addWidget(m_data, 2, 1);
    grid->addWidget(m_method, 3, 0, 1, 2);
    f->addRow(grid);
    v->addWidget(g);
    for (QComboBox* c : {m_source, m_quantity, m_colorMap})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QCheckBox* c :
         {m_lockRange, m_landscape, m_contours, m_field, m_particles, m_trails, m_data, m_method})
        connect(c, &QCheckBox::toggled, this, [this] { changed(); });
    setDisplay(m_d);
}

void DisplayPanel::setDisplay(const DisplaySettings& d) {
    m_d = d;
    m_updating = true;
    m_source->setCurrentIndex(int(d.source));
    m_quantity->setCurrentIndex(int(d.quantity));
    showColorMap();
    m_lockRange->setChecked(d.lockRange);
    m_landscape->setChecked(d.landscape);
    m_contours->setChecked(d.contours);
    m_field->setChecked(d.vectorField);
    m_particles->setChecked(d.particles);
    m_trails->setChecked(d.trails);
    m_data->setChecked(d.data);
    m_method->setChecked(d.methodView);
    m_updating = false;
}

void DisplayPanel::changed() {
    if (m_updating) return;
    m_d.source = FieldSource(m_source->currentIndex());
    m_d.quantity = Quantity(m_quantity->currentIndex());
    // A disabled Colours box shows the fixed map of the difference view, not the user's choice.
    if (m_colorMap->isEnabled()) m_d.colorMap = ColorMap(m_colorMap->currentIndex());
    m_d.lockRange = m_lockRange->isChecked();
    m_d.landscape = m_landscape->isChecked();
    m_d.contours = m_contours->isChecked();
    m_d.vectorField = m_field->isChecked();
    m_d.particles = m_particles->isChecked();
    m_d.trails = m_trails->isChecked();
    m_d.data = m_data->isChecked();
    m_d.methodView = m_method->isChecked();
    m_updating = true;
    showColorMap();
    m_updating = false;
    emit displayChanged(m_d);
}

void DisplayPanel::showColorMap() {
    const bool fixed = m_d.source == FieldSource::Difference; // where shownColorMap ignores the choice
    m_colorMap->setCurrentIndex(int(shownColorMap(m_d)));
    m_colorMap->setEnabled(!fixed);
    m_colorMap->setToolTip(fixed
                               ? tr("The difference view always uses the diverging cool–warm map: blue where "
                                    "the model gives less probability than the target, red where more")
                               : tr("Perceptually uniform colour map of the landscape"));
}

} // namespace ebm::ui
