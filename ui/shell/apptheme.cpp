#include "apptheme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace ebm::ui {

void applyDarkTheme(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(37, 38, 44), base(27, 28, 32), text(220, 222, 228), dim(130, 134, 145);
    const QColor accent(86, 156, 214);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, QColor(50, 52, 60));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(48, 50, 57));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::PlaceholderText, dim);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, dim);
    app.setPalette(p);
    app.setStyleSheet(
        QStringLiteral("QGroupBox { font-weight: 600; border: 1px solid #44464f; border-radius: 4px;"
                       " margin-top: 1.2em; padding-top: 4px; }"
                       "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }"
                       "QStatusBar QLabel { padding: 0 8px; }"));
}

} // namespace ebm::ui
