#include "landscapeview.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLPaintDevice>
#include <QOpenGLVersionFunctionsFactory>
#include <QOpenGLWindow>
#include <QPainter>
#include <QStatusTipEvent>
#include <QStyleHints>
#include <QSurfaceFormat>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <cmath>

namespace ebm::ui {

namespace {
constexpr int kLeft = 62, kRight = 118, kTop = 14, kBottom = 44;
} // namespace

/// The native GL window inside the view: draws through the view and hands its input to it.
class LandscapeSurface : public QOpenGLWindow {
public:
    explicit LandscapeSurface(LandscapeView* view)
        : QOpenGLWindow(QOpenGLWindow::NoPartialUpdate), m_view(view) {
        // Keys stay with the widgets (the window's shortcuts, the view's focus): the GL window never
        // takes the keyboard focus.
        setFlag(Qt::WindowDoesNotAcceptFocus);
    }

protected:
    void initializeGL() override { m_view->initializeGL(); }
    void resizeGL(int w, int h) override { m_view->resizeGL(w, h); }
    void paintGL() override { m_view->paintGL(); }

    bool event(QEvent* e) override {
        switch (e->type()) {
        case QEvent::MouseButtonPress:
        case QEvent::MouseButtonRelease:
        case QEvent::MouseButtonDblClick:
        case QEvent::MouseMove: {
            const auto* m = static_cast<QMouseEvent*>(e);
            // Qt sends no double click to a window embedded in a container: the second press of a pair is
            // made one here (the interval and distance of the platform's style hints).
            if (e->type() == QEvent::MouseButtonDblClick) return true;
            if (e->type() == QEvent::MouseButtonPress) m_view->setFocus(Qt::MouseFocusReason);
            // The window fills the view: its coordinates are the view's.
            QMouseEvent forwarded(e->type(), m->position(), m->scenePosition(), m->globalPosition(),
                                  m->button(), m->buttons(), m->modifiers(), m->pointingDevice());
            QCoreApplication::sendEvent(m_view, &forwarded);
            if (e->type() == QEvent::MouseButtonPress) {
                const QStyleHints* hints = QGuiApplication::styleHints();
                const bool second =
                    m_press.isValid() && m->button() == m_pressButton &&
                    m_press.elapsed() <= hints->mouseDoubleClickInterval() &&
                    (m->position() - m_pressPos).manhattanLength() <= hints->mouseDoubleClickDistance();
                if (second) {
                    QMouseEvent dbl(QEvent::MouseButtonDblClick, m->position(), m->scenePosition(),
                                    m->globalPosition(), m->button(), m->buttons(), m->modifiers(),
                                    m->pointingDevice());
                    QCoreApplication::sendEvent(m_view, &dbl);
                    m_press.invalidate();
                } else {
                    m_press.start();
                    m_pressButton = m->button();
                    m_pressPos = m->position();
                }
            }
            return true;
        }
        case QEvent::Wheel: {
            const auto* w = static_cast<QWheelEvent*>(e);
            QWheelEvent forwarded(w->position(), w->globalPosition(), w->pixelDelta(), w->angleDelta(),
                                  w->buttons(), w->modifiers(), w->phase(), w->inverted(), w->source(),
                                  w->pointingDevice());
            QCoreApplication::sendEvent(m_view, &forwarded);
            return true;
        }
        case QEvent::Enter:
        case QEvent::Leave: {
            // A native window shows no widget tool tip: the view's hint goes to the status bar instead.
            QStatusTipEvent tip(e->type() == QEvent::Enter ? m_view->toolTip() : QString());
            QCoreApplication::sendEvent(m_view, &tip);
            break;
        }
        default:
            break;
        }
        return QOpenGLWindow::event(e);
    }

private:
    LandscapeView* m_view;
    QElapsedTimer m_press; ///< since the last press that may begin a double click
    Qt::MouseButton m_pressButton = Qt::NoButton;
    QPointF m_pressPos;
};

LandscapeView::LandscapeView(QWidget* parent) : QWidget(parent), m_surface(new LandscapeSurface(this)) {
    QSurfaceFormat f = m_surface->format();
    f.setVersion(4, 3);
    f.setProfile(QSurfaceFormat::CoreProfile);
    m_surface->setFormat(f);
    m_container = QWidget::createWindowContainer(m_surface, this);
    m_container->setFocusPolicy(Qt::NoFocus);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_container);
    setMinimumSize(420, 380);
    setFocusPolicy(Qt::StrongFocus);
    setToolTip(tr("Drag to pan, wheel to zoom around the cursor, click to spawn particles, double-click to "
                  "reset the view"));
    m_transform.fit(m_home, QSize(400, 400));
}

