#include "exportjob.h"

#include <QFileInfo>
#include <QImage>
#include <QSaveFile>
#include <QThread>
#include <ebm/core/metrics.h>
#include <ebm/io/atomicfile.h>

namespace ebm::ui {

ExportRequest requestFor(const io::SessionFile& s, const QString& path, int width, int height) {
    ExportRequest r;
    r.path = path;
    r.still = path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive);
    r.encoder.width = width;
    r.encoder.height = height;
    render::SceneOptions& so = r.run.scene;
    so.view = s.view;
    so.width = width;
    so.height = height;
    so.colorMap = render::ColorMap(std::clamp(s.display.colorMap, 0, 2));
    so.quantity = render::Quantity(std::clamp(s.display.quantity, 0, 3));
    so.beta = s.live.beta;
    so.arrowsAcross = s.arrowsAcross;
    so.layers.landscape = s.display.landscape;
    so.layers.contours = s.display.contours;
    so.layers.arrows = s.display.vectorField;
    so.layers.particles = s.display.particles;
    so.layers.trails = s.display.trails;
    so.layers.data = s.display.data;
    so.layers.method = s.display.methodView;
    r.run.live = s.live;
    r.run.particleCount = int(s.particles.cols());
    return r;
}

ExportJob::ExportJob(io::SessionFile session, ExportRequest request, QObject* parent)
    : QObject(parent), m_session(std::move(session)), m_request(std::move(request)) {
    const std::string path = m_request.path.toStdString();
    if (m_request.still) {
        if (m_request.encoder.width < 16 || m_request.encoder.height < 16 || m_request.encoder.width > 8192 ||
            m_request.encoder.height > 8192)
            throw core::InvalidArgument("an image is 16 to 8192 pixels a side");
        io::checkWritableLocation(path); // its folder exists and can be written
    } else {
        m_format = exporter::formatFromPath(path);
        exporter::checkOutput(path, m_format, m_request.encoder);
    }
    const render::Layers& l = m_request.run.scene.layers;
    if ((l.caption || l.axes) && render::defaultFontPath().empty())
        throw core::InvalidArgument(
            "the caption and axes need a font (fonts-dejavu-core): leave the caption and axes off");
    (void)io::targetOf(m_session); // the target must be buildable
}

ExportJob::~ExportJob() {
    m_cancel.store(true);
    if (m_thread) {
        m_ended.wait(); // before the members the thread read go
        m_thread->wait();
        delete m_thread;
    }
}

void ExportJob::start() {
    if (m_thread) return;
    m_thread = QThread::create([this] {
        run();
        m_ended.finish();
    });
    m_thread->setObjectName(QStringLiteral("ebm-export"));
    m_thread->start();
}

bool ExportJob::running() const {
    return m_thread && m_thread->isRunning();
}

void ExportJob::run() {
    bool ok = false;
    QString message;
    try {
        // Continues from the captured state, or starts afresh from its settings; the window's is untouched.
        core::Trainer trainer = exporter::sessionTrainer(
            m_session, m_request.still ? exporter::Start::Continue : m_request.start);
        exporter::EncodeControl control;
        control.cancel = &m_cancel;
        if (m_request.still) {
            const render::SceneOptions& so = m_request.run.scene;
            const double kl = trainer.metrics(core::Matd(2, 0), core::GridSpec{trainer.options().box, 96}).kl;
            const render::Image img = exporter::FrameDrawer(so, trainer.options().method, trainer.stepCount())
                                          .draw(trainer, {m_session.particles}, kl);
            control.check();
            const QImage q(img.rgb.data(), img.width, img.height, img.width * 3, QImage::Format_RGB888);
            QSaveFile f(m_request.path);
            if (!f.open(QIODevice::WriteOnly) || !q.save(&f, "PNG") || !f.commit())
                throw core::RuntimeError("could not write " + m_request.path.toStdString() + ": " +
                                         f.errorString().toStdString());
            emit progress(1, 1, trainer.stepCount());
        } else {
            const auto encoder =
                exporter::makeEncoder(m_request.path.toStdString(), m_format, m_request.encoder, control);
            exporter::renderScriptedRun(
                trainer, m_request.run, *encoder, control,
                [this](const exporter::RunProgress& p) { emit progress(p.frame, p.frames, qint64(p.step)); });
        }
        ok = true;
        message = QObject::tr("Wrote %1").arg(m_request.path);
    } catch (const exporter::Cancelled&) {
        message = QObject::tr("Cancelled; nothing was written");
    } catch (const std::exception& e) {
        message = QString::fromStdString(e.what());
    }
    emit finished(ok, message);
}

} // namespace ebm::ui
