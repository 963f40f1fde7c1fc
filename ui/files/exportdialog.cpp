#include "exportdialog.h"

#include "trimmedspinbox.h"
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace ebm::ui {

namespace {
struct FormatSpec {
    const char* label;
    const char* suffix; ///< "" for a folder of PNG frames
};
const FormatSpec kFormats[] = {{"Animated GIF", ".gif"},
                               {"MP4 video (H.264)", ".mp4"},
                               {"WebM video (VP9)", ".webm"},
                               {"PNG frames (a folder)", "/"},
                               {"PNG image (the scene now)", ".png"}};
// The pictures folder (the first export that writes there creates it if it is missing), or the home
// folder where the platform has no pictures location.
QString pictureFolder() {
    const QString p = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    return QDir::cleanPath(p.isEmpty() ? QDir::homePath() : p);
}
// The folder an output goes into ("dir/name.gif" → dir; "dir/frames/" → dir).
QString folderOf(QString path) {
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return QDir::cleanPath(QFileInfo(path).absolutePath());
}
QSpinBox* ispin(int lo, int hi, int value, const QString& tip) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    return s;
}
} // namespace

ExportDialog::ExportDialog(Capture capture, QWidget* parent)
    : QDialog(parent), m_capture(std::move(capture)) {
    setWindowTitle(tr("Export"));
    setObjectName(QStringLiteral("exportDialog"));
    auto* f = new QFormLayout;
    m_format = new QComboBox;
    for (const FormatSpec& s : kFormats)
        m_format->addItem(tr(s.label));
    m_format->setToolTip(tr("What to write: an animation of the run continued from now, or one image"));
    f->addRow(tr("Format"), m_format);
    auto* pathRow = new QHBoxLayout;
    // A full path: a bare name would land in whatever folder the program was started from.
    m_defaultFolder = pictureFolder();
    m_path = new QLineEdit(QDir(m_defaultFolder).filePath(QStringLiteral("ebmlab.gif")));
    m_path->setToolTip(tr("Where to write it; the file appears only once it is complete"));
    auto* browse = new QPushButton(tr("Browse…"));
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    f->addRow(tr("File"), pathRow);
    auto* sizeRow = new QHBoxLayout;
    m_width = ispin(16, 8192, 640, tr("Frame width in pixels (independent of the window)"));
    m_height = ispin(16, 8192, 640, tr("Frame height in pixels (MP4 and WebM need even sizes)"));
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("×")));
    sizeRow->addWidget(m_height);
    sizeRow->addStretch(1);
    f->addRow(tr("Size"), sizeRow);
    // From scratch shows the learning itself; continuing shows what the model does next.
    m_fromScratch = new QRadioButton(tr("From &scratch"));
    m_fromScratch->setToolTip(tr("A fresh model with the scene's target, method, settings and seed, trained "
                                 "from step 0 while exporting: the animation shows it learn (the window's "
                                 "model is not touched)"));
    m_continue = new QRadioButton(tr("&Continue from now"));
    m_continue->setToolTip(tr("The scene's model as it is now, trained further while exporting (the window "
                              "keeps its own copy)"));
    m_fromScratch->setChecked(true);
    auto* startRow = new QHBoxLayout;
    startRow->addWidget(m_fromScratch);
    startRow->addWidget(m_continue);
    startRow->addStretch(1);
    f->addRow(tr("Start"), startRow);
    // 2000 steps, a frame every 20, at 10 frames/s: a 10 s clip, long enough to watch the model learn.
    m_steps = ispin(0, 10'000'000, 2000, tr("Training steps to record (from step 0, or from the scene now)"));
    m_every = ispin(1, 1'000'000, 20, tr("One frame every K training steps"));
    m_fps = new TrimmedSpinBox;
    m_fps->setRange(1, 60);
    m_fps->setValue(10);
    m_fps->setToolTip(tr("Frames per second of the animation"));
    f->addRow(tr("Train steps"), m_steps);
    f->addRow(tr("Frame every"), m_every);
    f->addRow(tr("Frames/s"), m_fps);
    auto* layerGrid = new QGridLayout;
    const std::pair<QString, bool render::Layers::*> layerBoxes[] = {
        {tr("Landscape"), &render::Layers::landscape},
        {tr("Contours"), &render::Layers::contours},
        {tr("Score arrows"), &render::Layers::arrows},
        {tr("Particles"), &render::Layers::particles},
        {tr("Trails"), &render::Layers::trails},
        {tr("Data batch"), &render::Layers::data},
        {tr("What the method sees"), &render::Layers::method}};
    for (const auto& [label, member] : layerBoxes) {
        auto* c = new QCheckBox(label);
        c->setChecked(true);
        c->setToolTip(tr("Draw this layer in the exported frames"));
        layerGrid->addWidget(c, int(m_layers.size()) / 2, int(m_layers.size()) % 2);
        m_layers.emplace_back(c, member);
    }
    f->addRow(tr("Layers"), layerGrid);
    m_caption = new QCheckBox(tr("Caption: method, step, KL"));
    m_caption->setChecked(true);
    m_caption->setToolTip(
        tr("Write the method, the step and KL(target‖model) in a strip above the plot, for slides"));
    f->addRow(QString(), m_caption);
    m_axes = new QCheckBox(tr("Axes, colour bar and legend"));
    m_axes->setChecked(true);
    m_axes->setToolTip(tr("Draw the figure around the plot as the window does: axes with tick labels, the "
                          "colour bar with values and the legend (frames under about 200 px have no room)"));
    f->addRow(QString(), m_axes);
    m_frames = new QLabel;
    f->addRow(QString(), m_frames);
    auto* note =
        new QLabel(tr("Colours, view and samplers are the window's. The window keeps training while the "
                      "export runs."));
    note->setWordWrap(true);

    m_progress = new QProgressBar;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_start = new QPushButton(tr("Export"));
    m_start->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setEnabled(false);
    m_cancel->setToolTip(tr("Stop the export; nothing is written"));
    auto* close = new QPushButton(tr("Close"));
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addWidget(close);

    auto* v = new QVBoxLayout(this);
    v->addLayout(f);
    v->addWidget(note);
    v->addWidget(m_progress);
    v->addWidget(m_status);
    v->addLayout(buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(browse, &QPushButton::clicked, this, [this] {
        const int i = m_format->currentIndex();
        const QString p = kFormats[i].suffix[0] == '/'
                              ? QFileDialog::getExistingDirectory(this, tr("Folder for the PNG frames"))
                              : QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text());
        if (!p.isEmpty()) m_path->setText(kFormats[i].suffix[0] == '/' ? p + QLatin1Char('/') : p);
    });
    for (QSpinBox* s : {m_steps, m_every})
        connect(s, &QSpinBox::valueChanged, this, &ExportDialog::updateFrames);
    connect(m_fps, &QDoubleSpinBox::valueChanged, this, &ExportDialog::updateFrames);
    connect(m_start, &QPushButton::clicked, this, [this] { startExport(); });
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    updateFrames();
}

