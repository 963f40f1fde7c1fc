// MainWindow's advice on the run: Training ▸ Use recommended settings (core::recommendedSettings, applied
// through the controls as one undoable step) and the stuck-run diagnostic (core::RunDiagnosis, fed every
// snapshot's figures) shown in the status bar while it has a finding.
#include "controlpanel.h"
#include "mainwindow.h"
#include "metricschart.h"
#include "modelhistory.h"
#include <QLabel>
#include <QStatusBar>
#include <ebm/core/recommended.h>

namespace ebm::ui {

namespace {
/// The settings a finding is about: any change of the trainer's or of the target starts it afresh.
bool sameRun(const WorkerSettings& x, const WorkerSettings& y) {
    const core::TrainerOptions &a = x.trainer, &b = y.trainer;
    return x.target == y.target && x.drawing == y.drawing && a.method == b.method && a.seed == b.seed &&
           a.batchSize == b.batchSize && a.optimizer.kind == b.optimizer.kind &&
           a.optimizer.learningRate == b.optimizer.learningRate && a.params == b.params &&
           a.lrDecaySteps == b.lrDecaySteps && a.lrFinalFactor == b.lrFinalFactor &&
           a.lrFloorFactor == b.lrFloorFactor && a.divergenceLimit == b.divergenceLimit &&
           a.averageSteps == b.averageSteps && a.model.hidden == b.model.hidden &&
           a.model.activation == b.model.activation && a.chains == b.chains;
}

core::RunSetup setupOf(const core::TrainerOptions& o) {
    return {o.method, o.chains.sampler.kind};
}
} // namespace

void MainWindow::useRecommendedSettings() {
    const core::Recommendation r = core::recommendedSettings(m_settings.target, m_settings.trainer);
    // "Recommended for …: the changes." first, the reason last: a narrow status bar cuts the end.
    const QStringList lines = recommendationText(m_settings).split(QLatin1Char('\n'));
    if (r.changes.empty()) { // nothing to change: say so, and leave the history alone
        statusBar()->showMessage(lines.join(QLatin1Char(' ')), 8000);
        return;
    }
    WorkerSettings s = m_settings;
    s.trainer = r.options;
    s = m_controls->adopt(s); // every control shows the new values, read back as the user's edits would be
    const bool rebuilds = rebuildsModel(m_settings.trainer, s.trainer);
    m_document.markEdited();
    m_modelHistory->recordChange(tr("Recommended settings"), true);
    applySettings(s);
    m_charts->markSettings(tr("recommended settings")); // so the curves show where they took over
    QString message = lines.front() + QLatin1Char(' ') +
                      (rebuilds ? tr("The model was re-initialised (Ctrl+Z undoes).")
                                : tr("The model keeps its training (Ctrl+Z undoes)."));
    if (lines.size() > 1) message += QLatin1Char(' ') + lines.mid(1).join(QLatin1Char(' '));
    statusBar()->showMessage(message, 20000);
}

void MainWindow::buildDiagnosis() {
    m_diagnosisLabel = new QLabel;
    m_diagnosisLabel->setObjectName(QStringLiteral("runDiagnosis"));
    // Amber: a warning about the run, not an error of the program.
    m_diagnosisLabel->setStyleSheet(QStringLiteral("QLabel { color: #f0b050; font-weight: 600; }"));
    m_diagnosisLabel->hide();
    statusBar()->addPermanentWidget(m_diagnosisLabel);
    m_diagnosis.restart(setupOf(m_settings.trainer));
    m_diagnosed = m_settings;
}

void MainWindow::restartDiagnosisOnNewSettings(std::int64_t fromStep) {
    if (sameRun(m_settings, m_diagnosed)) return;
    m_diagnosed = m_settings;
    m_diagnosis.restart(setupOf(m_settings.trainer), fromStep);
    showFinding(false);
}

void MainWindow::diagnose(const TrainingSnapshot& snap) {
    if (snap.epoch != m_diagnosedEpoch) { // another model (an opened session, an undo): its own history
        m_diagnosedEpoch = snap.epoch;
        m_diagnosed = m_settings;
        m_diagnosis.restart(setupOf(m_settings.trainer), snap.step);
        showFinding(false);
    }
    restartDiagnosisOnNewSettings(snap.step);
    if (snap.stepsInChunk <= 0) return; // figures already seen with an earlier frame
    core::RunObservation o;
    o.step = snap.step;
    o.steps = snap.stepsInChunk;
    o.kl = snap.kl;
    o.acceptRate = snap.acceptRate;
    o.loss = snap.loss;
    o.diverged = snap.diverged;
    const core::RunProblem before = m_diagnosis.finding().problem;
    if (m_diagnosis.observe(o).problem != before) showFinding(true);
}

void MainWindow::showFinding(bool announce) {
    const core::RunFinding& f = m_diagnosis.finding();
    m_diagnosisLabel->setVisible(bool(f));
    if (!f) {
        m_diagnosisLabel->clear();
        m_diagnosisLabel->setToolTip({});
        return;
    }
    const QString message = QString::fromStdString(f.message);
    m_diagnosisLabel->setText(QStringLiteral("⚠ ") + QString::fromStdString(f.summary));
    m_diagnosisLabel->setToolTip(
        message +
        tr("\n\nThe run's figures are checked over the last %1 training steps; this goes away when "
           "the run recovers or its settings change. Training ▸ Use recommended settings (U) applies "
           "the settings that learn this target.")
            .arg(core::RunDiagnosis::kWindowSteps));
    if (announce) statusBar()->showMessage(message, 15000); // once per finding: the label stays meanwhile
}

} // namespace ebm::ui
