#pragma once
/// @file landscapeview.h
/// The OpenGL view of the landscape: layers (landscape, score arrows, particles) drawn from the newest
/// snapshot, axes and colour bar painted over them. Pan with drag, zoom with the wheel around the
/// cursor, click to spawn particles. GL resources are created in initializeGL() and freed when the
/// context is about to be destroyed.
///
/// The GL drawing happens in a native window of its own (a QOpenGLWindow in a window container), not in
/// a QOpenGLWidget: a QOpenGLWidget makes Qt compose the whole main window through OpenGL on every
/// repaint of any widget (the charts, a status label), which on a software renderer cost ~11 ms per
/// repaint and ~30 repaints a second, more than the landscape itself. Input that reaches the GL window
/// is handed to this widget, so event filters, tests and the handlers below see widget events.
#include "displaymapping.h"
#include "displaysettings.h"
#include "framestats.h"
#include "landscapelayer.h"
#include "particlelayer.h"
#include "plotdecorations.h"
#include "trainingsnapshot.h"
#include "vectorfieldlayer.h"
#include "viewtransform.h"
#include <QElapsedTimer>
#include <QPoint>
#include <QWidget>
#include <array>
#include <vector>

class QPainter;
class QOpenGLContext;
class QWindow;

namespace ebm::ui {

class LandscapeSurface;

class LandscapeView : public QWidget {
    Q_OBJECT
public:
    explicit LandscapeView(QWidget* parent = nullptr);
    ~LandscapeView() override;

    void setSnapshot(SnapshotPtr snap); ///< keeps only the newest; uploaded at the next paint
    /// Shows text in a banner over the plot for a moment, from the next frame on (a method or target
    /// switch is seen at once, before the worker's next snapshot shows its effect).
    void announce(const QString& text);
    /// The banner the last frame drew (empty when none).
    QString drawnAnnouncement() const { return m_drawnAnnouncement; }
    /// The view box the last frame drew.
    core::Box drawnBox() const { return m_drawnBox; }
    SnapshotPtr snapshot() const { return m_snap; }
    void setDisplay(const DisplaySettings& s);
    const DisplaySettings& display() const { return m_display; }

    /// Shows `box` (the trainer's box by default) in the plot.
    void resetView(const core::Box& box);
    /// Shows `box` without changing where Home returns to (a reopened session's zoom and pan).
    void showBox(const core::Box& box);
    core::Box viewBox() const { return m_transform.box(); }
    const ViewTransform& transform() const { return m_transform; }
    /// The plot area in widget coordinates (inside the axes margins).
    QRect plotRect() const;

    bool glReady() const { return m_ready; }
    QString renderer() const { return m_renderer; }
    bool softwareRenderer() const { return m_software; }
    /// The evaluation path drawing the landscape now.
    EvalPath activePath() const { return m_landscape.activePath(); }
    QString activePathName() const { return m_landscape.activePathName(); }
    /// Compile/link messages of the shaders (errors and driver warnings).
    QString shaderLog() const { return m_shaderLog; }
    const FrameStats& frameStats() const { return m_frames; }
    FrameStats& frameStats() { return m_frames; }

    /// The colour mapping of the last frame drawn: the robust range of the displayed quantity, eased from
    /// frame to frame (or held while DisplaySettings::lockRange is on).
    const DisplayParams& displayParams() const { return m_params; }
    /// The locked colour range and what it is a range of (rangeKey), to keep it across launches;
    /// false when the range is not locked.
    bool lockedRange(render::ColorRange* r, std::int64_t* key) const;
    /// Locks the range at r for the field and quantity `key` (a lock restored from the settings).
    void setLockedRange(const render::ColorRange& r, std::int64_t key);