ExportDialog::~ExportDialog() = default;

void ExportDialog::setSize(int w, int h) {
    m_width->setValue(w);
    m_height->setValue(h);
}

void ExportDialog::setLayers(const render::Layers& l) {
    for (auto& [box, member] : m_layers)
        box->setChecked(l.*member);
    m_caption->setChecked(l.caption);
    m_axes->setChecked(l.axes);
}

render::Layers ExportDialog::layers() const {
    render::Layers l;
    for (const auto& [box, member] : m_layers)
        l.*member = box->isChecked();
    l.caption = m_caption->isChecked();
    l.axes = m_axes->isChecked();
    return l;
}

void ExportDialog::setStart(exporter::Start start) {
    (start == exporter::Start::FromScratch ? m_fromScratch : m_continue)->setChecked(true);
}

exporter::Start ExportDialog::start() const {
    return m_fromScratch->isChecked() ? exporter::Start::FromScratch : exporter::Start::Continue;
}

void ExportDialog::prepareFolder(QString& path) {
    const QString folder = folderOf(path);
    if (QDir(folder).exists() || folder != m_defaultFolder) return;
    if (QDir().mkpath(folder)) {
        m_folderNote = tr(" (created the folder %1)").arg(folder);
        return;
    }
    // The default folder cannot be made (e.g. a read-only home): write in the home folder instead.
    const QString home = QDir::homePath();
    if (!QDir(home).exists()) return;
    const bool frames = path.endsWith(QLatin1Char('/'));
    path = QDir(home).filePath(QDir(folder).relativeFilePath(path));
    if (frames && !path.endsWith(QLatin1Char('/'))) path += QLatin1Char('/');
    m_path->setText(path);
}

void ExportDialog::setRun(int steps, int every, double fps) {
    m_steps->setValue(steps);
    m_every->setValue(every);
    m_fps->setValue(fps);
}

