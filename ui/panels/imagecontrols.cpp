#include "imagecontrols.h"

#include "paramform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <ebm/core/objective.h>
#include <ebm/io/imagedata.h>

namespace ebm::ui {

namespace {
QSpinBox* intSpin(int lo, int hi, const QString& tip) {
    auto* s = new QSpinBox;
    s->setRange(lo, hi);
    s->setKeyboardTracking(false);
    s->setToolTip(tip);
    return s;
}
} // namespace

ImageControls::ImageControls(const ImageSettings& s, QWidget* parent) : QWidget(parent), m_s(s) {
    auto* outer = new QVBoxLayout(this);

    auto* dataBox = new QGroupBox(tr("Data"));
    auto* df = new QFormLayout(dataBox);
    m_data = new QComboBox;
    m_data->addItem(tr("Digits (embedded)"), QStringLiteral("digits"));
    m_data->addItem(tr("Fashion-MNIST"), QStringLiteral("fashion-mnist"));
    if (!io::fashionMnistAvailable()) {
        m_data->setItemData(1, false, Qt::UserRole - 1); // disabled item
        m_data->setItemData(1, tr("Install Debian's dataset-fashion-mnist package (scripts/setup-deps does)"),
                            Qt::ToolTipRole);
    }
    m_data->addItem(tr("Folder of PNG images…"), QString());
    m_data->setToolTip(
        tr("What the model learns: the embedded digits need no files; Fashion-MNIST comes from "
           "Debian's dataset-fashion-mnist; a folder of PNGs is your own data (subfolders = "
           "classes)"));
    df->addRow(tr("Images"), m_data);
    m_size = intSpin(8, 64, tr("Images are resized to size × size pixels; a new size restarts the model"));
    df->addRow(tr("Size"), m_size);
    outer->addWidget(dataBox);

    auto* modelBox = new QGroupBox(tr("Model and method"));
    auto* mf = new QFormLayout(modelBox);
    m_model = new QComboBox;
    m_model->addItem(tr("Conv net (16-32-64-64)"), int(core::ImageModelKind::Conv));
    m_model->addItem(tr("MLP (256-256)"), int(core::ImageModelKind::Mlp));
    m_model->setObjectName(QStringLiteral("imageModel"));
    m_model->setToolTip(tr("The energy network E(x); changing it restarts training"));
    mf->addRow(tr("Model"), m_model);
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("methodCombo"));
    const std::vector<std::string> methods = core::objectiveNames(core::ModelKind::Image);
    for (size_t i = 0; i < methods.size(); ++i) {
        const core::ObjectiveInfo& info = core::objective(methods[i]).info();
        QString tip = QString::fromStdString(info.help);
        if (i < 9) tip += tr(" (key %1)").arg(i + 1);
        m_method->addItem(QString::fromStdString(info.label), QString::fromStdString(methods[i]));
        m_method->setItemData(int(i), tip, Qt::ToolTipRole);
    }
    m_method->setToolTip(tr("Switch at any time: the model, optimiser and replay buffer carry on (keys 1–%1)")
                             .arg(std::min<size_t>(9, methods.size())));
    mf->addRow(tr("Method"), m_method);
    m_methodHelp = new QLabel;
    m_methodHelp->setObjectName(QStringLiteral("methodHelp"));
    m_methodHelp->setWordWrap(true);
    mf->addRow(m_methodHelp);
    m_params = new ParamForm;
    m_params->setObjectName(QStringLiteral("methodParams"));
    mf->addRow(m_params);
    {
        m_chains = new QWidget;
        m_chains->setObjectName(QStringLiteral("chainOptions"));
        auto* f = new QFormLayout(m_chains);
        f->setContentsMargins(0, 0, 0, 0);
        m_buffer = intSpin(64, 100000, tr("Replay buffer: persistent chains the negatives start from"));
        m_fresh =
            trimmedSpin(0, 1, 2, 0.01, tr("Fraction of each negative batch restarted from uniform noise"));
        m_buffer->setObjectName(QStringLiteral("chainBuffer"));
        m_fresh->setObjectName(QStringLiteral("chainFresh"));
        f->addRow(tr("Buffer"), m_buffer);
        f->addRow(tr("Fresh noise"), m_fresh);
        m_guard = new QCheckBox(tr("Guard the chains"));
        m_guard->setObjectName(QStringLiteral("chainGuard"));
        m_guard->setToolTip(
            tr("Contrastive divergence: when the chains lose the data (their mean energy rises a quarter of "
               "the regulariser's bound 1/α above the data's), go back to a checkpoint at least 500 steps "
               "earlier and halve the learning rate. Off: watch a long run lose its chains."));
        f->addRow(m_guard);
    }
    mf->addRow(m_chains);
    outer->addWidget(modelBox);

