#pragma once
/// @file repairpanel.h
/// The denoise / inpaint / anomaly demo: take a held-out image, add noise or erase a region with the
/// mouse, and run Langevin on the energy with the known pixels clamped (the model fills in the rest);
/// rank images — held-out data, noise, noisy data, another data set, your edited image — by energy.
#include "chaintrajectory.h"
#include "rankedimage.h"
#include "repaircanvas.h"
#include <QWidget>

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace ebm::ui {

class ImageGrid;
class ImageWorker;

class RepairPanel : public QWidget {
    Q_OBJECT
public:
    explicit RepairPanel(ImageWorker* worker, QWidget* parent = nullptr);

    /// Starts the demo from an image (e.g. one clicked in the data grid).
    void setOriginal(const core::Vecf& pixels, int w, int h);
    void nextHeldOut();
    void addNoise(float sigma);
    /// Frees (and fills with uniform noise) the pixels within radius of image pixel (cx, cy).
    void erase(float cx, float cy, float radius);
    void runLangevin();
    void rank();

    const core::Vecf& original() const { return m_original; }
    const core::Vecf& corrupted() const { return m_corrupted; }
    const core::Vecf& known() const { return m_known; }
    const core::Vecf& result() const { return m_result; }
    /// Mean |x − original| over the free pixels, before and after the last run (NaN before a run).
    double errorBefore() const { return m_errorBefore; }
    double errorAfter() const { return m_errorAfter; }
    const std::vector<RankedImage>& ranking() const { return m_ranking; }
    /// Share of (held-out, other) pairs where the held-out image has the lower energy, for uniform noise
    /// and the other data set (NaN when there is none).
    double separation(RankedImage::Kind other) const;
    RepairCanvas* canvas() const { return m_canvas; }

signals:
    void repairFinished(const ebm::ui::ChainTrajectory& t);
    void rankingFinished();
    void status(const QString& message);

private:
    ImageWorker* m_worker;
    core::Vecf m_original, m_corrupted, m_known, m_result;
    int m_w = 0, m_h = 0, m_heldOutIndex = 0;
    double m_errorBefore = std::numeric_limits<double>::quiet_NaN();
    double m_errorAfter = std::numeric_limits<double>::quiet_NaN();
    std::vector<RankedImage> m_ranking;
    core::Rng m_rng{12345};
    RepairCanvas* m_canvas;
    ImageGrid *m_results, *m_rankGrid;
    QSpinBox* m_steps;
    QDoubleSpinBox* m_noiseSigma;
    QPushButton *m_run, *m_rank;
    QLabel *m_resultLabel, *m_rankLabel;
    void refresh();
    double freeError(const core::Vecf& x) const;
};

} // namespace ebm::ui