LandscapeView::~LandscapeView() {
    cleanupGL();
    // The surface (a child of the container) destroys the context after our destructor has run: its
    // aboutToBeDestroyed must not call back into a LandscapeView that no longer exists.
    if (context()) disconnect(context(), &QOpenGLContext::aboutToBeDestroyed, this, nullptr);
}

QOpenGLContext* LandscapeView::context() const {
    return m_surface ? m_surface->context() : nullptr;
}
void LandscapeView::makeCurrent() {
    m_surface->makeCurrent();
}
void LandscapeView::doneCurrent() {
    m_surface->doneCurrent();
}
unsigned LandscapeView::targetFramebuffer() const {
    return m_grabFbo != 0 ? m_grabFbo : m_surface->defaultFramebufferObject();
}
QWindow* LandscapeView::surface() const {
    return m_surface;
}
void LandscapeView::requestFrame() {
    m_surface->update();
}

QImage LandscapeView::renderOffscreen() {
    if (!m_ready || !context()) return {};
    makeCurrent();
    const qreal dpr = m_surface->devicePixelRatio();
    const QSize px(int(std::lround(width() * dpr)), int(std::lround(height() * dpr)));
    QOpenGLFramebufferObject fbo(px);
    fbo.bind();
    m_grabFbo = fbo.handle();
    paintGL();
    m_grabFbo = 0;
    QImage img = fbo.toImage();
    fbo.release();
    doneCurrent();
    img.setDevicePixelRatio(dpr);
    return img;
}

QImage LandscapeView::grabFramebuffer() {
    return renderOffscreen();
}

QRect LandscapeView::plotRect() const {
    return QRect(kLeft, kTop, std::max(16, width() - kLeft - kRight),
                 std::max(16, height() - kTop - kBottom));
}

void LandscapeView::setSnapshot(SnapshotPtr snap) {
    m_snap = std::move(snap);
    requestFrame();
}

void LandscapeView::announce(const QString& text) {
    m_announcement = text;
    m_announced.start();
    requestFrame();
    // Repainted once more when it has gone, also when nothing else repaints (training paused).
    QTimer::singleShot(kAnnounceMs + 20, this, [this] { requestFrame(); });
}

void LandscapeView::drawAnnouncement(QPainter& p, const QRect& plot) {
    m_drawnAnnouncement.clear();
    if (m_announcement.isEmpty() || !m_announced.isValid() || m_announced.elapsed() > kAnnounceMs) return;
    p.save(); // the banner's font and brush are its own
    QFont f = p.font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QSize text = fm.size(Qt::TextSingleLine, m_announcement);
    const QRect box(plot.center().x() - text.width() / 2 - 14, plot.top() + 14, text.width() + 28,
                    text.height() + 12);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(20, 20, 26, 210));
    p.drawRoundedRect(box, 6, 6);
    p.setPen(QColor(255, 255, 255));
    p.drawText(box, Qt::AlignCenter, m_announcement);
    p.restore();
    m_drawnAnnouncement = m_announcement;
}

void LandscapeView::setDisplay(const DisplaySettings& s) {
    m_display = s;
    m_landscape.setPath(s.path, m_software);
    requestFrame();
}

bool LandscapeView::lockedRange(render::ColorRange* r, std::int64_t* key) const {
    if (!m_display.lockRange || !m_smoother.hasRange()) return false;
    if (r) *r = m_smoother.current();
    if (key) *key = m_smoother.key();
    return true;
}

void LandscapeView::setLockedRange(const render::ColorRange& r, std::int64_t key) {
    m_smoother.hold(r, key);
    m_paramsState = ParamsState{};
    requestFrame();
}

void LandscapeView::refreshParams(const DisplaySettings& d) {
    const core::Box b = m_transform.box();
    // The range follows the fields (a snapshot with new particles only is not a new range to ease to).
    const std::int64_t fields = m_snap->fieldSerial != 0 ? m_snap->fieldSerial : m_snap->serial;
    const ParamsState st{fields, m_snap->epoch, rangeKey(d), d.lockRange, {b.x0, b.x1, b.y0, b.y1}};
    if (st == m_paramsState) {
        m_params.colorMap = shownColorMap(d); // a new colour map is not a new range
        return;
    }
    m_smoother.setHeld(d.lockRange);
    // While training, each frame eases the range towards its new fit. Paused, a new frame answers what the
    // user did (a step, a reset, a zoom, another session) and is fitted at once.
    const bool jump = !m_snap->playing || st.epoch != m_paramsState.epoch;
    m_params = easedParams(ui::displayParams(*m_snap, d, b), m_smoother, st.key, jump);
    m_paramsState = st;
}