    // One sampler for everything that runs chains: a contrastive method's negatives, the chains of the other
    // methods, "watch one chain" and the repair demo.
    auto* samplerBox = new QGroupBox(tr("Langevin sampler"));
    samplerBox->setToolTip(tr("x ← clip(x − λ∇E(x) + σξ, 0, 1): the negatives, the chains grid, "
                              "\"watch one chain\" and the repair demo all use it"));
    auto* sf = new QFormLayout(samplerBox);
    m_steps = intSpin(1, 500, tr("K: Langevin steps per training step (the negatives, the chains grid)"));
    m_lambda = trimmedSpin(0.0001, 100, 4, 0.01, tr("λ: Langevin step size x ← x − λ∇E + σξ"));
    m_sigma = trimmedSpin(0, 1, 4, 0.001, tr("σ: Langevin noise, in pixel units"));
    m_lambda->setObjectName(QStringLiteral("langevinStep"));
    sf->addRow(tr("Steps K"), m_steps);
    sf->addRow(tr("Step λ"), m_lambda);
    sf->addRow(tr("Noise σ"), m_sigma);
    outer->addWidget(samplerBox);

    auto* optBox = new QGroupBox(tr("Optimiser"));
    auto* of = new QFormLayout(optBox);
    m_lr = trimmedSpin(1e-5, 0.1, 7, 1e-4,
                       tr("Adam's learning rate (the chain guard halves it when it rewinds a run)"));
    m_lr->setObjectName(QStringLiteral("learningRate"));
    m_batch = intSpin(1, 1024, tr("Data images per training step"));
    m_seed = intSpin(0, 1'000'000, tr("Seed of everything random; a new seed restarts the model"));
    of->addRow(tr("Learning rate"), m_lr);
    of->addRow(tr("Batch"), m_batch);
    of->addRow(tr("Seed"), m_seed);
    outer->addWidget(optBox);

    auto* buttons = new QHBoxLayout;
    m_play = new QPushButton;
    m_play->setToolTip(tr("Play / pause training (Space)"));
    m_step = new QPushButton(tr("Step"));
    m_step->setToolTip(tr("One training step while paused (S)"));
    m_reset = new QPushButton(tr("Reset"));
    m_reset->setToolTip(tr("Re-initialise the model, optimiser and replay buffer from the seed (R)"));
    buttons->addWidget(m_play);
    buttons->addWidget(m_step);
    buttons->addWidget(m_reset);
    outer->addLayout(buttons);
    outer->addStretch(1);

    setSettings(s);

    const auto changed = [this] {
        if (!m_updating) readBack();
    };
    connect(m_data, &QComboBox::activated, this, [this](int i) {
        if (m_data->itemData(i).toString().isEmpty())
            chooseFolder();
        else
            readBack();
    });
    for (QComboBox* c : {m_model, m_method})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QSpinBox* sp : {m_size, m_steps, m_buffer, m_batch, m_seed})
        connect(sp, &QSpinBox::valueChanged, this, changed);
    for (QDoubleSpinBox* sp : {m_lambda, m_sigma, m_fresh, m_lr})
        connect(sp, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_params, &ParamForm::valueChanged, this, [this](const std::string& key, double value) {
        if (m_updating) return;
        ImageSettings s = m_s;
        try {
            s.trainer.params.set(s.trainer.method, key, value);
        } catch (const core::InvalidArgument&) {
            setSettings(m_s); // a value the schema refuses (the widget's range prevents it)
            return;
        }
        m_s = s;
        readBack();
    });
    connect(m_guard, &QCheckBox::toggled, this, changed);
    connect(m_play, &QPushButton::clicked, this, [this] {
        m_s.training = !m_s.training;
        setSettings(m_s);
        emit settingsChanged(m_s);
    });
    connect(m_step, &QPushButton::clicked, this, &ImageControls::stepRequested);
    connect(m_reset, &QPushButton::clicked, this, &ImageControls::resetRequested);
}

