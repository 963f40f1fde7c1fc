#pragma once
/// @file guidewindow.h
/// The in-app guide (Help ▸ Guide, F1): what each layer, colour and chart shows, the keys, and a
/// glossary, from resources/guide.html with one anchor per section. The layer colours in it are filled
/// in from the same definitions the view and the exporter draw with, so the guide names what is drawn.
/// Panels link to their section with a small "?" button (addGuideButton).
#include <QDialog>
#include <QString>

class QGroupBox;
class QTextBrowser;
class QToolButton;

namespace ebm::ui {

class GuideWindow : public QDialog {
    Q_OBJECT
public:
    explicit GuideWindow(QWidget* parent = nullptr);

    /// Shows the guide of from's window (creating it on first use), scrolled to the section anchor
    /// (empty: the top). Returns it.
    static GuideWindow* showGuide(QWidget* from, const QString& anchor = {});
    /// Scrolls to a section ("layers", "glossary", ...); false if the guide has no such anchor.
    bool showSection(const QString& anchor);
    QTextBrowser* browser() const { return m_browser; }
    /// The guide as HTML, the colour placeholders filled in.
    static QString html();
    /// The section anchors, in order.
    static QStringList sections();

private:
    QTextBrowser* m_browser;
};

/// A small "?" button in the top-right corner of box that opens the guide at anchor.
QToolButton* addGuideButton(QGroupBox* box, const QString& anchor);

/// A plain colour name for an sRGB colour ("white", "orange", "magenta", "light blue", ...).
QString colourName(int r, int g, int b);

} // namespace ebm::ui