void LandscapeView::resetView(const core::Box& box) {
    m_home = box;
    m_transform.fit(box, plotRect().size());
    syncTransform();
}

void LandscapeView::showBox(const core::Box& box) {
    m_transform.fit(box, plotRect().size());
    syncTransform();
}

void LandscapeView::syncTransform() {
    requestFrame();
    emit viewBoxChanged(m_transform.box());
}

QImage LandscapeView::grabPlot() {
    m_plotOnly = true;
    const QImage all = renderOffscreen();
    m_plotOnly = false;
    const qreal dpr = all.devicePixelRatio();
    const QRect r = plotRect();
    return all.copy(QRect(int(std::lround(r.x() * dpr)), int(std::lround(r.y() * dpr)),
                          int(std::lround(r.width() * dpr)), int(std::lround(r.height() * dpr))));
}

QPointF LandscapeView::plotPixelToData(QPoint px) const {
    return m_transform.toData(QPointF(px.x() + 0.5, px.y() + 0.5));
}

void LandscapeView::initializeGL() {
    m_gl = QOpenGLVersionFunctionsFactory::get<GL>(context());
    if (!m_gl || !m_gl->initializeOpenGLFunctions()) {
        m_shaderLog =
            tr("OpenGL 4.3 core profile is not available (got %1.%2); the landscape cannot be drawn.")
                .arg(context()->format().majorVersion())
                .arg(context()->format().minorVersion());
        qWarning("EBM Lab: %s", qPrintable(m_shaderLog));
        emit glFailed(m_shaderLog);
        return;
    }
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &LandscapeView::cleanupGL,
            Qt::DirectConnection);
    m_renderer = QString::fromLatin1(reinterpret_cast<const char*>(m_gl->glGetString(GL_RENDERER)));
    m_software = m_renderer.contains(QLatin1String("llvmpipe"), Qt::CaseInsensitive) ||
                 m_renderer.contains(QLatin1String("softpipe"), Qt::CaseInsensitive) ||
                 m_renderer.contains(QLatin1String("software"), Qt::CaseInsensitive);
    QString l1, l2, l3;
    const bool ok1 = m_landscape.initialize(m_gl, &l1);
    const bool ok2 = m_arrows.initialize(m_gl, &l2);
    const bool ok3 = m_particles.initialize(m_gl, &l3);
    m_shaderLog = QStringList{l1, l2, l3}.join(QLatin1Char('\n')).trimmed();
    m_landscape.setPath(m_display.path, m_software);
    m_uploaded = m_fieldsUploaded = -1;
    m_ready = ok1;
    if (!(ok1 && ok2 && ok3)) emit glFailed(m_shaderLog);
}

void LandscapeView::cleanupGL() {
    if (!m_gl) return;
    const bool current = QOpenGLContext::currentContext() == context();
    if (!current && context()) makeCurrent();
    m_landscape.release();
    m_arrows.release();
    m_particles.release();
    for (CacheTarget& t : m_cache.targets) {
        if (t.fbo) m_gl->glDeleteFramebuffers(1, &t.fbo);
        if (t.tex) m_gl->glDeleteTextures(1, &t.tex);
    }
    m_cache = LayerCache{};
    if (!current && context()) doneCurrent();
    m_gl = nullptr;
    m_ready = false;
}

void LandscapeView::resizeGL(int, int) {
    m_transform.resize(plotRect().size());
    emit viewBoxChanged(m_transform.box());
}

void LandscapeView::uploadIfNew() {
    if (!m_snap || m_snap->serial == m_uploaded) return;
    // The fields change a few times a second, the particles every frame: textures and arrows are
    // uploaded only when they changed (a snapshot made by hand has fieldSerial 0: always).
    if (m_snap->fieldSerial != m_fieldsUploaded || m_snap->fieldSerial == 0) {
        m_landscape.upload(*m_snap);
        m_arrows.upload(*m_snap);
        m_fieldsUploaded = m_snap->fieldSerial;
    }
    m_particles.upload(*m_snap);
    m_uploaded = m_snap->serial;
}

