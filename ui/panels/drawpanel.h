#pragma once
/// @file drawpanel.h
/// The drawing pane: the canvas with its tools (brush, eraser, Gaussian; size, strength, softness,
/// width, weight; blur, clear, undo, redo), the other ways to make a density (an image, a word, a
/// formula, a preset from the gallery), import/export of a drawing, and the button that trains on it.
/// It knows nothing about training: it emits the density and MainWindow hands it to the worker.
#include "densitycanvas.h"
#include "drawingdocument.h"
#include <QWidget>
#include <ebm/core/density.h>
#include <memory>

class QAction;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSlider;
class QToolButton;

namespace ebm::ui {

class FormulaEvaluator;

class DrawPanel : public QWidget {
    Q_OBJECT
public:
    /// The longest a typed formula may take to evaluate on the drawing's grid.
    static constexpr int kFormulaBudgetMs = 3000;

    explicit DrawPanel(QWidget* parent = nullptr);
    ~DrawPanel() override;

    DrawingDocument* document() const { return m_doc; }
    DensityCanvas* canvas() const { return m_canvas; }
    QAction* undoAction() const { return m_undo; }
    QAction* redoAction() const { return m_redo; }
    /// Whether changes are handed to the trainer as they happen (while it trains on the drawing).
    bool liveUpdates() const;
    /// The last message shown under the canvas (an error, an export, training started); empty when none.
    QString message() const;
    /// The caption under the canvas: what the drawing on screen was made from (follows undo and redo).
    QString caption() const;
    /// The tool buttons (checkable, one group: the checked one is the canvas's tool).
    QToolButton* toolButton(DrawTool t) const;

public slots:
    /// Each returns false (and shows why, leaving the drawing as it was) on bad input.
    bool loadImageFile(const QString& path);
    bool useText(const QString& text);
    /// Checks the formula at once (false, with the message, if it does not parse), then evaluates it on a
    /// worker thread for at most kFormulaBudgetMs; formulaDone(ok) follows, and on success the paint is
    /// replaced (one undo step). A formula that is NaN or +inf somewhere, or too slow, changes nothing.
    bool useFormula(const QString& expr);
    bool usePreset(const QString& name);
    bool importDrawing(const QString& jsonPath);
    bool exportDrawing(const QString& jsonPath);
    void blur();
    void clear();
    /// Emits trainRequested with the drawing's density, or shows why it cannot (empty drawing).
    void train();

signals:
    void trainRequested(std::shared_ptr<const core::TargetDensity> density);
    /// The drawing changed (any edit, undo or redo).
    void drawingChanged();
    /// A formula from useFormula() was evaluated: used (true) or refused with a message (false).
    void formulaDone(bool ok);

protected:
    void showEvent(QShowEvent* e) override;

private:
    DrawingDocument* m_doc;
    DensityCanvas* m_canvas;
    QAction *m_undo, *m_redo;
    QToolButton *m_brushTool, *m_eraserTool, *m_gaussTool;
    QDoubleSpinBox *m_size, *m_sigma;
    QSlider *m_strength, *m_hardness, *m_weight;
    QCheckBox* m_invert;
    QLineEdit *m_text, *m_formula;
    QLabel* m_formulaStatus;
    QListWidget* m_gallery;
    QPushButton* m_train;
    QCheckBox* m_live;
    QLabel* m_caption;
    QLabel* m_message;
    int m_formulaTicket = 0; ///< the formula being evaluated (a newer one replaces it)
    std::unique_ptr<FormulaEvaluator> m_formulaEval; ///< joined before the widget goes

    QWidget* buildTools();
    QWidget* buildSources();
    void fillGallery();
    void updateBrush();
    void updateTrainButton();
    void showMessage(const QString& text, bool error);
    /// Replaces the paint by r as one undoable action (Gaussians are kept only if keepGaussians).
    void usePaint(const core::DensityDrawing::Raster& r, const QString& what, bool keepGaussians,
                  const QString& source);
    void formulaEvaluated();
};

} // namespace ebm::ui
