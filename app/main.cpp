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

namespace {
// --method names come from the objective registry.
QString methodNamesText() {
    QStringList names;
    for (const std::string& n : ebm::core::objectiveNames(ebm::core::ModelKind::Plane))
        names << QString::fromStdString(n);
    return QStringLiteral("Training method: ") + names.join(QStringLiteral(" | ")) +
           QStringLiteral(" (images: ebmlab-cli methods lists which train images).");
}

std::string checkedMethod(const std::string& name, ebm::core::ModelKind kind) {
    const ebm::core::Objective* o = ebm::core::findObjective(name);
    if (o && o->info().supports(kind)) return name;
    std::string valid;
    for (const std::string& n : ebm::core::objectiveNames(kind))
        valid += (valid.empty() ? "" : ", ") + n;
    throw ebm::core::InvalidArgument("unknown " + ebm::core::modelKindName(kind) + " method \"" + name +
                                     "\" for --method (valid: " + valid + ")");
}

/// The command line of ebmlab.
struct Options {
    const QCommandLineOption stats{QStringLiteral("stats"),
                                   QStringLiteral("Show frame-interval p50/p95 in the status bar and print "
                                                  "them on exit (the image window: its training speed).")};
    const QCommandLineOption quitAfter{QStringLiteral("quit-after"), QStringLiteral("Close after <seconds>."),
                                       QStringLiteral("seconds")};
    const QCommandLineOption method{QStringLiteral("method"), methodNamesText(), QStringLiteral("name")};
    const QCommandLineOption target{QStringLiteral("target"),
                                    QStringLiteral("Target preset (e.g. checkerboard)."),
                                    QStringLiteral("name")};
    const QCommandLineOption threads{
        QStringLiteral("threads"),
        QStringLiteral("Threads for the training batches, 1 to 256 (default: all cores in the image "
                       "window; all but one in the 2D window, whose drawing keeps one)."),
        QStringLiteral("n")};
    const QCommandLineOption particles{QStringLiteral("particles"), QStringLiteral("Live particle count."),
                                       QStringLiteral("n")};
    const QCommandLineOption source{QStringLiteral("show"),
                                    QStringLiteral("model | target | difference | fisher"),
                                    QStringLiteral("field")};
    const QCommandLineOption fresh{
        QStringLiteral("no-restore"),
        QStringLiteral("Ignore remembered settings (and neither autosave nor offer "
                       "to recover an autosaved scene).")};
    const QCommandLineOption autosave{
        QStringLiteral("autosave"),
        QStringLiteral("Autosave the scene every <seconds> (1 to 3600; default 60) "
                       "for recovery after a crash."),
        QStringLiteral("seconds"), QStringLiteral("60")};
    const QCommandLineOption draw{QStringLiteral("draw"),
                                  QStringLiteral("Open the pane for drawing the target.")};
    const QCommandLineOption drawing{
        QStringLiteral("drawing"), QStringLiteral("Train on a drawing exported from the Draw pane (.json)."),
        QStringLiteral("file")};
    const QCommandLineOption drawText{QStringLiteral("draw-text"),
                                      QStringLiteral("Train on a word rendered as a density."),
                                      QStringLiteral("text")};
    const QCommandLineOption images{QStringLiteral("images"),
                                    QStringLiteral("Start in the image mode on digits | fashion-mnist | a "
                                                   "folder of PNG images."),
                                    QStringLiteral("data")};
    const QCommandLineOption imageModel{QStringLiteral("image-model"),
                                        QStringLiteral("Start in the image mode with a saved image model."),
                                        QStringLiteral("file")};

