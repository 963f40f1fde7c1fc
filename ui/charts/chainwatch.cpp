#include "chainwatch.h"

#include "chainanimation.h"
#include "energycurve.h"
#include "imagegrid.h"
#include "imageworker.h"
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>
#include <atomic>

namespace ebm::ui {

ChainWatchPanel::ChainWatchPanel(ImageWorker* worker, QWidget* parent) : QWidget(parent), m_worker(worker) {
    auto* v = new QVBoxLayout(this);
    m_info =
        new QLabel(tr("Click an image in the chains, replay-buffer or data grid to follow a Langevin chain "
                      "from it under the current model."));
    m_info->setWordWrap(true);
    v->addWidget(m_info);
    m_image = new ImageGrid(tr("step 0"));
    m_image->setEmptyText(tr("No chain yet: click an image in a grid."));
    m_image->setMinimumSize(200, 200);
    v->addWidget(m_image, 3);
    auto* row = new QHBoxLayout;
    m_play = new QPushButton(tr("Play"));
    m_play->setToolTip(tr("Play the chain's frames"));
    m_slider = new QSlider(Qt::Horizontal);
    m_slider->setToolTip(tr("The Langevin step shown"));
    row->addWidget(m_play);
    row->addWidget(m_slider, 1);
    v->addLayout(row);
    m_curve = new EnergyCurve;
    v->addWidget(m_curve, 2);
    auto* row2 = new QHBoxLayout;
    m_steps = new QSpinBox;
    m_steps->setRange(1, 5000);
    m_steps->setValue(200);
    m_steps->setSuffix(tr(" steps"));
    m_steps->setToolTip(tr("Langevin steps per chain (λ and σ of the training sampler)"));
    m_again = new QPushButton(tr("Run again"));
    m_again->setToolTip(tr("A new chain from the same start image, under the model as it is now"));
    m_export = new QPushButton(tr("Export animation…"));
    m_export->setToolTip(tr("Save this chain as a GIF, MP4 or WebM for slides"));
    row2->addWidget(m_steps);
    row2->addWidget(m_again);
    row2->addStretch(1);
    row2->addWidget(m_export);
    v->addLayout(row2);
    m_again->setEnabled(false);
    m_export->setEnabled(false);
    m_slider->setEnabled(false);
    m_play->setEnabled(false);

    m_timer = new QTimer(this);
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_frame + 1 >= m_t.frames.cols()) {
            m_timer->stop();
            m_play->setText(tr("Play"));
            return;
        }
        setFrame(m_frame + 1);
    });
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_timer->isActive()) {
            m_timer->stop();
            m_play->setText(tr("Play"));
        } else {
            if (m_frame + 1 >= m_t.frames.cols()) setFrame(0);
            m_timer->start();
            m_play->setText(tr("Pause"));
        }
    });
    connect(m_slider, &QSlider::valueChanged, this, &ChainWatchPanel::setFrame);
    connect(m_curve, &EnergyCurve::markerPicked, this, &ChainWatchPanel::setFrame);
    connect(m_again, &QPushButton::clicked, this, [this] {
        if (m_start.size() > 0) watch(m_start, m_origin);
    });
    connect(m_export, &QPushButton::clicked, this, &ChainWatchPanel::chooseExportFile);
}

ChainWatchPanel::~ChainWatchPanel() {
    if (m_exportThread) {
        m_cancel->store(true);
        m_exportEnded->wait(); // before what the thread shares goes
        m_exportThread->wait();
        delete m_exportThread;
    }
}

void ChainWatchPanel::watch(const core::Vecf& x0, const QString& origin) {
    m_start = x0;
    m_origin = origin;
    const int steps = m_steps->value();
    const std::int64_t request = ++m_request;
    m_info->setText(tr("Running %1 Langevin steps from %2…").arg(steps).arg(origin));
    QPointer<ChainWatchPanel> self(this);
    m_worker->compute([self, x0, steps, origin, request](ImageSession& s) -> std::function<void()> {
        ChainTrajectory t = s.trajectory(x0, steps);
        return [self, t = std::move(t), origin, request] {
            if (self && request == self->m_request) self->setTrajectory(t, origin);
        };
    });
}