void ImageControls::chooseFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder of PNG images"), QDir::homePath());
    if (dir.isEmpty()) {
        setSettings(m_s); // back to what is loaded
        return;
    }
    m_s.data = dir.toStdString();
    setSettings(m_s);
    emit settingsChanged(m_s);
}

void ImageControls::setSettings(const ImageSettings& s) {
    m_updating = true;
    m_s = s;
    const QString data = QString::fromStdString(s.data);
    int di = m_data->findData(data);
    if (di < 0) {
        // A folder: one item for the current folder before "Folder of PNG images…".
        if (m_data->count() == 4) m_data->removeItem(2);
        m_data->insertItem(2, QFileInfo(data).fileName() + QStringLiteral("/"), data);
        m_data->setItemData(2, data, Qt::ToolTipRole);
        di = 2;
    }
    m_data->setCurrentIndex(di);
    m_size->setValue(s.size);
    m_model->setCurrentIndex(s.trainer.model == core::ImageModelKind::Conv ? 0 : 1);
    // The architectures these settings hold (a session or a model file may bring other widths).
    QStringList channels, hidden;
    for (const core::ConvLayerSpec& l : s.trainer.conv.layers)
        channels << QString::number(l.channels);
    for (int h : s.trainer.mlp.hidden)
        hidden << QString::number(h);
    m_model->setItemText(0, tr("Conv net (%1)").arg(channels.join(QLatin1Char('-'))));
    m_model->setItemText(1, tr("MLP (%1)").arg(hidden.join(QLatin1Char('-'))));
    m_method->setCurrentIndex(std::max(0, m_method->findData(QString::fromStdString(s.trainer.method))));
    const core::Objective& method = core::objective(s.trainer.method);
    m_methodHelp->setText(QString::fromStdString(method.info().help));
    m_params->setSchema(method.schema(core::ModelKind::Image), s.trainer.params.of(s.trainer.method));
    m_chains->setVisible(method.info().needs.negatives);
    const auto& chains = s.trainer.chains;
    m_steps->setValue(chains.langevin.steps);
    m_lambda->setValue(chains.langevin.stepSize);
    m_sigma->setValue(chains.langevin.noise);
    m_buffer->setValue(chains.bufferSize);
    m_fresh->setValue(chains.freshFraction);
    m_guard->setChecked(chains.guard);
    m_guard->setEnabled(s.trainer.method == "cd");
    m_lr->setValue(s.trainer.optimizer.learningRate);
    m_batch->setValue(int(s.trainer.batchSize));
    m_seed->setValue(int(s.trainer.seed));
    m_play->setText(s.training ? tr("Pause") : tr("Play"));
    m_step->setEnabled(!s.training);
    m_updating = false;
}

void ImageControls::readBack() {
    ImageSettings s = m_s;
    const QString data = m_data->currentData().toString();
    if (!data.isEmpty()) s.data = data.toStdString();
    s.size = m_size->value();
    s.trainer.model = m_model->currentIndex() == 0 ? core::ImageModelKind::Conv : core::ImageModelKind::Mlp;
    auto& chains = s.trainer.chains;
    chains.langevin.steps = m_steps->value();
    chains.langevin.stepSize = float(m_lambda->value());
    chains.langevin.noise = float(m_sigma->value());
    chains.bufferSize = m_buffer->value();
    chains.freshFraction = float(m_fresh->value());
    chains.guard = m_guard->isChecked();
    s.trainer.optimizer.learningRate = float(m_lr->value());
    s.trainer.batchSize = m_batch->value();
    s.trainer.seed = std::uint64_t(m_seed->value());
    // A new method brings its own sampler (ImageSettings::withMethod), shown at once.
    const std::string method = m_method->currentData().toString().toStdString();
    if (!method.empty() && method != s.trainer.method) s = s.withMethod(method);
    setSettings(s);
    emit settingsChanged(s);
}

} // namespace ebm::ui