    void addTo(QCommandLineParser& p) const {
        p.setApplicationDescription(
            QStringLiteral("EBM Lab: watch an energy-based model learn a 2D density."));
        p.addHelpOption();
        p.addVersionOption();
        p.addOptions({stats, quitAfter, threads, method, target, particles, source, fresh, autosave, draw,
                      drawing, drawText, images, imageModel});
        p.addPositionalArgument(QStringLiteral("session"), QStringLiteral("A saved scene (.ebmlab) to open."),
                                QStringLiteral("[session]"));
    }
};

/// --autosave in milliseconds, or -1 (with the reason on stderr) if it is not a number of seconds in range.
int autosaveMs(const QCommandLineParser& p, const Options& o) {
    bool ok = false;
    const double seconds = p.value(o.autosave).toDouble(&ok);
    if (!ok || !(seconds >= 1 && seconds <= 3600)) {
        std::fprintf(stderr, "ebmlab: --autosave takes a number of seconds from 1 to 3600, got \"%s\"\n",
                     qPrintable(p.value(o.autosave)));
        return -1;
    }
    return int(seconds * 1000);
}

/// The 2D window's start options from the command line; false (with the reason on stderr) on bad input.
bool windowOptions(const QCommandLineParser& p, const Options& o, ebm::ui::StartOptions* opts) {
    opts->stats = p.isSet(o.stats);
    opts->restoreSettings = !p.isSet(o.fresh);
    opts->autosaveMs = autosaveMs(p, o);
    if (opts->autosaveMs < 0) return false;
    opts->askToSave = !p.isSet(o.quitAfter); // a scripted run closes without questions
    if (p.positionalArguments().size() > 1) {
        std::fprintf(stderr, "ebmlab: give at most one session file\n");
        return false;
    }
    try {
        if (p.isSet(o.method))
            opts->settings.trainer.method =
                checkedMethod(p.value(o.method).toStdString(), ebm::core::ModelKind::Plane);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ebmlab: %s\n", e.what());
        return false;
    }
    if (p.isSet(o.target)) {
        opts->settings.target = p.value(o.target).toStdString();
        try {
            (void)ebm::core::makePreset(opts->settings.target);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ebmlab: %s\n", e.what());
            return false;
        }
    }
    if (p.isSet(o.particles))
        opts->settings.particleCount = std::clamp(p.value(o.particles).toInt(), 1, 100000);
    if (p.isSet(o.source)) {
        const QStringList names{QStringLiteral("model"), QStringLiteral("target"),
                                QStringLiteral("difference"), QStringLiteral("fisher")};
        ebm::ui::DisplaySettings d;
        d.source = ebm::ui::FieldSource(std::max<qsizetype>(0, names.indexOf(p.value(o.source))));
        opts->display = d;
    }
    return true;
}

/// The image window's start options from the command line; false (with the reason on stderr) on bad input.
bool imageWindowOptions(const QCommandLineParser& p, const Options& o, ebm::ui::ImageStartOptions* io) {
    io->askToSave = !p.isSet(o.quitAfter);
    io->restoreGeometry = !p.isSet(o.fresh);
    io->autosaveMs = p.isSet(o.fresh) ? 0 : autosaveMs(p, o);
    if (io->autosaveMs < 0) return false;
    if (p.isSet(o.images)) io->settings.data = p.value(o.images).toStdString();
    const std::string& data = io->settings.data;
    if (data != "digits" && data != "fashion-mnist" && !QFileInfo(p.value(o.images)).isDir()) {
        std::fprintf(stderr,
                     "ebmlab: --images takes digits, fashion-mnist or a folder of "
                     "PNG images, got \"%s\"\n",
                     data.c_str());
        return false;
    }
    try {
        if (p.isSet(o.method))
            io->settings.trainer.method =
                checkedMethod(p.value(o.method).toStdString(), ebm::core::ModelKind::Image);
        io->settings.trainer.validate();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ebmlab: %s\n", e.what());
        return false;
    }
    if (p.isSet(o.imageModel)) {
        io->modelFile = p.value(o.imageModel);
        try {
            (void)ebm::io::loadImageModel(io->modelFile.toStdString()); // report a bad file before the window
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ebmlab: %s\n", e.what());
            return false;
        }
    }
    return true;
}

/// Closes the window after --quit-after seconds, if given.
void scheduleQuit(const QCommandLineParser& p, const Options& o, QWidget* window) {
    if (p.isSet(o.quitAfter))
        QTimer::singleShot(int(p.value(o.quitAfter).toDouble() * 1000), window, &QWidget::close);
}

int runImageWindow(QApplication& app, const QCommandLineParser& p, const Options& o) {
    ebm::ui::ImageStartOptions io;
    if (!imageWindowOptions(p, o, &io)) return 2;
    ebm::ui::ImageWindow iw(io);
    if (p.isSet(o.stats))
        QObject::connect(&app, &QCoreApplication::aboutToQuit, &iw, [&iw] {
            const ebm::ui::ImageSnapshotPtr s = iw.lastSnapshot();
            std::printf("ebmlab: image training %.1f steps/s on %d thread(s), step %lld\n",
                        s ? s->stepsPerSecond : 0.0, s ? s->threads : ebm::core::threadCount(),
                        s ? (long long)s->step : 0LL);
            std::fflush(stdout);
        });
    iw.show();
    scheduleQuit(p, o, &iw);
    return app.exec();
}

int runWindow(QApplication& app, const QCommandLineParser& p, const Options& o,
              const ebm::ui::StartOptions& opts) {
    ebm::ui::MainWindow w(opts);
    auto* pane = w.drawPanel();
    if ((p.isSet(o.drawing) && !pane->importDrawing(p.value(o.drawing))) ||
        (p.isSet(o.drawText) && !pane->useText(p.value(o.drawText)))) {
        std::fprintf(stderr, "ebmlab: %s\n", qPrintable(pane->message()));
        return 2;
    }
    if (!p.positionalArguments().isEmpty() && !w.openSession(p.positionalArguments().front())) {
        std::fprintf(stderr, "ebmlab: %s\n", qPrintable(w.lastError()));
        return 2;
    }
    if (p.isSet(o.drawing) || p.isSet(o.drawText)) pane->train();
    if (p.isSet(o.draw) || p.isSet(o.drawing) || p.isSet(o.drawText)) w.showDrawPane(true);
    w.show();
    scheduleQuit(p, o, &w);
    return app.exec();
}

} // namespace

