// ebmlab-soak: the real 2D window (and the image window it opens) driven for a long time by random user
// actions at a human pace, measured every minute (scripts/soak runs it under Xvfb; README "Soak").
//
// Actions: method keys, target switches, hyperparameter changes, drawing strokes with undo and training on
// the drawing, wheel zooms and drag pans, particle and view resets, session save and reopen, a short GIF
// export, opening and closing the image window. Each minute: resident memory, open file descriptors,
// threads, frame-interval p50/p95 over that minute, training steps, actions. Writes OUT/soak.csv and
// OUT/soak.png (the figures over time) and fails (exit 1) on:
//   - an unexpected dialog (an error message box), or a window that stopped training;
//   - resident memory growing more than 10% from minute 5 to the end (runs of 6 minutes or more);
//   - the frame interval's p95 doubling: the median of the last three minutes against the median of the
//     minutes 2 to 4 (runs of 7 minutes or more);
//   - more than 20 file descriptors opened and not closed from minute 5 to the end.
// A crash ends the process (scripts/soak reports it); the last action is on stdout.
#include "apptheme.h"
#include "drawpanel.h"
#include "exportdialog.h"
#include "imagewindow.h"
#include "landscapeview.h"
#include "mainwindow.h"
#include "sessionfiles.h"
#include "testtime.h"
#include "wheelguard.h"
#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPointer>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ebm/core/density.h>
#include <ebm/core/parallel.h>
#include <functional>
#include <random>

using namespace ebm;
using namespace ebm::ui;

namespace {

struct Sample {
    double minute = 0;
    double rssMb = 0;
    int fds = 0, threads = 0;
    double frameP50 = 0, frameP95 = 0;
    long long frames = 0, step = 0, actions = 0;
};

/// A field of /proc/self/status, in its own units (kB for VmRSS).
long procStatus(const char* key) {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(key)) return line.mid(int(qstrlen(key))).trimmed().split(' ').front().toLong();
    return -1;
}

int openFiles() {
    return int(
        QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size());
}

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// The smallest 1, 2, 2.5 or 5 times a power of ten that is at least v (an axis's top, so its quarter ticks
/// are round numbers).
double niceCeiling(double v) {
    const double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * p >= v) return m * p;
    return 10 * p;
}

/// Reads a CSV written by a soak (for --plot).
std::vector<Sample> readCsv(const QString& path) {
    std::vector<Sample> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return out;
    f.readLine(); // header
    while (!f.atEnd()) {
        const QList<QByteArray> c = f.readLine().trimmed().split(',');
        if (c.size() < 9) continue;
        Sample x;
        x.minute = c[0].toDouble();
        x.rssMb = c[1].toDouble();
        x.fds = c[2].toInt();
        x.threads = c[3].toInt();
        x.frameP50 = c[4].toDouble();
        x.frameP95 = c[5].toDouble();
        x.frames = c[6].toLongLong();
        x.step = c[7].toLongLong();
        x.actions = c[8].toLongLong();
        out.push_back(x);
    }
    return out;
}

