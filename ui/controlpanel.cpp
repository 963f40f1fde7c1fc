#include "controlpanel.h"

#include "guidewindow.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <ebm/core/density.h>

namespace ebm::ui {

namespace {
constexpr core::Method kMethods[] = {core::Method::ContrastiveDivergence, core::Method::ExactScoreMatching,
                                     core::Method::SlicedScoreMatching, core::Method::DenoisingScoreMatching,
                                     core::Method::NoiseContrastive};
constexpr core::SamplerKind kSamplers[] = {core::SamplerKind::RandomWalkMH, core::SamplerKind::Langevin,
                                           core::SamplerKind::Mala, core::SamplerKind::Hmc};
const int kWidths[] = {16, 32, 64, 128, 256};

QStringList samplerNames() {
    return {QObject::tr("Random-walk Metropolis"), QObject::tr("Langevin (ULA)"), QObject::tr("MALA"),
            QObject::tr("Hamiltonian MC")};
}
int samplerIndex(core::SamplerKind k) {
    for (int i = 0; i < 4; ++i)
        if (kSamplers[i] == k) return i;
    return 1;
}

QDoubleSpinBox* spin(double lo, double hi, int decimals, double step, const QString& tip) {
    auto* s = new QDoubleSpinBox;
    s->setRange(lo, hi);
    s->setDecimals(decimals);
    s->setSingleStep(step);
    s->setToolTip(tip);
    s->setKeyboardTracking(false);
    return s;
}
QSpinBox* ispin(int lo, int hi, const QString& tip) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setToolTip(tip);
    s->setKeyboardTracking(false);
    return s;
}
QComboBox* combo(const QStringList& items, const QString& tip) {
    auto* c = new QComboBox;
    c->addItems(items);
    c->setToolTip(tip);
    return c;
}
} // namespace

QStringList methodDisplayNames() {
    return {QObject::tr("Contrastive divergence"), QObject::tr("Score matching (exact)"),
            QObject::tr("Score matching (sliced)"), QObject::tr("Score matching (denoising)"),
            QObject::tr("Noise-contrastive estimation")};
}
core::Method methodAt(int i) {
    return kMethods[std::clamp(i, 0, 4)];
}
int methodIndex(core::Method m) {
    for (int i = 0; i < 5; ++i)
        if (kMethods[i] == m) return i;
    return 0;
}

ControlPanel::ControlPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(6, 6, 6, 6);
    v->addWidget(buildTargetGroup());
    v->addWidget(buildMethodGroup());
    v->addWidget(buildModelGroup());
    v->addWidget(buildLiveGroup());
    v->addStretch(1);
    writeWidgets();
}

