#include "modelhistory.h"

#include <QPointer>
#include <QUndoCommand>
#include <optional>

namespace ebm::ui {

namespace {
QString activationLabel(core::Activation a) {
    switch (a) {
    case core::Activation::SiLU:
        return QStringLiteral("SiLU");
    case core::Activation::Softplus:
        return QStringLiteral("softplus");
    case core::Activation::Tanh:
        return QStringLiteral("tanh");
    }
    return QString::fromStdString(core::activationName(a));
}
int widthOf(const core::TrainerOptions& o) {
    return o.model.hidden.empty() ? 0 : o.model.hidden.front();
}

} // namespace

// A state that arrives from the worker after it was asked for; whoever needs it before then asks to have
// it restored on arrival (Ctrl+Z pressed within the same chunk).
struct PendingState {
    std::optional<TrainingState> state;
    bool restoreOnArrival = false;
};

bool rebuildsModel(const core::TrainerOptions& a, const core::TrainerOptions& b) {
    return a.model.hidden != b.model.hidden || a.model.activation != b.model.activation || a.seed != b.seed;
}

QString describeModelChange(const core::TrainerOptions& a, const core::TrainerOptions& b) {
    QStringList parts;
    const auto arrow = [](const QString& what, const QString& from, const QString& to) {
        return QStringLiteral("%1 %2 → %3").arg(what, from, to);
    };
    if (widthOf(a) != widthOf(b))
        parts << arrow(ModelHistory::tr("Width"), QString::number(widthOf(a)), QString::number(widthOf(b)));
    if (a.model.hidden.size() != b.model.hidden.size())
        parts << arrow(ModelHistory::tr("Depth"), QString::number(a.model.hidden.size()),
                       QString::number(b.model.hidden.size()));
    if (a.model.activation != b.model.activation)
        parts << arrow(ModelHistory::tr("Activation"), activationLabel(a.model.activation),
                       activationLabel(b.model.activation));
    if (a.seed != b.seed)
        parts << arrow(ModelHistory::tr("Seed"), QString::number(a.seed), QString::number(b.seed));
    return parts.join(QStringLiteral(", "));
}

class ModelChangeCommand : public QUndoCommand {
public:
    ModelChangeCommand(ModelHistory* h, std::shared_ptr<PendingState> before, const QString& text,
                       bool withSettings)
        : QUndoCommand(text), m_h(h), m_before(std::move(before)), m_withSettings(withSettings) {}

    void undo() override {
        m_after = m_h->capture(m_withSettings); // what the change made, for Redo
        m_h->restore(m_before);
        emit m_h->stepped(text(), true);
    }
    void redo() override {
        if (!m_after) return;                    // pushed: the change itself is being made by the caller
        m_before = m_h->capture(m_withSettings); // the state may have trained on since the undo
        m_h->restore(m_after);
        emit m_h->stepped(text(), false);
    }

private:
    ModelHistory* m_h;
    std::shared_ptr<PendingState> m_before, m_after;
    bool m_withSettings;
};

ModelHistory::ModelHistory(std::function<void(Done)> capture,
                           std::function<void(const TrainingState&)> restore, QObject* parent)
    : QObject(parent), m_capture(std::move(capture)), m_restore(std::move(restore)) {
    // Each entry holds one trained state (a few hundred kB with the replay buffer): 20 are plenty.
    m_stack.setUndoLimit(20);
}

std::shared_ptr<PendingState> ModelHistory::capture(bool withSettings) {
    auto slot = std::make_shared<PendingState>();
    QPointer<ModelHistory> self(this);
    m_capture([self, slot, withSettings](TrainingState s) {
        s.withSettings = withSettings;
        slot->state = std::move(s);
        if (slot->restoreOnArrival && self) {
            slot->restoreOnArrival = false;
            self->m_restore(*slot->state);
        }
    });
    return slot;
}

void ModelHistory::restore(const std::shared_ptr<PendingState>& slot) {
    if (slot->state)
        m_restore(*slot->state);
    else
        slot->restoreOnArrival = true;
}

void ModelHistory::recordChange(const QString& text, bool withSettings) {
    m_stack.push(new ModelChangeCommand(this, capture(withSettings), text, withSettings));
}

} // namespace ebm::ui
