#include "displaypanel.h"

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
    m_colorMap->setToolTip(
        tr("Perceptually uniform colour map (the difference view always uses the diverging one)"));
    f->addRow(tr("Show"), m_source);
    f->addRow(tr("Quantity"), m_quantity);
    f->addRow(tr("Colours"), m_colorMap);
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
    for (QCheckBox* c : {m_landscape, m_contours, m_field, m_particles, m_trails, m_data, m_method})
        connect(c, &QCheckBox::toggled, this, [this] { changed(); });
    setDisplay(m_d);
}

void DisplayPanel::setDisplay(const DisplaySettings& d) {
    m_d = d;
    m_updating = true;
    m_source->setCurrentIndex(int(d.source));
    m_quantity->setCurrentIndex(int(d.quantity));
    m_colorMap->setCurrentIndex(int(d.colorMap));
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
    m_d.colorMap = ColorMap(m_colorMap->currentIndex());
    m_d.landscape = m_landscape->isChecked();
    m_d.contours = m_contours->isChecked();
    m_d.vectorField = m_field->isChecked();
    m_d.particles = m_particles->isChecked();
    m_d.trails = m_trails->isChecked();
    m_d.data = m_data->isChecked();
    m_d.methodView = m_method->isChecked();
    emit displayChanged(m_d);
}

} // namespace ebm::ui