QWidget* ControlPanel::buildTargetGroup() {
    auto* g = new QGroupBox(tr("Target and speed"));
    addGuideButton(g, QStringLiteral("target"));
    auto* f = new QFormLayout(g);
    m_target = new QComboBox;
    m_target->setObjectName(QStringLiteral("targetCombo"));
    m_target->setToolTip(tr("The 2D density the model learns from (samples from it are the training data)"));
    int i = 0;
    for (const std::string& name : core::presetNames()) {
        m_target->addItem(QString::fromStdString(name), QString::fromStdString(name));
        m_target->setItemData(i++, QString::fromStdString(core::presetDescription(name)), Qt::ToolTipRole);
    }
    m_target->addItem(tr("drawing (your own)"), QString::fromLatin1(kDrawingTarget));
    m_target->setItemData(i, tr("The density you draw in the Draw pane (D)"), Qt::ToolTipRole);
    f->addRow(tr("Target"), m_target);
    // The speed is a rate, not steps per frame: the same setting trains as fast on a slow display as on
    // a fast one, and "as fast as possible" (the default) lets the worker decide how often to redraw.
    m_speed = combo({}, tr("Training steps per second. Maximum trains as fast as this machine allows; a "
                           "low rate lets you watch each step"));
    m_speed->setObjectName(QStringLiteral("speedCombo"));
    m_speed->addItem(tr("Maximum (as fast as possible)"), 0);
    for (int r : {500, 200, 100, 50, 20, 10, 5, 2, 1})
        m_speed->addItem(r == 1 ? tr("1 step/s") : tr("%1 steps/s").arg(r), r);
    f->addRow(tr("Speed"), m_speed);
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    connect(m_speed, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    return g;
}

QWidget* ControlPanel::buildMethodGroup() {
    auto* g = new QGroupBox(tr("Training method"));
    addGuideButton(g, QStringLiteral("method"));
    auto* v = new QVBoxLayout(g);
    m_method =
        combo(methodDisplayNames(),
              tr("How the energy is fitted: CD pushes data down and samples up; SM matches scores; NCE "
                 "classifies data against noise (keys 1/2/3)"));
    v->addWidget(m_method);
    m_methodPages = new QStackedWidget;
    // CD
    auto* cd = new QWidget;
    auto* fcd = new QFormLayout(cd);
    fcd->setContentsMargins(0, 0, 0, 0);
    m_cdSampler = combo(samplerNames(), tr("The MCMC sampler that draws the negative samples x⁻"));
    m_cdSteps = ispin(1, 500, tr("K: sampler steps per training step for the negatives"));
    m_cdStep = spin(1e-5, 1.0, 5, 0.001, tr("ε: sampler step size (squared data units for Langevin/MALA)"));
    m_cdPersistent = new QCheckBox(tr("Persistent chains (replay buffer)"));
    m_cdPersistent->setToolTip(
        tr("On: chains continue from a replay buffer; off: fresh noise each step (short-run)"));
    m_cdBuffer = ispin(64, 100000, tr("Replay buffer capacity in particles"));
    m_cdRestart = spin(0, 1, 3, 0.01, tr("Fraction of each negative batch restarted from uniform noise"));
    m_cdLrScale = spin(0.1, 10, 2, 0.5,
                       tr("CD's learning rate as a multiple of the optimiser's: larger steps leave the "
                          "early ring phase sooner; score matching and NCE keep the plain rate"));
    fcd->addRow(tr("Sampler"), m_cdSampler);
    fcd->addRow(tr("K steps"), m_cdSteps);
    fcd->addRow(tr("Step size"), m_cdStep);
    fcd->addRow(m_cdPersistent);
    fcd->addRow(tr("Buffer"), m_cdBuffer);
    fcd->addRow(tr("Restart rate"), m_cdRestart);
    fcd->addRow(tr("LR × (CD)"), m_cdLrScale);
    // SM
    auto* sm = new QWidget;
    auto* fsm = new QFormLayout(sm);
    fsm->setContentsMargins(0, 0, 0, 0);
    m_smSigma =
        spin(0.001, 2.0, 3, 0.01, tr("σ: noise added to the data by denoising score matching (data units)"));
    m_smRademacher = new QCheckBox(tr("Rademacher projections"));
    m_smRademacher->setToolTip(tr("Sliced SM: random directions v with ±1 entries instead of Gaussian"));
    m_smNote = new QLabel;
    m_smNote->setWordWrap(true);
    fsm->addRow(tr("DSM σ"), m_smSigma);
    fsm->addRow(m_smRademacher);
    fsm->addRow(m_smNote);
    // NCE
    auto* nce = new QWidget;
    auto* fnce = new QFormLayout(nce);
    fnce->setContentsMargins(0, 0, 0, 0);
    m_nceNoise = combo({tr("Gaussian fitted to data"), tr("Uniform on the box")},
                       tr("The noise distribution q the classifier separates the data from"));
    m_nceRatio = spin(0.1, 20, 2, 0.5, tr("ν: noise samples per data sample"));
    m_nceScale = spin(0.1, 10, 2, 0.1, tr("Widens the fitted Gaussian's standard deviation by this factor"));
    fnce->addRow(tr("Noise q"), m_nceNoise);
    fnce->addRow(tr("Ratio ν"), m_nceRatio);
    fnce->addRow(tr("Noise scale"), m_nceScale);
    m_methodPages->addWidget(cd);
    m_methodPages->addWidget(sm);
    m_methodPages->addWidget(nce);
    v->addWidget(m_methodPages);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QComboBox* c : {m_cdSampler, m_nceNoise})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QSpinBox* s : {m_cdSteps, m_cdBuffer})
        connect(s, &QSpinBox::valueChanged, this, [this] { changed(); });
    for (QDoubleSpinBox* s : {m_cdStep, m_cdRestart, m_cdLrScale, m_smSigma, m_nceRatio, m_nceScale})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
    for (QCheckBox* c : {m_cdPersistent, m_smRademacher})
        connect(c, &QCheckBox::toggled, this, [this] { changed(); });
    return g;
}

