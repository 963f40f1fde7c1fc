// The stuck-run diagnostic's rules. Why each threshold (RunDiagnosis::k*):
// - kWindowSteps = 1500: long enough that a learning run shows progress on every preset (with the defaults
//   KL falls by far more than 3% in any 1500 steps before it settles below 0.3), short enough that a stuck
//   run is named within a few seconds in the window (about 370 steps/s there). The window evaluates KL every
//   400 ms, i.e. every 100–800 steps, so the window holds several evaluations; it is counted in steps, not
//   snapshots or seconds, so the rule means the same at any training speed.
// - kStuckKl = 0.3 nats: the study's bar for "learned" at 3000 steps; below it a flat KL is a finished
//   run, not a stuck one.
// - kFlatImprovement = 3%: run-to-run noise of KL on a settled model is a few per cent; less than that
//   over 1500 steps is no progress. A flat finding clears after 10% (kFlatRecovered), so noise around
//   the edge does not make it come and go.
// - kRiseFactor = 1.5 and kRiseNats = 0.1: a KL that grows by half (and by a tenth of a nat, so tiny KLs
//   do not count) over the window is getting worse, not noisy. Contrastive divergence on the rings with
//   the defaults of issue 13 went 0.76 → 4.36 between steps 500 and 1500. The finding clears once KL grows
//   by less than 20% over the window (kRiseRecovered) and no step was rolled back for a whole window.
// - kDivergences = 3: one rollback is the watchdog doing its job; three in 1500 steps is a pattern.
// - kAcceptSteps = 200, kAcceptCollapsed = 5%: MALA/HMC tuned for mixing accept 50–90%; below 5% over 200
//   steps (several chunks) the chains have stopped moving. It clears above 15% (kAcceptRecovered).
// - kSettleSteps = 200: the chunks in flight when settings change may have trained partly with the old ones.
#include <ebm/core/objective.h>
#include <ebm/core/rundiagnosis.h>

#include <cmath>
#include <cstdio>

namespace ebm::core {

namespace {

std::string format(const char* fmt, double a, double b = 0, double c = 0) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, a, b, c);
    return buf;
}

/// The schema label of the method's key for use inside a sentence ("noise σ"), or empty when the method
/// has no such key.
std::string label(const std::string& method, const std::string& key) {
    for (const ParamSpec& p : objective(method).schema(ModelKind::Plane))
        if (p.key == key) {
            std::string l = p.label;
            if (!l.empty() && l[0] >= 'A' && l[0] <= 'Z') l[0] = char(l[0] - 'A' + 'a');
            return l;
        }
    return {};
}

bool finite(double v) {
    return std::isfinite(v);
}

/// The order in which the rules are tried (the most urgent first).
int rankOf(RunProblem p) {
    switch (p) {
    case RunProblem::Unstable:
        return 0;
    case RunProblem::AcceptanceCollapsed:
        return 1;
    case RunProblem::KlFlat:
    case RunProblem::None:
        break;
    }
    return 2;
}

} // namespace

bool RunDiagnosis::hasAcceptStep(SamplerKind k) {
    return k == SamplerKind::RandomWalkMH || k == SamplerKind::Mala || k == SamplerKind::Hmc;
}

RunDiagnosis::RunDiagnosis(RunSetup setup) : m_setup(std::move(setup)) {
    objective(m_setup.method); // throws InvalidArgument for an unknown method
}

void RunDiagnosis::forget() {
    m_kl.clear();
    m_accept.clear();
    m_divergences.clear();
    m_finding = {};
    m_findingKl = 0;
}

void RunDiagnosis::restart(RunSetup setup, std::int64_t fromStep) {
    objective(setup.method);
    m_setup = std::move(setup);
    forget();
    m_ignoreUntil = fromStep + kSettleSteps;
    m_lastStep = fromStep;
}