double ExportDialog::clipSeconds() const {
    return exporter::scriptedFrameCount(m_steps->value(), m_every->value()) / m_fps->value();
}

QString ExportDialog::status() const {
    return m_status->text();
}

int ExportDialog::progressValue() const {
    return m_progress->value();
}

void ExportDialog::formatChanged() {
    const FormatSpec& s = kFormats[m_format->currentIndex()];
    QString p = m_path->text();
    const QFileInfo fi(p);
    const QString base = fi.path() == QLatin1String(".")
                             ? fi.completeBaseName()
                             : fi.path() + QLatin1Char('/') + fi.completeBaseName();
    p = s.suffix[0] == '/' ? base + QStringLiteral("-frames/") : base + QLatin1String(s.suffix);
    m_path->setText(p);
    const bool still = QLatin1String(s.suffix) == QLatin1String(".png");
    for (QWidget* w : std::initializer_list<QWidget*>{m_steps, m_every, m_fps, m_fromScratch, m_continue})
        w->setEnabled(!still);
    updateFrames();
}

void ExportDialog::updateFrames() {
    if (QLatin1String(kFormats[m_format->currentIndex()].suffix) == QLatin1String(".png")) {
        m_frames->setText(tr("One image of the scene as it is now"));
        return;
    }
    const int n = exporter::scriptedFrameCount(m_steps->value(), m_every->value());
    m_frames->setText(
        tr("%1 frames, %2 s at %3 frames/s").arg(n).arg(clipSeconds(), 0, 'f', 1).arg(m_fps->value()));
}

void ExportDialog::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #ff7f7f") : QString());
}

bool ExportDialog::startExport() {
    if (m_job || m_capturing) return false;
    QString path = m_path->text().trimmed();
    if (path.isEmpty()) {
        setStatus(tr("Choose a file to write"), true);
        return false;
    }
    m_folderNote.clear();
    prepareFolder(path);
    m_firstStep = -1;
    m_capturing = true;
    m_start->setEnabled(false);
    setStatus(tr("Capturing the scene…"), false);
    // The scene is captured between training chunks; the job starts when it arrives.
    m_capture([this, path](io::SessionFile f) {
        m_capturing = false;
        ExportRequest r = requestFor(f, path, m_width->value(), m_height->value());
        r.encoder.fps = m_fps->value();
        r.run.steps = m_steps->value();
        r.run.every = m_every->value();
        r.run.scene.layers = layers();
        r.start = start();
        try {
            m_job = std::make_unique<ExportJob>(std::move(f), std::move(r));
        } catch (const std::exception& e) {
            setStatus(QString::fromStdString(e.what()), true);
            m_start->setEnabled(true);
            emit exportFinished(false, QString::fromStdString(e.what()));
            return;
        }
        connect(m_job.get(), &ExportJob::progress, this, &ExportDialog::onProgress);
        connect(m_job.get(), &ExportJob::finished, this, &ExportDialog::onFinished);
        m_progress->setRange(0, 1);
        m_progress->setValue(0);
        m_cancel->setEnabled(true);
        m_clock.start();
        setStatus(tr("Exporting…"), false);
        m_job->start();
    });
    return true;
}

void ExportDialog::cancelExport() {
    if (m_job) m_job->cancel();
}

void ExportDialog::onProgress(int frame, int frames, qint64 step) {
    if (frame == 1) m_firstStep = step;
    m_progress->setRange(0, frames);
    m_progress->setValue(frame);
    const double secs = m_clock.elapsed() / 1000.0;
    const double left = frame > 0 ? secs / frame * (frames - frame) : 0;
    setStatus(tr("Frame %1 of %2 · step %3 · about %4 s left")
                  .arg(frame)
                  .arg(frames)
                  .arg(step)
                  .arg(left, 0, 'f', 0),
              false);
}

void ExportDialog::onFinished(bool ok, const QString& message) {
    m_job.reset(); // joins the finished thread
    m_cancel->setEnabled(false);
    m_start->setEnabled(true);
    if (ok) m_progress->setValue(m_progress->maximum());
    const QString text = ok ? message + m_folderNote : message;
    setStatus(text, !ok);
    emit exportFinished(ok, text);
}

void ExportDialog::closeEvent(QCloseEvent* e) {
    // Closing while exporting cancels: nothing is left half-written.
    if (m_job) m_job->cancel();
    QDialog::closeEvent(e);
}

} // namespace ebm::ui
