#pragma once
// Shared by the GUI tests: a main() that prepares the display environment, and pixel helpers.
#include "apptheme.h"
#include "colormaps.h"
#include "drawpanel.h"
#include "wheelguard.h"
#include <QApplication>
#include <QColor>
#include <QDir>
#include <QImage>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QTest>
#include <limits>

namespace ebm::ui::test {

/// t in [0, 1] whose colour-map colour is nearest to c (inverts the landscape's colouring).
inline double invertColor(ColorMap m, QColor c) {
    static const QImage table = colorMapTable();
    double best = std::numeric_limits<double>::max();
    int bestI = 0;
    for (int i = 0; i < table.width(); ++i) {
        const QColor t = table.pixelColor(i, int(m));
        const double d = std::pow(t.red() - c.red(), 2) + std::pow(t.green() - c.green(), 2) +
                         std::pow(t.blue() - c.blue(), 2);
        if (d < best) {
            best = d;
            bestI = i;
        }
    }
    return bestI / 255.0;
}

/// Types a formula into the Draw pane the way Enter does and waits for its evaluation (on the pane's worker
/// thread): true if it became the drawing, false if it was refused.
inline bool applyFormula(DrawPanel* pane, const QString& expr) {
    QSignalSpy done(pane, &DrawPanel::formulaDone);
    if (!pane->useFormula(expr)) return false;
    return done.wait(30000) && done.front().front().toBool();
}

/// Everything a GUI test needs before QApplication: a 4.3 core default format, a private runtime dir
/// (Qt warns without one), test-mode settings (never the user's).
inline void prepareEnvironment() {
    QSurfaceFormat fmt;
    fmt.setVersion(4, 3);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    QSurfaceFormat::setDefaultFormat(fmt);
    const QString runtime = QDir::tempPath() + QStringLiteral("/ebmlab-test-runtime");
    QDir().mkpath(runtime);
    QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", runtime.toLocal8Bit());
    QStandardPaths::setTestModeEnabled(true);
}

} // namespace ebm::ui::test

#define EBM_GUI_TEST_MAIN(TestClass)                                                                         \
    int main(int argc, char** argv) {                                                                        \
        ebm::ui::test::prepareEnvironment();                                                                 \
        QApplication app(argc, argv);                                                                        \
        QApplication::setOrganizationName(QStringLiteral("EBM Lab"));                                        \
        QApplication::setApplicationName(QStringLiteral("EBM Lab"));                                         \
        ebm::ui::applyDarkTheme(app);                                                                        \
        ebm::ui::installWheelGuard(app);                                                                     \
        TestClass t;                                                                                         \
        return QTest::qExec(&t, argc, argv);                                                                 \
    }
