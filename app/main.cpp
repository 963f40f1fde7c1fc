// ebmlab: the EBM Lab window. Parses options, wires, runs (no logic here).
#include "apptheme.h"
#include "drawpanel.h"
#include "imagewindow.h"
#include "mainwindow.h"
#include "wheelguard.h"
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSurfaceFormat>
#include <QThread>
#include <QTimer>
#include <cstdio>
#include <ebm/core/density.h>
#include <ebm/core/parallel.h>
#include <ebm/core/trainer.h>
#include <ebm/io/imagemodelfile.h>

int main(int argc, char** argv) {
    QSurfaceFormat fmt;
    fmt.setVersion(4, 3);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    QSurfaceFormat::setDefaultFormat(fmt);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("ebmlab"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("EBM Lab: watch an energy-based model learn a 2D density."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption stats(
        QStringLiteral("stats"),
        QStringLiteral("Show frame-interval p50/p95 in the status bar and print them on exit."));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after"), QStringLiteral("Close after <seconds>."),
                                       QStringLiteral("seconds"));
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("cd | sm | ssm | dsm | nce"),
                                    QStringLiteral("name"));
    const QCommandLineOption target(QStringLiteral("target"),
                                    QStringLiteral("Target preset (e.g. checkerboard)."),
                                    QStringLiteral("name"));
    const QCommandLineOption particles(QStringLiteral("particles"), QStringLiteral("Live particle count."),
                                       QStringLiteral("n"));
    const QCommandLineOption source(QStringLiteral("show"),
                                    QStringLiteral("model | target | difference | fisher"),
                                    QStringLiteral("field"));
    const QCommandLineOption fresh(QStringLiteral("no-restore"),
                                   QStringLiteral("Ignore remembered settings."));
    const QCommandLineOption draw(QStringLiteral("draw"),
                                  QStringLiteral("Open the pane for drawing the target."));
    const QCommandLineOption drawing(
        QStringLiteral("drawing"), QStringLiteral("Train on a drawing exported from the Draw pane (.json)."),
        QStringLiteral("file"));
    const QCommandLineOption drawText(QStringLiteral("draw-text"),
                                      QStringLiteral("Train on a word rendered as a density."),
                                      QStringLiteral("text"));
    const QCommandLineOption images(
        QStringLiteral("images"),
        QStringLiteral("Start in the image mode on digits | fashion-mnist | a folder of PNG images."),
        QStringLiteral("data"));
    const QCommandLineOption imageModel(QStringLiteral("image-model"),
                                        QStringLiteral("Start in the image mode with a saved image model."),
                                        QStringLiteral("file"));
    p.addOptions({stats, quitAfter, method, target, particles, source, fresh, draw, drawing, drawText, images,
                  imageModel});
    p.addPositionalArgument(QStringLiteral("session"), QStringLiteral("A saved scene (.ebmlab) to open."),
                            QStringLiteral("[session]"));
    p.process(app);

    // The trainer's batches use all but one core: the GUI thread (and Mesa's software rasteriser, where
    // there is no GPU) keep one for drawing.
    ebm::core::setThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    ebm::ui::applyDarkTheme(app);
    ebm::ui::installWheelGuard(app); // the wheel changes a setting only once it has focus, in every window
    ebm::ui::StartOptions opts;
    opts.stats = p.isSet(stats);
    opts.restoreSettings = !p.isSet(fresh);
    opts.askToSave = !p.isSet(quitAfter); // a scripted run closes without questions
    if (p.positionalArguments().size() > 1) {
        std::fprintf(stderr, "ebmlab: give at most one session file\n");
        return 2;
    }
    try {
        if (p.isSet(method))
            opts.settings.trainer.method = ebm::core::parseMethod(p.value(method).toStdString());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ebmlab: %s\n", e.what());
        return 2;
    }
    if (p.isSet(target)) {
        opts.settings.target = p.value(target).toStdString();
        try {
            (void)ebm::core::makePreset(opts.settings.target);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ebmlab: %s\n", e.what());
            return 2;
        }
    }
    if (p.isSet(particles)) opts.settings.particleCount = std::clamp(p.value(particles).toInt(), 1, 100000);
    if (p.isSet(source)) {
        const QStringList names{QStringLiteral("model"), QStringLiteral("target"),
                                QStringLiteral("difference"), QStringLiteral("fisher")};
        ebm::ui::DisplaySettings d;
        d.source = ebm::ui::FieldSource(std::max<qsizetype>(0, names.indexOf(p.value(source))));
        opts.display = d;
    }
    if (p.isSet(images) || p.isSet(imageModel)) {
        ebm::ui::ImageStartOptions io;
        io.askToSave = !p.isSet(quitAfter);
        io.restoreGeometry = !p.isSet(fresh);
        if (p.isSet(images)) io.settings.data = p.value(images).toStdString();
        const std::string& data = io.settings.data;
        if (data != "digits" && data != "fashion-mnist" && !QFileInfo(p.value(images)).isDir()) {
            std::fprintf(
                stderr,
                "ebmlab: --images takes digits, fashion-mnist or a folder of PNG images, got \"%s\"\n",
                data.c_str());
            return 2;
        }
        try {
            if (p.isSet(method))
                io.settings.trainer.method = ebm::core::parseMethod(p.value(method).toStdString());
            io.settings.trainer.validate();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ebmlab: %s\n", e.what());
            return 2;
        }
        if (p.isSet(imageModel)) {
            io.modelFile = p.value(imageModel);
            try {
                (void)ebm::io::loadImageModel(
                    io.modelFile.toStdString()); // report a bad file before the window
            } catch (const std::exception& e) {
                std::fprintf(stderr, "ebmlab: %s\n", e.what());
                return 2;
            }
        }
        ebm::ui::ImageWindow iw(io);
        iw.show();
        if (p.isSet(quitAfter))
            QTimer::singleShot(int(p.value(quitAfter).toDouble() * 1000), &iw, &QWidget::close);
        return app.exec();
    }
    ebm::ui::MainWindow w(opts);
    auto* pane = w.drawPanel();
    if ((p.isSet(drawing) && !pane->importDrawing(p.value(drawing))) ||
        (p.isSet(drawText) && !pane->useText(p.value(drawText)))) {
        std::fprintf(stderr, "ebmlab: %s\n", qPrintable(pane->message()));
        return 2;
    }
    if (!p.positionalArguments().isEmpty() && !w.openSession(p.positionalArguments().front())) {
        std::fprintf(stderr, "ebmlab: %s\n", qPrintable(w.lastError()));
        return 2;
    }
    if (p.isSet(drawing) || p.isSet(drawText)) pane->train();
    if (p.isSet(draw) || p.isSet(drawing) || p.isSet(drawText)) w.showDrawPane(true);
    w.show();
    if (p.isSet(quitAfter))
        QTimer::singleShot(int(p.value(quitAfter).toDouble() * 1000), &w, &QWidget::close);
    return app.exec();
}