QWidget* ControlPanel::buildModelGroup() {
    auto* g = new QGroupBox(tr("Model and optimiser"));
    addGuideButton(g, QStringLiteral("model"));
    auto* f = new QFormLayout(g);
    QStringList widths;
    for (int w : kWidths)
        widths << QString::number(w);
    m_width =
        combo(widths, tr("Units per hidden layer of the MLP energy (changing it re-initialises the model)"));
    m_depth = ispin(1, 6, tr("Number of hidden layers (changing it re-initialises the model)"));
    m_activation = combo({QStringLiteral("SiLU"), QStringLiteral("softplus"), QStringLiteral("tanh")},
                         tr("Hidden-layer nonlinearity φ (smooth, so scores and Laplacians exist)"));
    m_optimizer =
        combo({QStringLiteral("Adam"), QStringLiteral("SGD (momentum)")}, tr("The parameter update rule"));
    m_lr = spin(1e-5, 0.1, 5, 1e-4, tr("Learning rate (optimiser step size)"));
    m_batch = ispin(8, 8192, tr("Data samples per training step"));
    m_seed = new QLineEdit;
    m_seed->setValidator(new QIntValidator(0, 2147483647, m_seed));
    m_seed->setToolTip(tr("Seed of every random choice: same seed, same run (changing it re-initialises)"));
    // Named for the tests: these four rebuild the model (undoable with Ctrl+Z).
    m_width->setObjectName(QStringLiteral("widthCombo"));
    m_depth->setObjectName(QStringLiteral("depthSpin"));
    m_activation->setObjectName(QStringLiteral("activationCombo"));
    m_seed->setObjectName(QStringLiteral("seedEdit"));
    m_lr->setObjectName(QStringLiteral("learningRateSpin"));
    f->addRow(tr("Width"), m_width);
    f->addRow(tr("Depth"), m_depth);
    f->addRow(tr("Activation"), m_activation);
    f->addRow(tr("Optimiser"), m_optimizer);
    f->addRow(tr("Learning rate"), m_lr);
    f->addRow(tr("Batch size"), m_batch);
    f->addRow(tr("Seed"), m_seed);
    for (QComboBox* c : {m_width, m_activation, m_optimizer})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QSpinBox* s : {m_depth, m_batch})
        connect(s, &QSpinBox::valueChanged, this, [this] { changed(); });
    connect(m_lr, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
    connect(m_seed, &QLineEdit::editingFinished, this, [this] { changed(); });
    return g;
}

QWidget* ControlPanel::buildLiveGroup() {
    auto* g = new QGroupBox(tr("Live particles"));
    addGuideButton(g, QStringLiteral("particles"));
    auto* f = new QFormLayout(g);
    m_liveSampler = combo(samplerNames(), tr("The sampler moving the live particles on the current landscape "
                                             "(independent of the training method)"));
    m_liveBeta = spin(0.05, 20, 2, 0.1, tr("β: inverse temperature; the particles sample p ∝ exp(−βE)"));
    m_liveStep = spin(1e-5, 1.0, 5, 0.001, tr("ε: the live sampler's step size"));
    m_liveCount = ispin(1, 100000, tr("Number of live particles (click the view to spawn more in place)"));
    m_liveCount->setSingleStep(1000);
    m_liveRunning = new QCheckBox(tr("Move particles while paused"));
    m_liveRunning->setToolTip(tr("Keep sampling the current landscape when training is paused"));
    auto* reset = new QPushButton(tr("Reset particles"));
    reset->setToolTip(tr("Scatter the live particles uniformly over the box again"));
    f->addRow(tr("Sampler"), m_liveSampler);
    f->addRow(tr("β"), m_liveBeta);
    f->addRow(tr("Step size"), m_liveStep);
    f->addRow(tr("Particles"), m_liveCount);
    f->addRow(m_liveRunning);
    f->addRow(reset);
    connect(m_liveSampler, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QDoubleSpinBox* s : {m_liveBeta, m_liveStep})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
    connect(m_liveCount, &QSpinBox::valueChanged, this, [this] { changed(); });
    connect(m_liveRunning, &QCheckBox::toggled, this, [this] { changed(); });
    connect(reset, &QPushButton::clicked, this, &ControlPanel::resetParticlesRequested);
    return g;
}

void ControlPanel::setSettings(const WorkerSettings& s) {
    m_s = s;
    writeWidgets();
}

void ControlPanel::setMethod(core::Method m) {
    m_method->setCurrentIndex(methodIndex(m)); // emits through changed()
}