int main(int argc, char** argv) {
    ebm::core::keepFreedMemory(); // before any thread allocates
    QSurfaceFormat fmt;
    fmt.setVersion(4, 3);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    QSurfaceFormat::setDefaultFormat(fmt);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("ebmlab"));

    const Options o;
    QCommandLineParser p;
    o.addTo(p);
    p.process(app);

    // The 2D window's trainer uses all cores but one: the GUI thread, the display thread and Mesa's software
    // rasteriser (where there is no GPU) keep one for drawing; on 2 cores a second training thread was no
    // faster there (docs/window.md). The image window draws little (image grids, charts), and on 2 cores its
    // training went from 16–17 steps/s on one thread to 20–27 on two (the CLI: 26–30).
    const bool images = p.isSet(o.images) || p.isSet(o.imageModel);
    ebm::ui::StartOptions opts;
    // The image window opened from the 2D window (Ctrl+I) trains on every core, as with --images.
    opts.imageThreads = QThread::idealThreadCount();
    int threads = images ? QThread::idealThreadCount() : std::max(1, QThread::idealThreadCount() - 1);
    if (p.isSet(o.threads)) {
        bool ok = false;
        threads = p.value(o.threads).toInt(&ok);
        if (!ok || threads < 1 || threads > 256) {
            std::fprintf(stderr, "ebmlab: --threads takes a whole number from 1 to 256, got \"%s\"\n",
                         qPrintable(p.value(o.threads)));
            return 2;
        }
        opts.imageThreads = 0; // the count given, in both windows
    }
    ebm::core::setThreadCount(threads);
    ebm::ui::applyDarkTheme(app);
    ebm::ui::installWheelGuard(app); // the wheel changes a setting only once it has focus, in every window
    if (!windowOptions(p, o, &opts)) return 2;
    if (images) return runImageWindow(app, p, o);
    return runWindow(app, p, o, opts);
}