    /// Renders the model energy itself (no colouring) with the active path into a float buffer and
    /// returns it at the given plot pixels (x right, y down, relative to plotRect()). For tests.
    std::vector<float> readEnergies(const std::vector<QPoint>& plotPixels);
    /// The data point at the centre of a plot pixel.
    QPointF plotPixelToData(QPoint px) const;
    /// The plot area as the GL layers draw it (device pixels), without the axes, colour bar and legend
    /// the widget paints around and over it: the live recording composes its own figure around it.
    QImage grabPlot();
    /// Renders a whole frame (layers, axes, colour bar, legend) off-screen and returns it (device pixels).
    QImage grabFramebuffer();
    /// Schedules a repaint of the GL window (the widget itself draws nothing).
    void requestFrame();
    /// The native GL window that receives the pointer (for tests that press on it as a user would).
    QWindow* surface() const;

signals:
    void viewBoxChanged(const ebm::core::Box& box);
    void spawnRequested(QPointF dataPoint);
    void glFailed(const QString& log);
    void framePainted();

protected:
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;

private:
    friend class LandscapeSurface;
    LandscapeSurface* m_surface = nullptr;
    QWidget* m_container = nullptr;
    unsigned m_grabFbo = 0; ///< the framebuffer of a grab in progress (0: the window's)
    GL* m_gl = nullptr;
    bool m_ready = false;
    bool m_software = false;
    bool m_plotOnly = false; ///< grabPlot(): paint the layers without the decorations
    QString m_renderer, m_shaderLog;
    LandscapeLayer m_landscape;
    VectorFieldLayer m_arrows;
    ParticleLayer m_particles;
    SnapshotPtr m_snap;
    std::int64_t m_uploaded = -1;
    DisplaySettings m_display;
    render::RangeSmoother m_smoother;
    DisplayParams m_params;
    struct ParamsState {
        std::int64_t serial = -1, epoch = -1, key = -1;
        bool locked = false;
        std::array<double, 4> box{};
        bool operator==(const ParamsState&) const = default;
    } m_paramsState;
    ViewTransform m_transform;
    core::Box m_home;
    Theme m_theme;
    FrameStats m_frames;
    QPoint m_pressPos, m_lastPos;
    bool m_dragging = false;
    std::int64_t m_fieldsUploaded = -1;
    /// The landscape and the arrows change only with the fields, the view or the display settings, a few
    /// times a second while the particles move every frame: they are drawn into this texture when one of
    /// those changed and copied into each frame (a software renderer spends most of a frame on them).
    struct CacheTarget {
        unsigned fbo = 0, tex = 0;
    };
    /// Two targets: the front is shown; new fields in the same view are built into the other in
    /// kCacheBands bands, one per frame, and swapped in when complete. Four bands rather than two: on
    /// llvmpipe a band costs 9.5 ms instead of 17.3 (medians, EBM_PROFILE=1), the same work in all, and the
    /// frame interval p50/p95 was 28.6/37.9, 27.3/35.5, 29.0/39.2 ms against 29.1/38.2, 29.0/36.6, 30.9/45.2
    /// with two (alternated runs of the default scene). The fields still follow the model within 200 ms.
    struct LayerCache {
        std::array<CacheTarget, 2> targets{};
        int front = 0;
        QSize size;
        std::array<double, 12> key{};     ///< what the front shows
        std::array<double, 12> pending{}; ///< what the other target is being built for
        int bandsDone = -1;               ///< bands of the pending build drawn (-1: none in progress)
        bool valid = false;
    } m_cache;
    static constexpr int kCacheBands = 4;
    QString m_announcement, m_drawnAnnouncement;
    QElapsedTimer m_announced;
    core::Box m_drawnBox;
    static constexpr int kAnnounceMs = 1500;

    void initializeGL();
    void resizeGL(int w, int h);
    void paintGL();
    void cleanupGL();
    QOpenGLContext* context() const;
    void makeCurrent();
    void doneCurrent();
    /// The framebuffer a frame is drawn into: a grab's, or the window's.
    unsigned targetFramebuffer() const;
    /// Renders a frame into a framebuffer of the window's size and returns it.
    QImage renderOffscreen();
    /// Draws the landscape and the arrows through m_cache into the plot viewport (x, y, w, h).
    void drawCachedLayers(const DisplaySettings& d, const core::Box& box, int x, int y, int w, int h);
    void uploadIfNew();
    DisplaySettings shownSettings() const; ///< m_display, less a Fisher map the snapshot does not have
    VectorFieldLayer::Shown arrowsShown(const DisplaySettings& d) const;
    void refreshParams(const DisplaySettings& d);
    void drawLayers(const QRect& plot);
    void drawDecorations(const QRect& plot);
    void drawAnnouncement(QPainter& p, const QRect& plot);
    void syncTransform();
};

} // namespace ebm::ui
