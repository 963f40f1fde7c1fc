#include "guidewindow.h"

#include "colormaps.h"
#include <QColor>
#include <QEvent>
#include <QFile>
#include <QGroupBox>
#include <QImage>
#include <QScrollBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <ebm/render/arrows.h>
#include <ebm/render/legend.h>
#include <ebm/render/particles.h>

namespace ebm::ui {

namespace {
QString swatch(int r, int g, int b) {
    return QStringLiteral("<span style=\"color:%1\">■</span> %2")
        .arg(QColor(r, g, b).name(), colourName(r, g, b));
}
QString swatch(render::Rgb8 c) {
    return swatch(c.r, c.g, c.b);
}
QString swatch(render::Rgb c) {
    return swatch(int(std::lround(c.r * 255)), int(std::lround(c.g * 255)), int(std::lround(c.b * 255)));
}

// Keeps a "?" button in the top-right corner of its group box.
class CornerPlacer : public QObject {
public:
    CornerPlacer(QWidget* box, QToolButton* button) : QObject(box), m_button(button) {
        box->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* o, QEvent* e) override {
        if (e->type() == QEvent::Resize || e->type() == QEvent::Show) {
            auto* box = static_cast<QWidget*>(o);
            m_button->move(box->width() - m_button->width() - 6, 0);
            m_button->raise();
        }
        return false;
    }

private:
    QToolButton* m_button;
};
} // namespace

QString colourName(int r, int g, int b) {
    const QColor c(r, g, b);
    const double light = c.lightnessF(), chroma = (std::max({r, g, b}) - std::min({r, g, b})) / 255.0;
    if (chroma < 0.12)
        return light > 0.85  ? QObject::tr("white")
               : light > 0.6 ? QObject::tr("light grey")
               : light > 0.3 ? QObject::tr("grey")
                             : QObject::tr("black");
    const int h = c.hslHue();
    const QString name = h < 15 || h >= 345 ? QObject::tr("red")
                         : h < 45           ? QObject::tr("orange")
                         : h < 70           ? QObject::tr("yellow")
                         : h < 160          ? QObject::tr("green")
                         : h < 190          ? QObject::tr("cyan")
                         : h < 250          ? QObject::tr("blue")
                         : h < 290          ? QObject::tr("violet")
                                            : QObject::tr("magenta");
    return light > 0.72 ? QObject::tr("light %1").arg(name) : name;
}

QStringList GuideWindow::sections() {
    return {QStringLiteral("start"),   QStringLiteral("layers"),    QStringLiteral("colours"),
            QStringLiteral("view"),    QStringLiteral("target"),    QStringLiteral("method"),
            QStringLiteral("model"),   QStringLiteral("particles"), QStringLiteral("charts"),
            QStringLiteral("drawing"), QStringLiteral("undo"),      QStringLiteral("keys"),
            QStringLiteral("glossary")};
}

QString GuideWindow::html() {
    QFile f(QStringLiteral(":/guide.html"));
    if (!f.open(QIODevice::ReadOnly)) return tr("<p>The guide is missing from this build.</p>");
    QString h = QString::fromUtf8(f.readAll());
    using render::PointSet;
    const std::pair<const char*, QString> colours[] = {
        {"particles", swatch(render::pointColor(PointSet::Particles, false))},
        {"data", swatch(render::pointColor(PointSet::Data, false))},
        {"negatives", swatch(render::pointColor(PointSet::MethodSamples, false))},
        {"noise", swatch(render::pointColor(PointSet::MethodSamples, true))},
        {"arrows", swatch(render::kModelArrowColor)},
        {"targetArrows", swatch(render::kTargetArrowColor)},
        {"boundary", swatch(render::kBoundaryColor)}};
    for (const auto& [key, html] : colours)
        h.replace(QStringLiteral("{{%1}}").arg(QLatin1String(key)), html);
    return h;
}

GuideWindow::GuideWindow(QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("guideWindow"));
    setWindowTitle(tr("EBM Lab guide"));
    setModal(false);
    m_browser = new QTextBrowser;
    m_browser->setObjectName(QStringLiteral("guideBrowser"));
    m_browser->setOpenExternalLinks(false);
    // The colour maps as bars, drawn from the same tables as the view.
    const std::pair<const char*, ColorMap> maps[] = {
        {"viridis", ColorMap::Viridis}, {"magma", ColorMap::Magma}, {"coolwarm", ColorMap::CoolWarm}};
    for (const auto& [key, map] : maps) {
        QImage bar(240, 12, QImage::Format_RGB32);
        for (int x = 0; x < bar.width(); ++x)
            for (int y = 0; y < bar.height(); ++y)
                bar.setPixelColor(x, y, qColorAt(map, x / double(bar.width() - 1)));
        m_browser->document()->addResource(QTextDocument::ImageResource,
                                           QUrl(QStringLiteral("colormap:%1").arg(QLatin1String(key))), bar);
    }
    m_browser->setHtml(html());
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->addWidget(m_browser);
    resize(680, 760);
}

bool GuideWindow::showSection(const QString& anchor) {
    if (anchor.isEmpty()) {
        m_browser->verticalScrollBar()->setValue(0);
        return true;
    }
    if (!sections().contains(anchor)) return false;
    m_browser->scrollToAnchor(anchor);
    // Right after show() the document may not be laid out at its final width yet: once more when it is.
    QTimer::singleShot(0, m_browser, [b = m_browser, anchor] { b->scrollToAnchor(anchor); });
    return true;
}

GuideWindow* GuideWindow::showGuide(QWidget* from, const QString& anchor) {
    QWidget* top = from ? from->window() : nullptr;
    GuideWindow* g = top ? top->findChild<GuideWindow*>(QString(), Qt::FindDirectChildrenOnly) : nullptr;
    if (!g) g = new GuideWindow(top);
    g->show();
    g->raise();
    g->activateWindow();
    g->showSection(anchor);
    return g;
}

QToolButton* addGuideButton(QGroupBox* box, const QString& anchor) {
    auto* b = new QToolButton(box);
    b->setObjectName(QStringLiteral("guide-%1").arg(anchor));
    b->setText(QStringLiteral("?"));
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus);
    b->setFixedSize(18, 18);
    b->setToolTip(GuideWindow::tr("What these controls do: opens the guide at this section (F1: the guide)"));
    b->setProperty("guideAnchor", anchor);
    QObject::connect(b, &QToolButton::clicked, box, [box, anchor] { GuideWindow::showGuide(box, anchor); });
    new CornerPlacer(box, b);
    return b;
}

} // namespace ebm::ui
