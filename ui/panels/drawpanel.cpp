#include "drawpanel.h"

#include "colormaps.h"
#include "drawingfile.h"
#include "drawingsources.h"
#include "formulaevaluator.h"
#include "trimmedspinbox.h"
#include <QAction>
#include <QButtonGroup>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

namespace ebm::ui {

namespace {
QSlider* slider(int lo, int hi, int value, const QString& tip) {
    auto* s = new QSlider(Qt::Horizontal);
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    return s;
}
QToolButton* makeToolButton(const QString& text, const QString& tip) {
    auto* b = new QToolButton;
    b->setText(text);
    b->setToolTip(tip);
    b->setCheckable(true);
    b->setAutoRaise(false);
    // The dark Fusion palette draws a checked tool button barely darker than the others: the active tool
    // gets the accent colour instead.
    b->setStyleSheet(QStringLiteral("QToolButton { padding: 3px 10px; }"
                                    "QToolButton:checked { background-color: #3a78b5; color: white;"
                                    " border: 1px solid #8cc0f0; border-radius: 3px; font-weight: 600; }"));
    return b;
}
QIcon thumbnail(const core::TargetDensity& t) {
    const core::DensityDrawing d = core::DensityDrawing::fromTarget(t, core::Box{}, 48);
    QImage img(48, 48, QImage::Format_RGB32);
    for (int py = 0; py < 48; ++py)
        for (int px = 0; px < 48; ++px)
            img.setPixel(px, py, qColorAt(ColorMap::Magma, d.paint()(47 - py, px)).rgb());
    return QIcon(QPixmap::fromImage(img.scaled(64, 64, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)));
}
} // namespace

DrawPanel::DrawPanel(QWidget* parent)
    : QWidget(parent), m_doc(new DrawingDocument(this)),
      m_formulaEval(std::make_unique<FormulaEvaluator>(kFormulaBudgetMs)) {
    connect(m_formulaEval.get(), &FormulaEvaluator::ready, this, &DrawPanel::formulaEvaluated);
    setObjectName(QStringLiteral("drawPanel"));
    m_canvas = new DensityCanvas(m_doc);
    m_undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo drawing"));
    m_undo->setShortcut(QKeySequence::Undo);
    m_undo->setToolTip(tr("Undo the last drawing action (Ctrl+Z)"));
    m_redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo drawing"));
    m_redo->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    m_redo->setToolTip(tr("Redo the drawing action just undone (Ctrl+Shift+Z)"));

    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(6, 6, 6, 6);
    v->addWidget(buildTools());
    // The canvas keeps its square size whatever the texts below it say (its height follows its width).
    v->addWidget(m_canvas);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("drawCaption"));
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption->setToolTip(
        tr("What the drawing was made from (undo and redo bring the caption back with it)"));
    v->addWidget(m_caption);
    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("drawMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(m_message);

    auto* trainRow = new QHBoxLayout;
    m_train = new QPushButton(tr("Train on this drawing"));
    m_train->setObjectName(QStringLiteral("trainOnDrawing"));
    m_live = new QCheckBox(tr("Live"));
    m_live->setChecked(true);
    m_live->setToolTip(tr("While the model trains on the drawing, hand every change to it at once "
                          "(the model keeps learning from where it is)"));
    trainRow->addWidget(m_train, 1);
    trainRow->addWidget(m_live);
    v->addLayout(trainRow);
    v->addWidget(buildSources());
    v->addStretch(1);

    connect(m_train, &QPushButton::clicked, this, &DrawPanel::train);
    connect(m_doc, &DrawingDocument::changed, this, [this] {
        m_caption->setText(m_doc->source());
        showMessage(QString(), false); // an earlier error or note is about a drawing that is gone
        updateTrainButton();
        emit drawingChanged();
    });
    updateBrush();
    updateTrainButton();
}

QWidget* DrawPanel::buildTools() {
    auto* g = new QWidget;
    auto* v = new QVBoxLayout(g);
    v->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_brushTool = makeToolButton(tr("Brush"), tr("Paint density where you drag (B)"));
    m_eraserTool = makeToolButton(tr("Eraser"), tr("Remove density where you drag (E)"));
    m_gaussTool =
        makeToolButton(tr("Gaussian"), tr("Click to add a Gaussian component; drag its centre to move it, "
                                          "its square handle or the wheel to change its width (G)"));
    auto* group = new QButtonGroup(this);
    group->setExclusive(true);
    for (QToolButton* b : {m_brushTool, m_eraserTool, m_gaussTool}) {
        group->addButton(b);
        row->addWidget(b);
    }
    m_brushTool->setChecked(true);
    connect(m_brushTool, &QToolButton::clicked, this, [this] { m_canvas->setTool(DrawTool::Brush); });
    connect(m_eraserTool, &QToolButton::clicked, this, [this] { m_canvas->setTool(DrawTool::Eraser); });
    connect(m_gaussTool, &QToolButton::clicked, this, [this] { m_canvas->setTool(DrawTool::Gaussian); });
    connect(m_canvas, &DensityCanvas::toolChanged, this, [this](DrawTool t) {
        (t == DrawTool::Brush    ? m_brushTool
         : t == DrawTool::Eraser ? m_eraserTool
                                 : m_gaussTool)
            ->setChecked(true);
    });
    row->addStretch(1);
    v->addLayout(row);
    row = new QHBoxLayout;
    // Short labels: the actions' own texts name the step ("Undo Brush stroke"), shown in their tooltips.
    for (QAction* a : {m_undo, m_redo}) {
        auto* b = new QToolButton;
        b->setText(a == m_undo ? tr("Undo") : tr("Redo"));
        b->setEnabled(a->isEnabled());
        connect(b, &QToolButton::clicked, a, &QAction::trigger);
        connect(a, &QAction::changed, b, [a, b] {
            b->setEnabled(a->isEnabled());
            b->setToolTip(a->text());
        });
        row->addWidget(b);
    }
    auto* blurB = new QToolButton;
    blurB->setText(tr("Blur"));
    blurB->setToolTip(tr("Smooth the painted density (a Gaussian of the brush's radius / 2)"));
    connect(blurB, &QToolButton::clicked, this, &DrawPanel::blur);
    auto* clearB = new QToolButton;
    clearB->setText(tr("Clear"));
    clearB->setToolTip(tr("Remove all paint and Gaussian components (undoable)"));
    connect(clearB, &QToolButton::clicked, this, &DrawPanel::clear);
    row->addWidget(blurB);
    row->addWidget(clearB);
    row->addStretch(1);
    v->addLayout(row);

    auto* f = new QFormLayout;
    m_size = new TrimmedSpinBox;
    m_size->setRange(0.02, 3.0);
    m_size->setSingleStep(0.05);
    m_size->setDecimals(2);
    m_size->setValue(0.35);
    m_size->setToolTip(tr("Brush radius in data units"));
    m_strength = slider(5, 100, 60, tr("How much one dab of the brush adds (or the eraser removes)"));
    m_hardness =
        slider(0, 100, 50, tr("Edge of the brush: 0 soft (fades out to the rim), 100 hard-edged disc"));
    f->addRow(tr("Size"), m_size);
    f->addRow(tr("Strength"), m_strength);
    f->addRow(tr("Hardness"), m_hardness);
    m_sigma = new TrimmedSpinBox;
    m_sigma->setRange(0.03, 4.0);
    m_sigma->setSingleStep(0.05);
    m_sigma->setDecimals(2);
    m_sigma->setValue(0.4);
    m_sigma->setToolTip(tr("Standard deviation of new Gaussian components (data units)"));
    m_weight = slider(1, 100, 100,
                      tr("Peak height of the selected Gaussian (or of new ones), relative to full paint"));
    f->addRow(tr("Gaussian σ"), m_sigma);
    f->addRow(tr("Weight"), m_weight);
    v->addLayout(f);
    connect(m_size, &QDoubleSpinBox::valueChanged, this, [this] { updateBrush(); });
    connect(m_strength, &QSlider::valueChanged, this, [this] { updateBrush(); });
    connect(m_hardness, &QSlider::valueChanged, this, [this] { updateBrush(); });
    connect(m_sigma, &QDoubleSpinBox::valueChanged, this, [this] { updateBrush(); });
    connect(m_weight, &QSlider::sliderReleased, this,
            [this] { m_canvas->setSelectedWeight(m_weight->value() / 100.0); });
    connect(m_weight, &QSlider::valueChanged, this, [this] {
        updateBrush();
        if (!m_weight->isSliderDown()) m_canvas->setSelectedWeight(m_weight->value() / 100.0);
    });
    connect(m_canvas, &DensityCanvas::selectionChanged, this, [this](int i) {
        if (i < 0) return;
        const QSignalBlocker block(m_weight);
        m_weight->setValue(int(std::lround(m_doc->drawing().gaussians()[size_t(i)].weight * 100)));
    });
    return g;
}

QWidget* DrawPanel::buildSources() {
    auto* box = new QGroupBox(tr("Make a density from…"));
    auto* f = new QFormLayout(box);
    auto* imgRow = new QHBoxLayout;
    auto* imgB = new QPushButton(tr("Image…"));
    imgB->setToolTip(tr("Load a PNG or JPEG: dark pixels become high density"));
    m_invert = new QCheckBox(tr("Invert"));
    m_invert->setToolTip(tr("Light pixels become high density instead of dark ones"));
    imgRow->addWidget(imgB);
    imgRow->addWidget(m_invert);
    imgRow->addStretch(1);
    f->addRow(tr("Image"), imgRow);
    connect(imgB, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load an image as a density"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.gif)"));
        if (!path.isEmpty()) loadImageFile(path);
    });

    m_text = new QLineEdit;
    m_text->setObjectName(QStringLiteral("drawText"));
    m_text->setPlaceholderText(tr("a word, then Enter"));
    m_text->setToolTip(tr("Type a word or a letter: it is rendered in a bold font and becomes the density"));
    f->addRow(tr("Text"), m_text);
    connect(m_text, &QLineEdit::returnPressed, this, [this] { useText(m_text->text()); });

    m_formula = new QLineEdit;
    m_formula->setObjectName(QStringLiteral("drawFormula"));
    m_formula->setPlaceholderText(QStringLiteral("-(sqrt(x^2+y^2)-2.6)^2/0.033"));
    m_formula->setToolTip(
        tr("log p(x, y) up to a constant, in muparser syntax (+ - * / ^, sqrt, exp, log, sin, "
           "cos, abs, min, max, pi); Enter uses it"));
    m_formulaStatus = new QLabel;
    m_formulaStatus->setObjectName(QStringLiteral("formulaStatus"));
    m_formulaStatus->setWordWrap(true);
    f->addRow(tr("log p ="), m_formula);
    f->addRow(QString(), m_formulaStatus);
    connect(m_formula, &QLineEdit::textChanged, this, [this](const QString& t) {
        const FormulaCheck c = checkFormula(t);
        if (t.trimmed().isEmpty()) {
            m_formulaStatus->clear();
        } else if (c.ok) {
            m_formulaStatus->setText(tr("✓ valid — press Enter to use it"));
            m_formulaStatus->setStyleSheet(QStringLiteral("color: #7fd17f"));
        } else {
            m_formulaStatus->setText(c.position >= 0
                                         ? tr("✗ %1 (at character %2)").arg(c.message).arg(c.position + 1)
                                         : tr("✗ %1").arg(c.message));
            m_formulaStatus->setStyleSheet(QStringLiteral("color: #ff7f7f"));
        }
    });
    connect(m_formula, &QLineEdit::returnPressed, this, [this] { useFormula(m_formula->text()); });

    m_gallery = new QListWidget;
    m_gallery->setObjectName(QStringLiteral("presetGallery"));
    m_gallery->setViewMode(QListView::IconMode);
    m_gallery->setIconSize(QSize(64, 64));
    m_gallery->setGridSize(QSize(84, 90));
    m_gallery->setMovement(QListView::Static);
    m_gallery->setResizeMode(QListView::Adjust);
    m_gallery->setWrapping(true);
    m_gallery->setFixedHeight(196);
    m_gallery->setToolTip(tr("Start from a preset: it becomes an editable drawing"));
    f->addRow(m_gallery);
    connect(m_gallery, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* it) { usePreset(it->data(Qt::UserRole).toString()); });
    connect(m_gallery, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* it) { usePreset(it->data(Qt::UserRole).toString()); });

    auto* fileRow = new QHBoxLayout;
    auto* imp = new QPushButton(tr("Import…"));
    imp->setToolTip(tr("Open a drawing saved with Export (a .json beside its .png)"));
    auto* exp = new QPushButton(tr("Export…"));
    exp->setToolTip(tr("Save the drawing on its own: NAME.json (Gaussians, box) and NAME.png (paint)"));
    fileRow->addWidget(imp);
    fileRow->addWidget(exp);
    fileRow->addStretch(1);
    f->addRow(tr("Drawing file"), fileRow);
    connect(imp, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Import a drawing"), QString(),
                                                       tr("EBM Lab drawings (*.json)"));
        if (!p.isEmpty()) importDrawing(p);
    });
    connect(exp, &QPushButton::clicked, this, [this] {
        QString p = QFileDialog::getSaveFileName(
            this, tr("Export the drawing"), QStringLiteral("drawing.json"), tr("EBM Lab drawings (*.json)"));
        if (p.isEmpty()) return;
        if (!p.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) p += QStringLiteral(".json");
        exportDrawing(p);
    });
    return box;
}

