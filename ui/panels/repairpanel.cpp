#include "repairpanel.h"

#include "imagegrid.h"
#include "imageworker.h"
#include "trimmedspinbox.h"
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

namespace ebm::ui {

using core::Vecf;

RepairPanel::RepairPanel(ImageWorker* worker, QWidget* parent) : QWidget(parent), m_worker(worker) {
    auto* v = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Take an image, corrupt it, and let Langevin on the energy repair it with the known "
                      "pixels clamped. Click an image in the data grid to use it."));
    intro->setWordWrap(true);
    v->addWidget(intro);
    auto* top = new QHBoxLayout;
    m_canvas = new RepairCanvas;
    top->addWidget(m_canvas, 1);
    auto* tools = new QFormLayout;
    auto* next = new QPushButton(tr("Next held-out image"));
    next->setToolTip(tr("Start again from the next held-out image (not seen in training)"));
    m_noiseSigma = new TrimmedSpinBox;
    m_noiseSigma->setRange(0.01, 1);
    m_noiseSigma->setSingleStep(0.05);
    m_noiseSigma->setValue(0.3);
    m_noiseSigma->setToolTip(tr("σ of the Gaussian noise added to every pixel (all pixels become free)"));
    auto* noise = new QPushButton(tr("Add noise"));
    noise->setToolTip(tr("Denoising: add Gaussian noise; every pixel is then free"));
    auto* clear = new QPushButton(tr("Undo edits"));
    clear->setToolTip(tr("Back to the clean image, all pixels known"));
    m_steps = new QSpinBox;
    m_steps->setRange(1, 5000);
    m_steps->setValue(core::kImageRepairSteps); // what ebmlab-cli eval measures inpainting and denoising with
    m_steps->setToolTip(tr("Langevin steps of the repair (λ and σ: the Langevin sampler on the left)"));
    m_run = new QPushButton(tr("Run Langevin"));
    m_run->setToolTip(tr("Langevin on the free pixels with the known ones clamped (Enter)"));
    tools->addRow(next);
    tools->addRow(tr("Noise σ"), m_noiseSigma);
    tools->addRow(noise);
    tools->addRow(clear);
    tools->addRow(tr("Steps"), m_steps);
    tools->addRow(m_run);
    top->addLayout(tools);
    v->addLayout(top, 3);
    m_results = new ImageGrid(tr("original · corrupted · repaired"));
    m_results->setMinimumHeight(110);
    m_results->setMaximumHeight(150);
    v->addWidget(m_results, 2);
    m_resultLabel = new QLabel;
    m_resultLabel->setWordWrap(true);
    v->addWidget(m_resultLabel);

    auto* rankBox = new QGroupBox(tr("Anomaly ranking"));
    auto* rv = new QVBoxLayout(rankBox);
    m_rank = new QPushButton(tr("Rank by energy"));
    m_rank->setToolTip(tr("Sort held-out data, uniform noise, noisy data, another data set and your image by "
                          "energy: low energy = typical, high = anomalous"));
    rv->addWidget(m_rank);
    m_rankGrid = new ImageGrid(tr("lowest energy first"));
    m_rankGrid->setEmptyText(tr("Press \"Rank by energy\"."));
    m_rankGrid->setMinimumHeight(200);
    rv->addWidget(m_rankGrid, 1);
    m_rankLabel = new QLabel;
    m_rankLabel->setWordWrap(true);
    rv->addWidget(m_rankLabel);
    v->addWidget(rankBox, 3);

    connect(next, &QPushButton::clicked, this, &RepairPanel::nextHeldOut);
    connect(noise, &QPushButton::clicked, this, [this] { addNoise(float(m_noiseSigma->value())); });
    connect(clear, &QPushButton::clicked, this, [this] {
        if (m_original.size()) setOriginal(m_original, m_w, m_h);
    });
    connect(m_run, &QPushButton::clicked, this, &RepairPanel::runLangevin);
    connect(m_rank, &QPushButton::clicked, this, &RepairPanel::rank);
    connect(m_canvas, &RepairCanvas::erased, this, &RepairPanel::erase);
}

void RepairPanel::setOriginal(const Vecf& pixels, int w, int h) {
    m_original = pixels;
    m_corrupted = pixels;
    m_known = Vecf::Ones(pixels.size());
    m_result.resize(0);
    m_w = w;
    m_h = h;
    m_errorBefore = m_errorAfter = std::numeric_limits<double>::quiet_NaN();
    m_resultLabel->clear();
    // A job that failed (e.g. the data changed size under it) never answered: start afresh.
    m_run->setEnabled(true);
    m_rank->setEnabled(true);
    refresh();
}

void RepairPanel::nextHeldOut() {
    const int index = m_heldOutIndex++;
    QPointer<RepairPanel> self(this);
    m_worker->compute([self, index](ImageSession& s) -> std::function<void()> {
        Vecf x = s.heldOutImage(index);
        const int w = s.data().train->width, h = s.data().train->height;
        return [self, x, w, h] {
            if (self) self->setOriginal(x, w, h);
        };
    });
}

void RepairPanel::addNoise(float sigma) {
    if (m_original.size() == 0) return;
    Vecf xi(m_original.size());
    core::fillNormal(xi, m_rng);
    m_corrupted = (m_corrupted + sigma * xi).cwiseMax(0.0f).cwiseMin(1.0f);
    m_known.setZero();
    m_result.resize(0);
    refresh();
}