/// One line chart per series list, stacked: minutes on x, with ticks, a title and a legend.
bool plot(const std::vector<Sample>& s, const QString& path) {
    QImage img(1000, 720, QImage::Format_RGB32);
    img.fill(QColor(250, 250, 250));
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    struct Series {
        QString name;
        QColor colour;
        std::function<double(const Sample&)> value;
    };
    struct Panel {
        QString title;
        std::vector<Series> series;
    };
    const std::vector<Panel> panels = {
        {QStringLiteral("Resident memory (MB)"),
         {{QStringLiteral("RSS"), QColor(31, 119, 180), [](const Sample& x) { return x.rssMb; }}}},
        {QStringLiteral("Frame interval over each minute (ms)"),
         {{QStringLiteral("p50"), QColor(44, 160, 44), [](const Sample& x) { return x.frameP50; }},
          {QStringLiteral("p95"), QColor(214, 39, 40), [](const Sample& x) { return x.frameP95; }}}},
        {QStringLiteral("Open file descriptors and threads"),
         {{QStringLiteral("file descriptors"), QColor(148, 103, 189),
           [](const Sample& x) { return double(x.fds); }},
          {QStringLiteral("threads"), QColor(255, 127, 14),
           [](const Sample& x) { return double(x.threads); }}}}};
    // Minutes on x up to a multiple of 6 (the seven ticks fall on whole numbers; a sample a second past the
    // minute does not add another six).
    const double tMax = s.empty() ? 6 : 6 * std::max(1.0, std::ceil((s.back().minute - 0.05) / 6));
    const int left = 80, right = 30, top = 20, gap = 40;
    const int h = (img.height() - top - gap * int(panels.size())) / int(panels.size());
    for (std::size_t k = 0; k < panels.size(); ++k) {
        const QRect r(left, top + int(k) * (h + gap), img.width() - left - right, h - 20);
        double vMax = 1;
        for (const Sample& x : s)
            for (const Series& ser : panels[k].series)
                vMax = std::max(vMax, ser.value(x));
        vMax = niceCeiling(vMax * 1.1);
        p.setPen(QColor(40, 40, 40));
        p.drawRect(r);
        p.drawText(QRect(r.left(), r.top() - 18, r.width(), 16), Qt::AlignLeft, panels[k].title);
        for (int i = 0; i <= 4; ++i) { // y ticks
            const double v = vMax * i / 4;
            const int y = r.bottom() - int(r.height() * i / 4.0);
            p.setPen(QColor(220, 220, 220));
            p.drawLine(r.left(), y, r.right(), y);
            p.setPen(QColor(40, 40, 40));
            p.drawText(QRect(0, y - 8, left - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                       QString::number(v, 'g', 3));
        }
        for (int i = 0; i <= 6; ++i) { // x ticks (minutes)
            const double t = tMax * i / 6;
            const int x = r.left() + int(r.width() * i / 6.0);
            p.drawLine(x, r.bottom(), x, r.bottom() + 4);
            p.drawText(QRect(x - 30, r.bottom() + 4, 60, 14), Qt::AlignCenter, QString::number(t, 'g', 3));
        }
        int legendX = r.right() - 10;
        for (auto it = panels[k].series.rbegin(); it != panels[k].series.rend(); ++it) {
            QPolygonF line;
            for (const Sample& x : s)
                line << QPointF(r.left() + r.width() * x.minute / tMax,
                                r.bottom() - r.height() * it->value(x) / vMax);
            p.setPen(QPen(it->colour, 2));
            p.drawPolyline(line);
            p.setBrush(it->colour);
            for (const QPointF& q : line)
                p.drawEllipse(q, 2.5, 2.5);
            p.setBrush(Qt::NoBrush);
            const int w = p.fontMetrics().horizontalAdvance(it->name) + 30;
            legendX -= w;
            p.drawLine(legendX, r.top() + 12, legendX + 18, r.top() + 12);
            p.setPen(QColor(40, 40, 40));
            p.drawText(legendX + 22, r.top() + 16, it->name);
        }
    }
    p.drawText(QRect(0, img.height() - 18, img.width(), 16), Qt::AlignCenter, QStringLiteral("minutes"));
    p.end();
    return img.save(path);
}

class Soak : public QObject {
public:
    Soak(double minutes, std::uint64_t seed, const QString& out)
        : m_minutes(minutes), m_rng(seed), m_out(out) {
        StartOptions o;
        o.restoreSettings = false;
        o.askToSave = false;
        m_window = std::make_unique<MainWindow>(o);
        m_window->resize(1400, 900);
        m_window->show();
        m_clock.start();
        m_lastSample = 0;
        m_action.setSingleShot(true);
        connect(&m_action, &QTimer::timeout, this, [this] { act(); });
        m_action.start(3000);
        m_sampler.setInterval(60000);
        connect(&m_sampler, &QTimer::timeout, this, [this] { sample(); });
        m_sampler.start();
        QTimer::singleShot(int(m_minutes * 60000), this, [this] { finish(); });
        m_csv.setFileName(QDir(m_out).filePath(QStringLiteral("soak.csv")));
        if (!m_csv.open(QIODevice::WriteOnly | QIODevice::Truncate))
            fail(QStringLiteral("cannot write %1").arg(m_csv.fileName()));
        m_csv.write("minute,rss_mb,open_files,threads,frame_p50_ms,frame_p95_ms,frames,step,actions\n");
    }
    int result() const { return m_failed ? 1 : 0; }

private:
    double m_minutes;
    std::mt19937_64 m_rng;
    QString m_out;
    std::unique_ptr<MainWindow> m_window;
    QPointer<ImageWindow> m_images;
    QElapsedTimer m_clock;
    QTimer m_action, m_sampler;
    QFile m_csv;
    std::vector<Sample> m_samples;
    double m_lastSample = 0;
    long long m_actions = 0;
    std::int64_t m_stepAtSample = 0;
    bool m_failed = false;
    QTemporaryDir m_files;

    int uniform(int n) { return int(std::uniform_int_distribution<int>(0, n - 1)(m_rng)); }
    double real(double a, double b) { return std::uniform_real_distribution<double>(a, b)(m_rng); }

    void fail(const QString& why) {
        std::printf("soak: FAIL at %.1f min: %s\n", m_clock.elapsed() / 60000.0, qPrintable(why));
        std::fflush(stdout);
        m_failed = true;
    }
    void log(const QString& what) {
        std::printf("soak: %7.2f min  %s\n", m_clock.elapsed() / 60000.0, qPrintable(what));
        std::fflush(stdout);
    }

    QAction* action(const QString& text) const {
        for (QAction* a : m_window->findChildren<QAction*>())
            if (a->text() == text) return a;
        return nullptr;
    }

    void act() {
        // An error dialog left open means something went wrong; the soak closes it and fails.
        if (QWidget* modal = QApplication::activeModalWidget()) {
            const auto* box = qobject_cast<QMessageBox*>(modal);
            fail(QStringLiteral("unexpected dialog: %1").arg(box ? box->text() : modal->windowTitle()));
            modal->close();
        }
        MainWindow& w = *m_window;
        LandscapeView* view = w.view();
        const QPoint centre(view->width() / 2, view->height() / 2);
        const int kind = uniform(12);
        ++m_actions;
        switch (kind) {
        case 0: { // a method key
            const int key = 1 + uniform(5);
            log(QStringLiteral("method key %1").arg(key));
            QTest::keyClick(view, Qt::Key(Qt::Key_0 + key));
            break;
        }
        case 1: { // another target
            const auto names = core::presetNames();
            WorkerSettings s = w.settings();
            s.target = names[std::size_t(uniform(int(names.size())))];
            log(QStringLiteral("target %1").arg(QString::fromStdString(s.target)));
            w.applySettings(s);
            break;
        }
        case 2: { // a hyperparameter
            WorkerSettings s = w.settings();
            s.trainer.optimizer.learningRate = float(std::pow(10.0, real(-3.7, -2.5)));
            s.particleCount = 500 + uniform(4000);
            log(QStringLiteral("learning rate %1, %2 particles")
                    .arg(s.trainer.optimizer.learningRate)
                    .arg(s.particleCount));
            w.applySettings(s);
            break;
        }
        case 3: { // a stroke on the Draw pane, sometimes undone, sometimes trained on
            w.showDrawPane(true);
            QWidget* c = w.drawPanel()->canvas();
            QPoint a(uniform(c->width()), uniform(c->height())), b(uniform(c->width()), uniform(c->height()));
            QTest::mousePress(c, Qt::LeftButton, {}, a);
            for (int i = 1; i <= 10; ++i)
                QTest::mouseMove(c, a + (b - a) * i / 10, 15);
            QTest::mouseRelease(c, Qt::LeftButton, {}, b);
            const int next = uniform(3);
            log(QStringLiteral("stroke%1")
                    .arg(next == 0   ? QStringLiteral(", undone")
                         : next == 1 ? QStringLiteral(", trained on")
                                     : QString()));
            if (next == 0) w.drawPanel()->undoAction()->trigger();
            if (next == 1) w.drawPanel()->train();
            break;
        }
        case 4: { // wheel zoom
            const bool in = uniform(2);
            log(QStringLiteral("wheel zoom %1").arg(in ? "in" : "out"));
            QWheelEvent e(QPointF(centre), view->mapToGlobal(QPointF(centre)), QPoint(),
                          QPoint(0, in ? 120 : -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(view, &e);
            break;
        }
        case 5: { // drag pan
            log(QStringLiteral("pan"));
            const QPoint to = centre + QPoint(uniform(200) - 100, uniform(200) - 100);
            QTest::mousePress(view, Qt::LeftButton, {}, centre);
            for (int i = 1; i <= 8; ++i)
                QTest::mouseMove(view, centre + (to - centre) * i / 8, 15);
            QTest::mouseRelease(view, Qt::LeftButton, {}, to);
            break;
        }
        case 6: { // reset particles, or the view
            const bool particles = uniform(2);
            log(particles ? QStringLiteral("reset particles") : QStringLiteral("reset view"));
            if (QAction* a =
                    action(particles ? QStringLiteral("Reset &particles") : QStringLiteral("Reset &view")))
                a->trigger();
            else
                fail(QStringLiteral("no reset action"));
            break;
        }
        case 7: { // save the session, then open it again
            const QString path = m_files.filePath(QStringLiteral("soak.ebmlab"));
            log(QStringLiteral("save and reopen"));
            w.sessionFiles()->save(path, [this, path](bool ok, const QString& error) {
                if (!ok) return fail(QStringLiteral("save failed: %1").arg(error));
                if (!m_window->openSession(path))
                    fail(QStringLiteral("reopen failed: %1").arg(m_window->lastError()));
            });
            break;
        }
        case 8: { // a short GIF export
            ExportDialog* d = w.exportDialog();
            if (d->busy()) break;
            log(QStringLiteral("GIF export"));
            d->pathEdit()->setText(m_files.filePath(QStringLiteral("soak.gif")));
            d->setSize(200, 150);
            d->setRun(20, 10, 5);
            if (!d->startExport()) fail(QStringLiteral("export refused: %1").arg(d->status()));
            break;
        }
        case 9: { // open or close the image window
            if (m_images) {
                log(QStringLiteral("close the image window"));
                m_images->close();
            } else if (QAction* a = action(QStringLiteral("&Image EBMs…"))) {
                log(QStringLiteral("open the image window"));
                a->trigger();
                for (QWidget* top : QApplication::topLevelWidgets())
                    if (auto* iw = qobject_cast<ImageWindow*>(top)) m_images = iw;
            }
            break;
        }
        case 10: { // play/pause with space, back to playing within a few actions
            log(QStringLiteral("space (play/pause)"));
            QTest::keyClick(view, Qt::Key_Space);
            break;
        }
        default: { // model undo (Ctrl+Z) after a reset (R)
            log(QStringLiteral("reset model, then undo"));
            QTest::keyClick(view, Qt::Key_R);
            QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
            break;
        }
        }
        m_action.start(1000 + uniform(2500)); // a human pace: one action every 1 to 3.5 s
    }

    void sample() {
        MainWindow& w = *m_window;
        // Training must go on: space toggles it, so the soak makes sure it is on at each sample.
        if (!w.settings().training && !(m_images && m_images->isTraining())) w.setPlaying(true);
        Sample s;
        s.minute = m_clock.elapsed() / 60000.0;
        s.rssMb = procStatus("VmRSS:") / 1024.0;
        s.threads = int(procStatus("Threads:"));
        s.fds = openFiles();
        FrameStats& f = w.view()->frameStats();
        s.frameP50 = f.percentile(0.5);
        s.frameP95 = f.percentile(0.95);
        s.frames = f.frames();
        f.clear(); // each minute's own percentiles
        s.step = w.lastSnapshot() ? w.lastSnapshot()->step : 0;
        s.actions = m_actions;
        m_samples.push_back(s);
        m_csv.write(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9\n")
                        .arg(s.minute, 0, 'f', 2)
                        .arg(s.rssMb, 0, 'f', 1)
                        .arg(s.fds)
                        .arg(s.threads)
                        .arg(s.frameP50, 0, 'f', 1)
                        .arg(s.frameP95, 0, 'f', 1)
                        .arg(s.frames)
                        .arg(s.step)
                        .arg(s.actions)
                        .toUtf8());
        m_csv.flush();
        log(QStringLiteral("sample: RSS %1 MB, %2 files, %3 threads, frame p50 %4 ms p95 %5 ms, step %6")
                .arg(s.rssMb, 0, 'f', 1)
                .arg(s.fds)
                .arg(s.threads)
                .arg(s.frameP50, 0, 'f', 1)
                .arg(s.frameP95, 0, 'f', 1)
                .arg(s.step));
        if (!plot(m_samples, QDir(m_out).filePath(QStringLiteral("soak.png"))))
            fail(QStringLiteral("cannot write soak.png"));
    }

    void finish() {
        m_action.stop();
        m_sampler.stop();
        sample();
        // Training went on: the step grew since the newest sample at least 30 s older (longer in a sanitizer
        // build, which trains a few steps a minute; a method switch may restart the count just before).
        const double minGap = ebm::testtime::scaledMs(30000) / 60000.0;
        const auto earlier = std::find_if(m_samples.rbegin() + 1, m_samples.rend(), [&](const Sample& s) {
            return m_samples.back().minute - s.minute >= minGap;
        });
        if (m_samples.size() >= 2 && earlier != m_samples.rend() && m_samples.back().step <= earlier->step &&
            !(m_images && m_images->isTraining()))
            fail(QStringLiteral("the window stopped training"));
        // Memory and handles: from minute 5 (caches, the image data, shader programs are in by then).
        const auto at5 =
            std::find_if(m_samples.begin(), m_samples.end(), [](const Sample& s) { return s.minute >= 5; });
        if (at5 != m_samples.end() && m_samples.back().minute >= 6) {
            const double growth = m_samples.back().rssMb / at5->rssMb - 1;
            std::printf("soak: RSS %.1f MB at minute %.1f, %.1f MB at the end: %+.1f%%\n", at5->rssMb,
                        at5->minute, m_samples.back().rssMb, 100 * growth);
            if (growth > 0.10) fail(QStringLiteral("resident memory grew %1%").arg(100 * growth, 0, 'f', 1));
            if (m_samples.back().fds - at5->fds > 20)
                fail(QStringLiteral("%1 more open files than at minute 5")
                         .arg(m_samples.back().fds - at5->fds));
        }
        if (m_samples.size() >= 7) {
            std::vector<double> early, late;
            for (std::size_t i = 1; i < 4; ++i)
                early.push_back(m_samples[i].frameP95);
            for (std::size_t i = m_samples.size() - 3; i < m_samples.size(); ++i)
                late.push_back(m_samples[i].frameP95);
            std::printf("soak: frame p95 %.1f ms in minutes 2-4, %.1f ms in the last three\n", median(early),
                        median(late));
            if (median(late) > 2 * median(early)) fail(QStringLiteral("the frame interval's p95 doubled"));
        }
        std::printf("soak: %lld actions in %.1f minutes; %s\n", m_actions, m_clock.elapsed() / 60000.0,
                    m_failed ? "FAILED" : "passed");
        m_csv.close();
        if (m_images) m_images->close();
        m_window->close();
        QApplication::exit(result());
    }
};

} // namespace

int main(int argc, char** argv) {
    ebm::core::keepFreedMemory();
    QSurfaceFormat fmt;
    fmt.setVersion(4, 3);
    fmt.setProfile(QSurfaceFormat::CoreProfile);
    QSurfaceFormat::setDefaultFormat(fmt);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("EBM Lab"));
    QApplication::setApplicationName(QStringLiteral("EBM Lab soak"));
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Drives the EBM Lab window with random user actions and measures it."));
    p.addHelpOption();
    const QCommandLineOption minutes(QStringLiteral("minutes"), QStringLiteral("How long (default 60)."),
                                     QStringLiteral("m"), QStringLiteral("60"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random actions' seed (default 1)."),
                                  QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Folder for soak.csv and soak.png."),
                                 QStringLiteral("dir"), QStringLiteral("."));
    const QCommandLineOption replot(QStringLiteral("plot"),
                                    QStringLiteral("Only draw OUT/soak.png from a soak's CSV (no soak)."),
                                    QStringLiteral("csv"));
    p.addOptions({minutes, seed, out, replot});
    p.process(app);
    if (p.isSet(replot)) {
        const std::vector<Sample> samples = readCsv(p.value(replot));
        if (samples.empty()) {
            std::fprintf(stderr, "ebmlab-soak: no samples in \"%s\"\n", qPrintable(p.value(replot)));
            return 2;
        }
        return plot(samples, QDir(p.value(out)).filePath(QStringLiteral("soak.png"))) ? 0 : 1;
    }
    bool ok = false;
    const double m = p.value(minutes).toDouble(&ok);
    if (!ok || !(m > 0 && m <= 24 * 60)) {
        std::fprintf(stderr, "ebmlab-soak: --minutes takes a number from 0 to 1440, got \"%s\"\n",
                     qPrintable(p.value(minutes)));
        return 2;
    }
    if (!QDir().mkpath(p.value(out))) {
        std::fprintf(stderr, "ebmlab-soak: cannot create the folder \"%s\"\n", qPrintable(p.value(out)));
        return 2;
    }
    ebm::core::setThreadCount(std::max(1, QThread::idealThreadCount() - 1));
    ebm::ui::applyDarkTheme(app);
    ebm::ui::installWheelGuard(app);
    Soak soak(m, p.value(seed).toULongLong(), p.value(out));
    return app.exec();
}