void LandscapeView::paintGL() {
    m_frames.tick();
    const QColor bg = m_theme.background;
    if (m_gl) {
        m_gl->glClearColor(bg.redF(), bg.greenF(), bg.blueF(), 1.0f);
        m_gl->glClear(GL_COLOR_BUFFER_BIT);
    }
    const QRect plot = plotRect();
    static const bool profile = qEnvironmentVariableIsSet("EBM_PROFILE");
    QElapsedTimer t;
    t.start();
    if (m_snap) refreshParams(shownSettings());
    if (m_ready && m_snap) {
        uploadIfNew();
        drawLayers(plot);
    }
    m_drawnBox = m_transform.box();
    if (profile) m_gl->glFinish();
    const double glMs = t.nsecsElapsed() / 1e6;
    if (!m_plotOnly) drawDecorations(plot);
    if (profile) qDebug("paint: layers %.1f ms, total %.1f ms", glMs, t.nsecsElapsed() / 1e6);
    emit framePainted();
}

DisplaySettings LandscapeView::shownSettings() const {
    DisplaySettings d = m_display;
    if (d.source == FieldSource::FisherMap && m_snap && m_snap->fisher.empty()) d.source = FieldSource::Model;
    return d;
}

VectorFieldLayer::Shown LandscapeView::arrowsShown(const DisplaySettings& d) const {
    // The target view shows the target's score; score matching's method view adds it beside the model's.
    if (d.source == FieldSource::Target) return VectorFieldLayer::Shown::Target;
    if (d.methodView && m_snap->methodInfo().family == core::Family::ScoreMatching)
        return VectorFieldLayer::Shown::Both;
    return VectorFieldLayer::Shown::Model;
}

void LandscapeView::drawLayers(const QRect& plot) {
    const qreal dpr = m_surface->devicePixelRatio();
    const int vx = int(std::lround(plot.x() * dpr));
    const int vy = int(std::lround((height() - plot.y() - plot.height()) * dpr));
    const int vw = int(std::lround(plot.width() * dpr)), vh = int(std::lround(plot.height() * dpr));
    m_gl->glViewport(vx, vy, vw, vh);
    m_gl->glEnable(GL_SCISSOR_TEST);
    m_gl->glScissor(vx, vy, vw, vh);
    m_gl->glClearColor(0.08f, 0.08f, 0.1f, 1.0f);
    m_gl->glClear(GL_COLOR_BUFFER_BIT);
    const core::Box box = m_transform.box();
    const DisplaySettings d = shownSettings();
    static const bool profile = qEnvironmentVariableIsSet("EBM_PROFILE");
    QElapsedTimer t;
    if (profile) {
        m_gl->glFinish();
        t.start();
    }
    if (d.landscape) {
        drawCachedLayers(d, box, vx, vy, vw, vh);
    } else if (d.vectorField) {
        m_arrows.render(box, arrowsShown(d));
    }
    if (profile) {
        m_gl->glFinish();
        qDebug("  landscape and arrows %.1f ms", t.nsecsElapsed() / 1e6);
        t.restart();
    }
    ParticleLayer::Visibility vis;
    vis.particles = d.particles;
    vis.trails = d.trails;
    vis.data = d.data;
    vis.methodSamples = d.methodView;
    m_particles.render(box, QSize(vw, vh), QPoint(vx, vy), vis);
    if (profile) {
        m_gl->glFinish();
        qDebug("  particles %.1f ms (%d points), GL error 0x%x", t.nsecsElapsed() / 1e6,
               m_particles.particleCount(), m_gl->glGetError());
    }
    m_gl->glDisable(GL_SCISSOR_TEST);
    m_gl->glViewport(0, 0, int(width() * dpr), int(height() * dpr));
}