void DrawPanel::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (m_gallery->count() == 0) fillGallery(); // thumbnails cost ~50 ms: only once the pane is seen
}

void DrawPanel::fillGallery() {
    for (const std::string& name : core::presetNames()) {
        const auto t = core::makePreset(name);
        auto* it = new QListWidgetItem(thumbnail(*t), QString::fromStdString(name));
        it->setData(Qt::UserRole, QString::fromStdString(name));
        it->setToolTip(QString::fromStdString(core::presetDescription(name)));
        m_gallery->addItem(it);
    }
}

bool DrawPanel::liveUpdates() const {
    return m_live->isChecked();
}

QString DrawPanel::message() const {
    return m_message->text();
}

QString DrawPanel::caption() const {
    return m_caption->text();
}

QToolButton* DrawPanel::toolButton(DrawTool t) const {
    return t == DrawTool::Brush ? m_brushTool : t == DrawTool::Eraser ? m_eraserTool : m_gaussTool;
}

void DrawPanel::updateBrush() {
    core::BrushOptions b;
    b.radius = m_size->value();
    b.strength = m_strength->value() / 100.0;
    b.hardness = m_hardness->value() / 100.0;
    m_canvas->setBrush(b);
    m_canvas->setNewGaussian(m_sigma->value(), m_weight->value() / 100.0);
}