double RunDiagnosis::acceptance() const {
    double sum = 0;
    std::int64_t steps = 0;
    for (const Chunk& c : m_accept) {
        sum += c.accept * c.steps;
        steps += c.steps;
    }
    return steps >= kAcceptSteps ? sum / double(steps) : std::numeric_limits<double>::quiet_NaN();
}

const RunFinding& RunDiagnosis::observe(const RunObservation& o) {
    if (o.step < m_lastStep) { // a reset or an undo: another run
        forget();
        m_ignoreUntil = 0;
    }
    m_lastStep = o.step;
    if (o.step <= m_ignoreUntil) return m_finding;

    if (finite(o.kl) && (m_kl.empty() || o.kl != m_kl.back().kl)) m_kl.push_back({o.step, o.kl});
    if (finite(o.acceptRate) && o.steps > 0) m_accept.push_back({o.step, o.steps, o.acceptRate});
    if (o.diverged || std::isinf(o.loss)) m_divergences.push_back(o.step);
    // Keep the last KL at or before the window's start (the reference) and everything after it; the chunks
    // that cover the last kAcceptSteps; the rollbacks inside the window.
    const std::int64_t start = o.step - kWindowSteps;
    while (m_kl.size() >= 2 && m_kl[1].step <= start)
        m_kl.pop_front();
    while (!m_accept.empty()) {
        std::int64_t after = 0;
        for (size_t i = 1; i < m_accept.size(); ++i)
            after += m_accept[i].steps;
        if (after < kAcceptSteps) break;
        m_accept.pop_front();
    }
    while (!m_divergences.empty() && m_divergences.front() <= start)
        m_divergences.pop_front();

    // The most urgent first: an unstable run, then chains that stopped moving, then a flat KL. A finding
    // stands (its text unchanged, so nothing flickers) until its own rule says the run recovered or a
    // more urgent one appears; one that just recovered is not raised again from the same figures.
    const RunFinding found[] = {unstable(), acceptanceCollapsed(), klFlat()};
    int first = 0;
    if (m_finding) {
        const int current = rankOf(m_finding.problem);
        bool urgent = false;
        for (int i = 0; i < current; ++i)
            urgent = urgent || bool(found[i]);
        if (!urgent && !recovered()) return m_finding;
        m_finding = {};
        if (!urgent) first = current + 1;
    }
    for (int i = first; i < 3; ++i)
        if (found[i]) {
            m_finding = found[i];
            m_findingKl = m_kl.empty() ? 0 : m_kl.back().kl;
            break;
        }
    return m_finding;
}

bool RunDiagnosis::recovered() const {
    const double kl = m_kl.empty() ? std::numeric_limits<double>::quiet_NaN() : m_kl.back().kl;
    switch (m_finding.problem) {
    case RunProblem::KlFlat:
        return kl < kStuckKl || kl < (1 - kFlatRecovered) * m_findingKl;
    case RunProblem::Unstable: {
        // No rollback for a whole window, and KL no longer rising: grown by less than kRiseRecovered.
        double early = 0, late = 0;
        return m_divergences.empty() && (!klTrend(early, late) || late < kRiseRecovered * early);
    }
    case RunProblem::AcceptanceCollapsed:
        return acceptance() > kAcceptRecovered;
    case RunProblem::None:
        break;
    }
    return true;
}

bool RunDiagnosis::klTrend(double& early, double& late) const {
    if (m_kl.size() < 3 || m_kl.front().step > m_lastStep - kWindowSteps) return false;
    const std::int64_t start = m_lastStep - kWindowSteps;
    double se = 0, sl = 0;
    int ne = 0, nl = 0;
    for (const KlPoint& p : m_kl) {
        if (p.step <= start + kWindowSteps / 3) se += p.kl, ++ne;
        if (p.step >= m_lastStep - kWindowSteps / 3) sl += p.kl, ++nl;
    }
    early = se / ne;
    late = nl > 0 ? sl / nl : m_kl.back().kl;
    return true;
}