void LandscapeView::drawCachedLayers(const DisplaySettings& d, const core::Box& box, int x, int y, int w,
                                     int h) {
    const bool boundary = d.methodView && m_snap && m_snap->methodInfo().needs.noise &&
                          !m_snap->nceLogit.empty() && d.source == FieldSource::Model;
    const VectorFieldLayer::Shown shown = arrowsShown(d);
    const DisplayParams& p = m_params;
    const std::array<double, 12> key{
        double(m_fieldsUploaded),
        box.x0,
        box.x1,
        box.y0,
        box.y1,
        double(int(d.source) | int(d.quantity) << 2 | int(p.colorMap) << 4 | int(activePath()) << 10 |
               int(d.contours) << 12 | int(boundary) << 13 | int(d.vectorField) << 14 | int(shown) << 15),
        p.lo,
        p.hi,
        p.eMin,
        p.beta,
        p.logZ - p.logZ1,
        p.contourStep};
    const QSize size(w, h);
    if (m_cache.size != size) {
        bool complete = true; // both targets can be drawn into
        for (CacheTarget& t : m_cache.targets) {
            if (!t.fbo) m_gl->glGenFramebuffers(1, &t.fbo);
            if (t.tex) m_gl->glDeleteTextures(1, &t.tex);
            m_gl->glGenTextures(1, &t.tex);
            m_gl->glBindTexture(GL_TEXTURE_2D, t.tex);
            m_gl->glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, w, h);
            m_gl->glBindTexture(GL_TEXTURE_2D, 0);
            m_gl->glBindFramebuffer(GL_FRAMEBUFFER, t.fbo);
            m_gl->glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t.tex, 0);
            complete = complete && m_gl->glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
        }
        m_cache.size = complete ? size : QSize();
        m_cache.valid = false;
        m_cache.bandsDone = -1;
        m_gl->glBindFramebuffer(GL_FRAMEBUFFER, targetFramebuffer());
    }
    if (m_cache.size != size) { // no framebuffer to cache in: drawn directly
        m_landscape.render(box, d, p, boundary);
        if (d.vectorField) m_arrows.render(box, shown);
        return;
    }
    // Renders rows [y0, y1) of the layers into a cache target (the whole of it for 0, h).
    const auto renderRows = [&](const CacheTarget& t, int y0, int y1) {
        m_gl->glBindFramebuffer(GL_FRAMEBUFFER, t.fbo);
        m_gl->glViewport(0, 0, w, h);
        m_gl->glScissor(0, y0, w, y1 - y0);
        m_gl->glEnable(GL_SCISSOR_TEST);
        m_gl->glClear(GL_COLOR_BUFFER_BIT); // the plot's background colour, set by drawLayers
        m_landscape.render(box, d, p, boundary);
        if (d.vectorField) m_arrows.render(box, shown);
        m_gl->glBindFramebuffer(GL_FRAMEBUFFER, targetFramebuffer());
        m_gl->glViewport(x, y, w, h);
        m_gl->glScissor(x, y, w, h);
    };
    if (!m_cache.valid || m_cache.key != key) {
        // New fields while training, in the same view: built in kCacheBands bands, one per frame, behind
        // the cached picture, which is shown until the new one is complete (one full pass on a software
        // renderer is 20–35 ms, and it made every field update a long frame). A new view, a paused scene
        // or a grab is drawn whole at once.
        const bool sameView =
            m_cache.valid && std::equal(key.begin() + 1, key.begin() + 5, m_cache.key.begin() + 1);
        const bool progressive = sameView && m_grabFbo == 0 && m_snap && m_snap->playing;
        if (!progressive) {
            renderRows(m_cache.targets[m_cache.front], 0, h);
            m_cache.key = key;
            m_cache.valid = true;
            m_cache.bandsDone = -1;
        } else {
            if (m_cache.bandsDone < 0 || m_cache.pending != key) {
                m_cache.pending = key;
                m_cache.bandsDone = 0;
            }
            const int b = m_cache.bandsDone;
            renderRows(m_cache.targets[1 - m_cache.front], h * b / kCacheBands, h * (b + 1) / kCacheBands);
            if (++m_cache.bandsDone == kCacheBands) {
                m_cache.front = 1 - m_cache.front;
                m_cache.key = key;
                m_cache.bandsDone = -1;
            }
        }
    } else {
        m_cache.bandsDone = -1; // back to what the front shows: a build in progress is moot
    }
    m_gl->glBindFramebuffer(GL_READ_FRAMEBUFFER, m_cache.targets[m_cache.front].fbo);
    m_gl->glBlitFramebuffer(0, 0, w, h, x, y, x + w, y + h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    m_gl->glBindFramebuffer(GL_READ_FRAMEBUFFER, targetFramebuffer());
}