void RepairPanel::erase(float cx, float cy, float radius) {
    if (m_original.size() == 0) return;
    std::uniform_real_distribution<float> u(0, 1);
    for (int y = 0; y < m_h; ++y)
        for (int x = 0; x < m_w; ++x) {
            const int i = y * m_w + x;
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > radius * radius || m_known(i) < 0.5f) continue;
            m_known(i) = 0;
            m_corrupted(i) = u(m_rng);
        }
    m_result.resize(0);
    refresh();
}

double RepairPanel::freeError(const Vecf& x) const {
    double sum = 0;
    int n = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i)
        if (m_known(i) < 0.5f) {
            sum += std::abs(x(i) - m_original(i));
            ++n;
        }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

void RepairPanel::runLangevin() {
    if (m_original.size() == 0) return;
    const Vecf start = m_corrupted, known = m_known;
    const int steps = m_steps->value();
    m_run->setEnabled(false);
    emit status(tr("Running %1 clamped Langevin steps…").arg(steps));
    QPointer<RepairPanel> self(this);
    m_worker->compute([self, start, known, steps](ImageSession& s) -> std::function<void()> {
        const auto& L = s.trainer().options().chains.langevin;
        ChainTrajectory t = s.repair(start, known, steps, L.stepSize, L.noise);
        return [self, t = std::move(t), start] {
            if (!self) return;
            self->m_run->setEnabled(true);
            if (start.size() != self->m_corrupted.size() || start != self->m_corrupted)
                return; // edited since
            self->m_result = t.frames.col(t.frames.cols() - 1);
            self->m_errorBefore = self->freeError(self->m_corrupted);
            self->m_errorAfter = self->freeError(self->m_result);
            self->m_resultLabel->setText(
                tr("E: corrupted %1 → repaired %2.  Mean |error| on the %3 free pixels: %4 → %5.")
                    .arg(t.energy(0), 0, 'g', 4)
                    .arg(t.energy(t.energy.size() - 1), 0, 'g', 4)
                    .arg(int((self->m_known.array() < 0.5f).count()))
                    .arg(self->m_errorBefore, 0, 'f', 3)
                    .arg(self->m_errorAfter, 0, 'f', 3));
            self->refresh();
            emit self->repairFinished(t);
        };
    });
}

void RepairPanel::rank() {
    const Vecf extra = m_corrupted;
    m_rank->setEnabled(false);
    QPointer<RepairPanel> self(this);
    m_worker->compute([self, extra](ImageSession& s) -> std::function<void()> {
        std::vector<RankedImage> r = s.rankByEnergy(extra.size() ? &extra : nullptr, 12);
        const int w = s.data().train->width, h = s.data().train->height;
        return [self, r = std::move(r), w, h] {
            if (!self) return;
            self->m_rank->setEnabled(true);
            self->m_ranking = r;
            core::Matf X(r.empty() ? 0 : r.front().pixels.size(), Eigen::Index(r.size()));
            QStringList captions;
            QList<QColor> colors;
            const QColor kindColor[] = {QColor(255, 170, 60), QColor(190, 190, 190), QColor(220, 120, 220),
                                        QColor(120, 200, 255), QColor(130, 230, 130)};
            for (size_t i = 0; i < r.size(); ++i) {
                X.col(Eigen::Index(i)) = r[i].pixels;
                captions << QString::number(r[i].energy, 'g', 2);
                colors << kindColor[r[i].kind];
            }
            self->m_rankGrid->setImages(X, w, h, 8);
            self->m_rankGrid->setCaptions(captions, colors);
            QString text = tr("Colours: <span style='color:#ffaa3c'>held-out data</span>, "
                              "<span style='color:#bebebe'>uniform noise</span>, "
                              "<span style='color:#dc78dc'>noisy data</span>, "
                              "<span style='color:#78c8ff'>other data set</span>, "
                              "<span style='color:#82e682'>your image</span>. ");
            text += tr("Held-out data below noise in %1% of pairs")
                        .arg(100 * self->separation(RankedImage::Noise), 0, 'f', 0);
            const double ood = self->separation(RankedImage::OutOfDistribution);
            if (std::isfinite(ood))
                text += tr(", below the other data set in %1% of pairs").arg(100 * ood, 0, 'f', 0);
            self->m_rankLabel->setText(text + QStringLiteral("."));
            emit self->rankingFinished();
        };
    });
}

double RepairPanel::separation(RankedImage::Kind other) const {
    int pairs = 0, below = 0;
    for (const RankedImage& a : m_ranking) {
        if (a.kind != RankedImage::HeldOut) continue;
        for (const RankedImage& b : m_ranking)
            if (b.kind == other) {
                ++pairs;
                below += a.energy < b.energy;
            }
    }
    return pairs ? double(below) / pairs : std::numeric_limits<double>::quiet_NaN();
}

void RepairPanel::refresh() {
    m_canvas->setImage(m_corrupted, m_known, m_w, m_h);
    core::Matf tiles(m_original.size(), m_result.size() ? 3 : 2);
    tiles.col(0) = m_original;
    tiles.col(1) = m_corrupted;
    if (m_result.size()) tiles.col(2) = m_result;
    m_results->setImages(tiles, m_w, m_h, 3);
}

} // namespace ebm::ui