void ControlPanel::writeWidgets() {
    m_updating = true;
    const core::TrainerOptions& o = m_s.trainer;
    m_target->setCurrentIndex(std::max(0, m_target->findData(QString::fromStdString(m_s.target))));
    if (m_speed->findData(m_s.stepsPerSecond) < 0) // a rate from a session file that the list lacks
        m_speed->addItem(tr("%1 steps/s").arg(m_s.stepsPerSecond), m_s.stepsPerSecond);
    m_speed->setCurrentIndex(m_speed->findData(m_s.stepsPerSecond));
    m_method->setCurrentIndex(methodIndex(o.method));
    m_cdSampler->setCurrentIndex(samplerIndex(o.cd.sampler.kind));
    m_cdSteps->setValue(o.cd.steps);
    m_cdStep->setValue(o.cd.sampler.stepSize);
    m_cdPersistent->setChecked(o.cd.persistent);
    m_cdBuffer->setValue(o.cd.bufferSize);
    m_cdRestart->setValue(o.cd.restartFraction);
    m_cdLrScale->setValue(o.cd.learningRateScale);
    m_smSigma->setValue(o.sm.dsmSigma);
    m_smRademacher->setChecked(o.sm.rademacher);
    m_nceNoise->setCurrentIndex(o.nce.noise == core::NceNoise::Gaussian ? 0 : 1);
    m_nceRatio->setValue(o.nce.noiseRatio);
    m_nceScale->setValue(o.nce.noiseScale);
    const int w = o.model.hidden.empty() ? 128 : o.model.hidden.front();
    m_width->setCurrentIndex(std::max(0, m_width->findText(QString::number(w))));
    m_depth->setValue(int(o.model.hidden.size()));
    m_activation->setCurrentIndex(int(o.model.activation));
    m_optimizer->setCurrentIndex(o.optimizer.kind == core::OptimizerKind::Adam ? 0 : 1);
    m_lr->setValue(o.optimizer.learningRate);
    m_batch->setValue(int(o.batchSize));
    m_seed->setText(QString::number(o.seed));
    m_liveSampler->setCurrentIndex(samplerIndex(m_s.live.kind));
    m_liveBeta->setValue(m_s.live.beta);
    m_liveStep->setValue(m_s.live.kind == core::SamplerKind::RandomWalkMH ? m_s.live.mhSigma
                                                                          : m_s.live.stepSize);
    m_liveCount->setValue(m_s.particleCount);
    m_liveRunning->setChecked(m_s.particlesRunning);
    m_updating = false;
    const core::Method m = o.method;
    m_methodPages->setCurrentIndex(m == core::Method::ContrastiveDivergence ? 0
                                   : m == core::Method::NoiseContrastive    ? 2
                                                                            : 1);
    m_smSigma->setEnabled(m == core::Method::DenoisingScoreMatching);
    m_smRademacher->setEnabled(m == core::Method::SlicedScoreMatching);
    m_smNote->setText(m == core::Method::ExactScoreMatching
                          ? tr("Exact SM uses the Laplacian of E: no hyperparameters.")
                      : m == core::Method::SlicedScoreMatching
                          ? tr("Sliced SM projects the Hessian on random directions v.")
                          : tr("DSM learns the σ-smoothed density: small σ, sharper fit."));
    m_cdBuffer->setEnabled(o.cd.persistent);
    m_cdRestart->setEnabled(o.cd.persistent);
}

void ControlPanel::readWidgets() {
    core::TrainerOptions& o = m_s.trainer;
    m_s.target = m_target->currentData().toString().toStdString();
    m_s.stepsPerSecond = m_speed->currentData().toInt();
    o.method = methodAt(m_method->currentIndex());
    o.cd.sampler.kind = kSamplers[m_cdSampler->currentIndex()];
    o.cd.steps = m_cdSteps->value();
    o.cd.sampler.stepSize = float(m_cdStep->value());
    o.cd.sampler.mhSigma = float(std::sqrt(2 * m_cdStep->value()));
    o.cd.persistent = m_cdPersistent->isChecked();
    o.cd.bufferSize = m_cdBuffer->value();
    o.cd.restartFraction = float(m_cdRestart->value());
    o.cd.learningRateScale = float(m_cdLrScale->value());
    o.sm.dsmSigma = float(m_smSigma->value());
    o.sm.rademacher = m_smRademacher->isChecked();
    o.sm.varianceReduced = !o.sm.rademacher;
    o.nce.noise = m_nceNoise->currentIndex() == 0 ? core::NceNoise::Gaussian : core::NceNoise::Uniform;
    o.nce.noiseRatio = float(m_nceRatio->value());
    o.nce.noiseScale = float(m_nceScale->value());
    o.model.hidden.assign(size_t(m_depth->value()), m_width->currentText().toInt());
    o.model.activation = core::Activation(m_activation->currentIndex());
    o.optimizer.kind =
        m_optimizer->currentIndex() == 0 ? core::OptimizerKind::Adam : core::OptimizerKind::Sgd;
    o.optimizer.learningRate = float(m_lr->value());
    o.batchSize = m_batch->value();
    o.seed = m_seed->text().toULongLong();
    m_s.live.kind = kSamplers[m_liveSampler->currentIndex()];
    m_s.live.beta = float(m_liveBeta->value());
    if (m_s.live.kind == core::SamplerKind::RandomWalkMH)
        m_s.live.mhSigma = float(m_liveStep->value());
    else
        m_s.live.stepSize = float(m_liveStep->value());
    m_s.particleCount = m_liveCount->value();
    m_s.particlesRunning = m_liveRunning->isChecked();
}

void ControlPanel::changed() {
    if (m_updating) return;
    readWidgets();
    if (m_s.trainer.method != core::Method::ContrastiveDivergence &&
        m_s.trainer.method != core::Method::NoiseContrastive)
        m_lastSm = m_s.trainer.method;
    writeWidgets(); // relevant pages and enabled states follow the new values
    emit settingsChanged(m_s);
}

} // namespace ebm::ui