void LandscapeView::drawDecorations(const QRect& plot) {
    // Painted into the framebuffer bound now (the window's or a grab's).
    const qreal dpr = m_surface->devicePixelRatio();
    QOpenGLPaintDevice device(QSize(int(std::lround(width() * dpr)), int(std::lround(height() * dpr))));
    device.setDevicePixelRatio(dpr);
    QPainter p(&device);
    p.setRenderHint(QPainter::Antialiasing);
    drawAxes(p, plot, m_transform, m_theme);
    drawAnnouncement(p, plot);
    if (!m_snap) {
        p.setPen(m_theme.text);
        p.drawText(plot, Qt::AlignCenter,
                   m_ready || m_shaderLog.isEmpty() ? tr("Starting the trainer…") : m_shaderLog);
        return;
    }
    const DisplaySettings d = shownSettings();
    if (d.landscape) {
        const QRect bar(plot.right() + 18, plot.top() + 6, 16, plot.height() - 12);
        drawColorBar(p, bar, m_params, m_theme);
    }
    // The same rows (glyph, colour, text) as the exported frames' legend.
    render::LegendContent legend;
    legend.particles = d.particles;
    legend.data = d.data;
    legend.negatives = d.methodView && m_snap->methodInfo().needs.negatives;
    legend.noise = legend.noiseBoundary = d.methodView && m_snap->methodInfo().needs.noise;
    const VectorFieldLayer::Shown arrows = arrowsShown(d); // the target view draws the target's score
    legend.modelScore = d.vectorField && arrows != VectorFieldLayer::Shown::Target;
    legend.targetScore = d.vectorField && arrows != VectorFieldLayer::Shown::Model;
    const std::vector<render::LegendRow> rows = render::legendRows(legend);
    drawLegend(p, plot, rows, m_theme);
}

std::vector<float> LandscapeView::readEnergies(const std::vector<QPoint>& plotPixels) {
    std::vector<float> out(plotPixels.size(), std::numeric_limits<float>::quiet_NaN());
    if (!m_ready || !m_snap) return out;
    makeCurrent();
    uploadIfNew();
    const QSize size = plotRect().size();
    GLuint fbo = 0, tex = 0;
    m_gl->glGenTextures(1, &tex);
    m_gl->glBindTexture(GL_TEXTURE_2D, tex);
    m_gl->glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, size.width(), size.height(), 0, GL_RED, GL_FLOAT, nullptr);
    m_gl->glBindTexture(GL_TEXTURE_2D, 0);
    m_gl->glGenFramebuffers(1, &fbo);
    m_gl->glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    m_gl->glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
    if (m_gl->glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE) {
        m_gl->glViewport(0, 0, size.width(), size.height());
        m_gl->glDisable(GL_BLEND);
        const core::Box box = m_transform.box();
        DisplaySettings d = m_display;
        d.source = FieldSource::Model;
        m_landscape.render(box, d, ui::displayParams(*m_snap, d, box), false, true);
        for (size_t i = 0; i < plotPixels.size(); ++i) {
            const QPoint q = plotPixels[i];
            if (q.x() < 0 || q.y() < 0 || q.x() >= size.width() || q.y() >= size.height()) continue;
            m_gl->glReadPixels(q.x(), size.height() - 1 - q.y(), 1, 1, GL_RED, GL_FLOAT, &out[i]);
        }
    } else {
        qWarning("EBM Lab: the float framebuffer for the energy readback is incomplete");
    }
    m_gl->glBindFramebuffer(GL_FRAMEBUFFER, targetFramebuffer());
    m_gl->glDeleteFramebuffers(1, &fbo);
    m_gl->glDeleteTextures(1, &tex);
    doneCurrent();
    return out;
}

void LandscapeView::mousePressEvent(QMouseEvent* e) {
    m_pressPos = m_lastPos = e->position().toPoint();
    m_dragging = false;
}

void LandscapeView::mouseMoveEvent(QMouseEvent* e) {
    if (!(e->buttons() & Qt::LeftButton)) return;
    const QPoint pos = e->position().toPoint();
    if (!m_dragging && (pos - m_pressPos).manhattanLength() > 3) m_dragging = true;
    if (m_dragging) {
        m_transform.panPixels(QPointF(pos - m_lastPos));
        m_lastPos = pos;
        syncTransform();
    }
}

void LandscapeView::mouseReleaseEvent(QMouseEvent* e) {
    const QPoint pos = e->position().toPoint();
    if (!m_dragging && e->button() == Qt::LeftButton && plotRect().contains(pos))
        emit spawnRequested(m_transform.toData(QPointF(pos - plotRect().topLeft())));
    m_dragging = false;
}

void LandscapeView::mouseDoubleClickEvent(QMouseEvent*) {
    resetView(m_home);
}

void LandscapeView::wheelEvent(QWheelEvent* e) {
    const double factor = std::pow(1.0015, e->angleDelta().y());
    m_transform.zoomAt(e->position() - QPointF(plotRect().topLeft()), factor);
    syncTransform();
}

} // namespace ebm::ui
