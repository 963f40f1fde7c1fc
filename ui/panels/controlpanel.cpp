#include "controlpanel.h"

#include "guidewindow.h"
#include "paramform.h"
#include <QAction>
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
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <ebm/core/density.h>
#include <ebm/core/objective.h>
#include <ebm/core/recommended.h>

namespace ebm::ui {

namespace {
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

std::vector<std::string> planeMethods() {
    return core::objectiveNames(core::ModelKind::Plane);
}

int methodKey(const std::vector<std::string>& methods, const std::string& method) {
    const auto it = std::find(methods.begin(), methods.end(), method);
    const int i = int(it - methods.begin());
    return it != methods.end() && i < 9 ? i + 1 : 0;
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
    m_method = combo({}, tr("How the energy is fitted: contrastive methods push data down and their "
                            "negatives up; score matching matches scores; NCE classifies data against "
                            "noise (keys 1–9 in this order)"));
    m_method->setObjectName(QStringLiteral("methodCombo"));
    const std::vector<std::string> methods = planeMethods();
    for (const std::string& name : methods) {
        const core::ObjectiveInfo& info = core::objective(name).info();
        const int key = methodKey(methods, name);
        QString tip = QString::fromStdString(info.help);
        if (key > 0) tip += tr(" (key %1)").arg(key);
        m_method->addItem(QString::fromStdString(info.label), QString::fromStdString(name));
        m_method->setItemData(m_method->count() - 1, tip, Qt::ToolTipRole);
    }
    v->addWidget(m_method);
    // Next to the target and the method it depends on; the window puts the same action in its Training menu.
    m_recommended = new QAction(tr("&Use recommended settings"), this);
    m_recommended->setObjectName(QStringLiteral("useRecommended"));
    m_recommended->setShortcut(Qt::Key_U);
    auto* recommended = new QToolButton;
    recommended->setObjectName(QStringLiteral("recommendedButton"));
    recommended->setDefaultAction(m_recommended);
    recommended->setToolButtonStyle(Qt::ToolButtonTextOnly);
    recommended->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    v->addWidget(recommended);
    m_methodHelp = new QLabel;
    m_methodHelp->setObjectName(QStringLiteral("methodHelp"));
    m_methodHelp->setWordWrap(true);
    v->addWidget(m_methodHelp);
    m_params = new ParamForm;
    m_params->setObjectName(QStringLiteral("methodParams"));
    v->addWidget(m_params);
    // The chains (shown for a method that needs MCMC negatives)
    m_chains = new QWidget;
    m_chains->setObjectName(QStringLiteral("chainOptions"));
    auto* fc = new QFormLayout(m_chains);
    fc->setContentsMargins(0, 0, 0, 0);
    m_chainSampler = combo(samplerNames(), tr("The MCMC sampler that draws the negative samples x⁻"));
    m_chainSteps = ispin(1, 500, tr("K: sampler steps per training step for the negatives"));
    m_chainStep =
        trimmedSpin(1e-5, 1.0, 5, 0.001, tr("ε: sampler step size (squared data units for Langevin/MALA)"));
    m_chainFit = new QCheckBox(tr("Fit to the target"));
    m_chainFit->setToolTip(
        tr("On: Langevin steps at most ⅔ w², w the width of the target's thin features, so the chains stay "
           "on features narrower than the step suits; MALA instead where the features' widths vary more "
           "than 2×. Off: the sampler and step size as set"));
    m_chainRun = new QLabel;
    m_chainRun->setWordWrap(true);
    m_chainRun->setVisible(false);
    m_chainPersistent = new QCheckBox(tr("Persistent chains (replay buffer)"));
    m_chainPersistent->setToolTip(
        tr("On: chains continue from a replay buffer; off: fresh noise each step (short-run)"));
    m_chainBuffer = ispin(64, 100000, tr("Replay buffer capacity in particles"));
    m_chainRestart =
        trimmedSpin(0, 1, 3, 0.01, tr("Fraction of each negative batch restarted from uniform noise"));
    m_chainSampler->setObjectName(QStringLiteral("chainSampler"));
    m_chainSteps->setObjectName(QStringLiteral("chainSteps"));
    m_chainStep->setObjectName(QStringLiteral("chainStepSize"));
    m_chainFit->setObjectName(QStringLiteral("chainFit"));
    m_chainRun->setObjectName(QStringLiteral("chainRun"));
    m_chainPersistent->setObjectName(QStringLiteral("chainPersistent"));
    m_chainBuffer->setObjectName(QStringLiteral("chainBuffer"));
    m_chainRestart->setObjectName(QStringLiteral("chainRestart"));
    fc->addRow(tr("Sampler"), m_chainSampler);
    fc->addRow(tr("K steps"), m_chainSteps);
    fc->addRow(tr("Step size"), m_chainStep);
    fc->addRow(m_chainFit);
    fc->addRow(m_chainRun);
    fc->addRow(m_chainPersistent);
    fc->addRow(tr("Buffer"), m_chainBuffer);
    fc->addRow(tr("Restart rate"), m_chainRestart);
    v->addWidget(m_chains);

    connect(m_method, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    connect(m_chainSampler, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QSpinBox* s : {m_chainSteps, m_chainBuffer})
        connect(s, &QSpinBox::valueChanged, this, [this] { changed(); });
    for (QDoubleSpinBox* s : {m_chainStep, m_chainRestart})
        connect(s, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
    for (QCheckBox* c : {m_chainPersistent, m_chainFit})
        connect(c, &QCheckBox::toggled, this, [this] { changed(); });
    connect(m_params, &ParamForm::valueChanged, this, [this](const std::string& key, double value) {
        if (m_updating) return;
        try {
            m_s.trainer.params.set(m_s.trainer.method, key, value);
        } catch (const core::InvalidArgument&) {
            writeWidgets(); // a value the schema refuses (the widget's range prevents it): show the old one
            return;
        }
        changed();
    });
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
    m_lr = trimmedSpin(1e-5, 0.1, 5, 1e-4, tr("Learning rate (optimiser step size)"));
    m_batch = ispin(8, 8192, tr("Data samples per training step"));
    m_average = ispin(0, 100000,
                      tr("The landscape, the KL and saved models show the parameters averaged over about "
                         "this many of the last steps (less noisy than the last step's); training and "
                         "its chains use the last step's. 0 = off"));
    m_average->setSuffix(tr(" steps"));
    m_average->setSpecialValueText(tr("off (last step)"));
    m_average->setObjectName(QStringLiteral("averageSpin"));
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
    f->addRow(tr("Show average of"), m_average);
    f->addRow(tr("Seed"), m_seed);
    for (QComboBox* c : {m_width, m_activation, m_optimizer})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { changed(); });
    for (QSpinBox* s : {m_depth, m_batch, m_average})
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
    m_liveBeta =
        trimmedSpin(0.05, 20, 2, 0.1, tr("β: inverse temperature; the particles sample p ∝ exp(−βE)"));
    m_liveStep = trimmedSpin(1e-5, 1.0, 5, 0.001, tr("ε: the live sampler's step size"));
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

void ControlPanel::setMethod(const std::string& method) {
    const int i = m_method->findData(QString::fromStdString(method));
    if (i >= 0) m_method->setCurrentIndex(i); // emits through changed()
}

WorkerSettings ControlPanel::adopt(const WorkerSettings& s) {
    setSettings(s);
    readWidgets();
    writeWidgets();
    return m_s;
}

QString recommendationText(const WorkerSettings& s) {
    const core::Recommendation r = core::recommendedSettings(s.target, s.trainer);
    const QString method = QString::fromStdString(core::objective(s.trainer.method).info().label);
    const QString where = s.target == kDrawingTarget
                              ? ControlPanel::tr("your drawing with %1").arg(method)
                              : ControlPanel::tr("%1 with %2").arg(QString::fromStdString(s.target), method);
    QStringList changes;
    for (const std::string& c : r.changes)
        changes << QString::fromStdString(c);
    if (changes.isEmpty())
        return r.own ? ControlPanel::tr("Already using the recommended settings for %1.").arg(where)
                     : ControlPanel::tr("No recommendations of its own for %1: the defaults, already in use.")
                           .arg(where);
    QString text =
        r.own ? ControlPanel::tr("Recommended for %1: %2.").arg(where, changes.join(QStringLiteral(", ")))
              : ControlPanel::tr("No recommendations of its own for %1: the defaults (%2).")
                    .arg(where, changes.join(QStringLiteral(", ")));
    if (!r.reason.empty()) text += QLatin1Char('\n') + QString::fromStdString(r.reason);
    return text;
}

void ControlPanel::showChainsRun(const core::SamplerOptions& run, const core::FeatureWidths& w) {
    const core::ChainOptions& c = m_s.trainer.chains;
    const bool fitted = c.adaptToTarget && !(run == c.sampler);
    m_chainRun->setVisible(fitted);
    if (!fitted) return;
    const QString text =
        run.kind != c.sampler.kind
            ? tr("Runs MALA: the target's thin parts (%1 wide) are under half its typical width (%2)")
                  .arg(w.thin, 0, 'f', 3)
                  .arg(w.typical, 0, 'f', 3)
            : tr("Runs ε = %1 = ⅔ w², w = %2 the width of the target's thin features")
                  .arg(double(run.stepSize), 0, 'g', 2)
                  .arg(w.thin, 0, 'f', 3);
    if (m_chainRun->text() != text) m_chainRun->setText(text);
}

void ControlPanel::updateRecommendation() {
    const core::Recommendation r = core::recommendedSettings(m_s.target, m_s.trainer);
    m_recommended->setEnabled(!r.changes.empty());
    m_recommended->setToolTip(
        recommendationText(m_s) +
        (r.changes.empty() ? QString() : tr("\n(U; Edit ▸ Undo brings the previous settings back)")));
}

void ControlPanel::writeWidgets() {
    m_updating = true;
    const core::TrainerOptions& o = m_s.trainer;
    m_target->setCurrentIndex(std::max(0, m_target->findData(QString::fromStdString(m_s.target))));
    if (m_speed->findData(m_s.stepsPerSecond) < 0) // a rate from a session file that the list lacks
        m_speed->addItem(tr("%1 steps/s").arg(m_s.stepsPerSecond), m_s.stepsPerSecond);
    m_speed->setCurrentIndex(m_speed->findData(m_s.stepsPerSecond));
    m_method->setCurrentIndex(std::max(0, m_method->findData(QString::fromStdString(o.method))));
    const core::Objective& method = core::objective(o.method);
    m_methodHelp->setText(QString::fromStdString(method.info().help));
    m_params->setSchema(method.schema(core::ModelKind::Plane), o.params.of(o.method));
    m_chains->setVisible(method.info().needs.negatives);
    m_chainSampler->setCurrentIndex(samplerIndex(o.chains.sampler.kind));
    m_chainSteps->setValue(o.chains.steps);
    m_chainStep->setValue(o.chains.sampler.stepSize);
    m_chainPersistent->setChecked(o.chains.persistent);
    m_chainFit->setChecked(o.chains.adaptToTarget);
    // Fitted, the step size is an upper bound (ULA): the label under the chains says what runs.
    m_chainStep->setPrefix(o.chains.adaptToTarget && o.chains.sampler.kind == core::SamplerKind::Langevin
                               ? QStringLiteral("≤ ")
                               : QString());
    if (!o.chains.adaptToTarget) m_chainRun->setVisible(false);
    m_chainBuffer->setValue(o.chains.bufferSize);
    m_chainRestart->setValue(o.chains.restartFraction);
    const int w = o.model.hidden.empty() ? 128 : o.model.hidden.front();
    m_width->setCurrentIndex(std::max(0, m_width->findText(QString::number(w))));
    m_depth->setValue(int(o.model.hidden.size()));
    m_activation->setCurrentIndex(int(o.model.activation));
    m_optimizer->setCurrentIndex(o.optimizer.kind == core::OptimizerKind::Adam ? 0 : 1);
    m_lr->setValue(o.optimizer.learningRate);
    m_batch->setValue(int(o.batchSize));
    m_average->setValue(o.averageSteps);
    m_seed->setText(QString::number(o.seed));
    m_liveSampler->setCurrentIndex(samplerIndex(m_s.live.kind));
    m_liveBeta->setValue(m_s.live.beta);
    m_liveStep->setValue(m_s.live.kind == core::SamplerKind::RandomWalkMH ? m_s.live.mhSigma
                                                                          : m_s.live.stepSize);
    m_liveCount->setValue(m_s.particleCount);
    m_liveRunning->setChecked(m_s.particlesRunning);
    m_updating = false;
    m_chainBuffer->setEnabled(o.chains.persistent);
    m_chainRestart->setEnabled(o.chains.persistent);
    updateRecommendation();
}

void ControlPanel::readWidgets() {
    core::TrainerOptions& o = m_s.trainer;
    m_s.target = m_target->currentData().toString().toStdString();
    m_s.stepsPerSecond = m_speed->currentData().toInt();
    o.method = m_method->currentData().toString().toStdString();
    o.chains.sampler.kind = kSamplers[m_chainSampler->currentIndex()];
    o.chains.steps = m_chainSteps->value();
    o.chains.sampler.stepSize = float(m_chainStep->value());
    o.chains.sampler.mhSigma = float(std::sqrt(2 * m_chainStep->value()));
    o.chains.persistent = m_chainPersistent->isChecked();
    o.chains.adaptToTarget = m_chainFit->isChecked();
    o.chains.bufferSize = m_chainBuffer->value();
    o.chains.restartFraction = float(m_chainRestart->value());
    o.model.hidden.assign(size_t(m_depth->value()), m_width->currentText().toInt());
    o.model.activation = core::Activation(m_activation->currentIndex());
    o.optimizer.kind =
        m_optimizer->currentIndex() == 0 ? core::OptimizerKind::Adam : core::OptimizerKind::Sgd;
    o.optimizer.learningRate = float(m_lr->value());
    o.batchSize = m_batch->value();
    o.averageSteps = m_average->value();
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
    writeWidgets(); // relevant pages and enabled states follow the new values
    emit settingsChanged(m_s);
}

} // namespace ebm::ui