void ChainWatchPanel::setTrajectory(const ChainTrajectory& t, const QString& origin) {
    m_t = t;
    m_origin = origin;
    if (m_start.size() != t.frames.rows() && t.frames.cols() > 0) m_start = t.frames.col(0);
    const int n = int(t.frames.cols());
    m_info->setText(tr("%1: %2 Langevin steps, E %3 → %4")
                        .arg(origin)
                        .arg(n - 1)
                        .arg(n ? t.energy(0) : 0.0f, 0, 'g', 4)
                        .arg(n ? t.energy(n - 1) : 0.0f, 0, 'g', 4));
    m_curve->setCurve(t.energy);
    m_slider->setRange(0, std::max(0, n - 1));
    for (QWidget* w : std::initializer_list<QWidget*>{m_slider, m_play, m_again, m_export})
        w->setEnabled(n > 0);
    m_export->setEnabled(n > 0 && !m_exporting);
    m_frame = -1;
    setFrame(n - 1);
    emit trajectoryChanged();
}

void ChainWatchPanel::setFrame(int f) {
    const int n = int(m_t.frames.cols());
    if (n == 0) return;
    f = std::clamp(f, 0, n - 1);
    if (f == m_frame) return;
    m_frame = f;
    m_image->setImages(m_t.frames.col(f), m_t.width, m_t.height, 1);
    m_image->setTitle(tr("step %1   E = %2").arg(f).arg(m_t.energy(f), 0, 'g', 4));
    m_curve->setMarker(f);
    const QSignalBlocker block(m_slider);
    m_slider->setValue(f);
}

QString ChainWatchPanel::title() const {
    return tr("EBM Lab · Langevin chain from %1").arg(m_origin);
}

void ChainWatchPanel::chooseExportFile() {
    QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty() || !QDir(dir).exists()) dir = QDir::homePath();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the chain"), dir + QStringLiteral("/chain.gif"),
                                     tr("Animations (*.gif *.mp4 *.webm)"));
    if (!path.isEmpty()) exportAnimation(path);
}

void ChainWatchPanel::exportAnimation(const QString& path, double fps) {
    if (m_exporting) return;
    m_exporting = true;
    m_export->setEnabled(false);
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    auto done = std::make_shared<std::atomic<int>>(0);
    auto* progress =
        new QProgressDialog(tr("Exporting the chain…"), tr("Cancel"), 0, int(m_t.frames.cols()), this);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, this, [cancel] { cancel->store(true); });
    auto* poll = new QTimer(progress);
    connect(poll, &QTimer::timeout, progress, [progress, done] { progress->setValue(done->load()); });
    poll->start(100);
    // The thread's outcome; read once the thread has finished with everything it shares (ThreadEnd).
    struct Outcome {
        QString error;
        ThreadEnd ended;
    };
    auto outcome = std::make_shared<Outcome>();
    QThread* thread = QThread::create([t = m_t, title = title(), path, fps, cancel, done, outcome] {
        exporter::EncodeControl c;
        c.cancel = cancel.get();
        c.progress = [done](int d, int) { done->store(d); };
        try {
            writeChainAnimation(t, title, path.toStdString(), fps, c);
        } catch (const exporter::Cancelled&) {
            outcome->error = tr("Export cancelled; nothing was written.");
        } catch (const std::exception& e) {
            outcome->error = QString::fromStdString(e.what());
        }
        outcome->ended.finish();
    });
    m_exportThread = thread;
    m_exportEnded = std::shared_ptr<ThreadEnd>(outcome, &outcome->ended);
    connect(thread, &QThread::finished, this, [this, thread, progress, outcome, path] {
        outcome->ended.wait(); // returns at once: the body has ended
        thread->deleteLater();
        m_exportThread = nullptr;
        m_exportEnded.reset();
        progress->deleteLater();
        m_exporting = false;
        m_export->setEnabled(m_t.frames.cols() > 0);
        const bool ok = outcome->error.isEmpty();
        emit exportFinished(ok, ok ? tr("Wrote %1").arg(path) : outcome->error);
    });
    thread->start();
}

} // namespace ebm::ui