void DrawPanel::updateTrainButton() {
    const bool empty = m_doc->drawing().isEmpty();
    m_train->setEnabled(!empty);
    m_train->setText(empty ? tr("Nothing drawn yet — nothing to train on") : tr("Train on this drawing"));
    m_train->setToolTip(
        empty ? tr("An empty drawing has no density: paint, add a Gaussian, or load an image, "
                   "text, formula or preset first")
              : tr("Make this drawing the target; the model keeps its parameters and learns it"));
}

void DrawPanel::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #ff7f7f") : QString());
}

void DrawPanel::usePaint(const core::DensityDrawing::Raster& r, const QString& what, bool keepGaussians,
                         const QString& source) {
    core::DensityDrawing d = m_doc->drawing();
    if (!keepGaussians) d.clear();
    d.setPaint(r);
    m_doc->apply(d, what, source);
}

bool DrawPanel::loadImageFile(const QString& path) {
    try {
        const auto r = rasterFromImageFile(path, m_doc->drawing().cells(), m_invert->isChecked());
        usePaint(r, tr("Load image"), false, tr("Image %1").arg(QFileInfo(path).fileName()));
        return true;
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool DrawPanel::useText(const QString& text) {
    try {
        usePaint(rasterFromText(text, m_doc->drawing().cells()), tr("Text"), false,
                 tr("Text \"%1\"").arg(text.trimmed()));
        return true;
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
}

DrawPanel::~DrawPanel() = default;

bool DrawPanel::useFormula(const QString& expr) {
    const FormulaCheck check = checkFormula(expr);
    if (!check.ok) {
        showMessage(check.message, true);
        return false;
    }
    // Evaluated on a worker thread with a time budget: a formula that is slow on a fine grid never freezes
    // the window, and a newer formula (Enter again) replaces one still being evaluated.
    const int ticket = ++m_formulaTicket;
    const core::Box box = m_doc->drawing().box();
    const int cells = m_doc->drawing().cells();
    showMessage(tr("Evaluating the formula on the %1 × %1 grid…").arg(cells), false);
    m_formulaEval->evaluate(ticket, expr, box, cells);
    return true;
}

void DrawPanel::formulaEvaluated() {
    std::optional<FormulaEvaluator::Result> r = m_formulaEval->take();
    if (!r || r->ticket != m_formulaTicket) return; // a newer formula was entered meanwhile
    const int cells = r->cells;
    const QString& expr = r->expr;
    const core::DensityDrawing::Raster& raster = r->raster;
    const QString& error = r->error;
    QString why = error;
    if (why.isEmpty() && cells != m_doc->drawing().cells())
        why = tr("the drawing's grid changed while the formula was evaluated; press Enter again");
    if (!why.isEmpty()) {
        showMessage(why, true);
        emit formulaDone(false);
        return;
    }
    showMessage(QString(), false);
    usePaint(raster, tr("Formula"), false, tr("log p = %1").arg(expr.trimmed()));
    emit formulaDone(true);
}

bool DrawPanel::usePreset(const QString& name) {
    try {
        const auto t = core::makePreset(name.toStdString());
        m_doc->apply(core::DensityDrawing::fromTarget(*t, m_doc->drawing().box(), m_doc->drawing().cells()),
                     tr("Preset %1").arg(name), tr("Preset %1 (editable)").arg(name));
        return true;
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool DrawPanel::importDrawing(const QString& jsonPath) {
    try {
        m_doc->apply(loadDrawing(jsonPath), tr("Import drawing"),
                     tr("Imported %1").arg(QFileInfo(jsonPath).fileName()));
        return true;
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
}

bool DrawPanel::exportDrawing(const QString& jsonPath) {
    try {
        saveDrawing(m_doc->drawing(), jsonPath);
        showMessage(tr("Exported %1 and its .png").arg(QFileInfo(jsonPath).fileName()), false);
        return true;
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return false;
    }
}

void DrawPanel::blur() {
    core::DensityDrawing d = m_doc->drawing();
    d.blur(std::max(0.02, m_size->value() / 2));
    m_doc->apply(d, tr("Blur"));
}

void DrawPanel::clear() {
    core::DensityDrawing d = m_doc->drawing();
    d.clear();
    m_doc->apply(d, tr("Clear"), QString()); // nothing of the old source is left
}

void DrawPanel::train() {
    try {
        emit trainRequested(m_doc->drawing().toDensity());
        showMessage(tr("Training on the drawing"), false);
    } catch (const std::exception& e) {
        showMessage(QString::fromStdString(e.what()), true);
    }
}

} // namespace ebm::ui