RunFinding RunDiagnosis::unstable() const {
    RunFinding f;
    const bool negatives = objective(m_setup.method).info().needs.negatives;
    const std::string alpha = label(m_setup.method, "energy_reg");
    const std::string fix =
        alpha.empty() ? "lower the learning rate" : "lower the learning rate or raise the " + alpha;
    if (int(m_divergences.size()) >= kDivergences) {
        f.problem = RunProblem::Unstable;
        f.summary = format("Unstable: %.0f rollbacks", double(m_divergences.size()));
        f.message = format("Steps were rolled back %.0f times in the last %.0f steps (NaN or exploding "
                           "energies): ",
                           double(m_divergences.size()), double(kWindowSteps)) +
                    fix + ".";
        return f;
    }
    double early = 0, late = 0;
    if (!klTrend(early, late)) return f;
    if (late >= kRiseFactor * early && late - early >= kRiseNats) {
        f.problem = RunProblem::Unstable;
        f.summary = "Unstable: KL rising";
        f.message = format("KL rose from %.2f to %.2f nats over the last %.0f steps: ", early, late,
                           double(kWindowSteps)) +
                    fix +
                    (negatives ? "; with MCMC negatives, chains thrown across the modes do this too: try "
                                 "the recommended settings or a smaller chain step size ε."
                               : ".");
    }
    return f;
}

RunFinding RunDiagnosis::acceptanceCollapsed() const {
    RunFinding f;
    if (!objective(m_setup.method).info().needs.negatives || !hasAcceptStep(m_setup.chainSampler)) return f;
    const double a = acceptance();
    if (!(a < kAcceptCollapsed)) return f;
    f.problem = RunProblem::AcceptanceCollapsed;
    f.summary = format("Chains stuck: %.0f%% accepted", 100 * a);
    f.message = format("The chains accept %.1f%% of their moves: the chain step size ε is too large for "
                       "this landscape — lower ε (or use the recommended settings).",
                       100 * a);
    return f;
}

RunFinding RunDiagnosis::klFlat() const {
    RunFinding f;
    double early = 0, late = 0;
    if (!klTrend(early, late)) return f;
    if (!(late > kStuckKl && late > (1 - kFlatImprovement) * early)) return f;
    const ObjectiveInfo& info = objective(m_setup.method).info();
    f.problem = RunProblem::KlFlat;
    f.summary = format("Stuck: KL %.2f, not improving", late);
    std::string advice;
    if (!info.fitsDensity) {
        advice = "this loss is not maximum likelihood and comes to rest where its own loss does, not at the "
                 "target's density (CD, score matching and NCE fit the density) — more chain steps K help "
                 "where the chains miss part of the target";
    } else if (info.needs.negatives) {
        advice = "the chains may not reach all the modes — try the recommended settings, a smaller chain "
                 "step size ε or more chain steps K";
    } else if (info.needs.noise) {
        const std::string width = label(m_setup.method, "noise_scale"),
                          ratio = label(m_setup.method, "noise_ratio");
        advice = "the noise may be too easy to tell from the data — try the recommended settings";
        if (!width.empty()) advice += ", another " + width;
        if (!ratio.empty()) advice += (width.empty() ? ", another " : " or ") + ratio;
        advice += ", or a higher learning rate";
    } else if (const std::string sigma = label(m_setup.method, "sigma"); !sigma.empty()) {
        advice = "the noise may blur the modes together — try the recommended settings, a smaller " + sigma +
                 " or a higher learning rate";
    } else {
        advice = "the model may be too small or the learning rate too low — try the recommended settings, a "
                 "higher learning rate or a wider model";
    }
    f.message =
        format("KL has not improved over the last %.0f steps (%.2f nats): ", double(kWindowSteps), late) +
        advice + ".";
    return f;
}

} // namespace ebm::core
