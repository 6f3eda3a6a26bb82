// Convergence: applying an implementer's answer and the tree it produced.
#include "review/convergence.hpp"

#include "review/finding_match.hpp"
#include "review/lifecycle.hpp"

#include <algorithm>

namespace gavel::review {

std::vector<Action> Convergence::on_implementation(const ImplementerReported& e) {
  std::vector<Action> out;
  if (!is_current(e.run_id) || m_running->role != Role::implementer) return out;
  m_running->usage += e.usage;
  m_state.usage += e.usage;
  auto& findings = m_state.findings;
  RoundProgress progress;

  // Its answers, per finding named by id or title. A response the lifecycle does not allow
  // (e.g. disputing what a human upheld) is recorded nowhere else and changes nothing.
  for (const auto& r : e.report.responses) {
    auto idx = resolve_named(findings, r.finding, r.finding);
    if (!idx) continue;
    Finding& f = findings[*idx];
    if (f.awaiting_human || f.adjacent) continue;  // it was not asked about these
    bool fixed = r.action == FindingResponse::Action::fixed;
    auto to = fixed ? FindingState::fixed : FindingState::disputed;
    f.implementer_note = r.rationale;
    touch(f.id);
    if (!transition(f, to, context(e.agent, e.now_ms, r.rationale))) continue;
    ++(fixed ? progress.fixed : progress.disputed);
  }
  // Dismissals it was asked to leave a trace for: done; the next review confirms.
  for (auto& f : findings) {
    if (f.state == FindingState::dismissed && f.trace_requested) {
      f.trace_requested = false;
      touch(f.id);
    }
  }

  // The tree it produced becomes the current snapshot.
  const std::string before = m_state.current_snapshot;
  const std::string& after = e.snapshot.fingerprint;
  bool went_back = oscillation(m_state.seen_snapshots, before, after);
  if (after != before) {
    SnapshotView next(e.snapshot);
    for (const auto& id : move_all(m_view, next, findings, m_state.suppressions)) touch(id);
    m_suppressions_touched = true;
    m_view = std::move(next);
    m_state.current_snapshot = after;
    if (!went_back) m_state.seen_snapshots.push_back(after);
    progress.code_changed = true;
  }
  progress.blocking_open = blocking_count(findings, m_policy);
  progress.severity = severity_score(findings, m_policy);
  progress.trend = trend(m_last_severity, progress.severity);
  m_last_responses = e.report.responses;
  auto spent = budget_exhausted(budget_use(e.now_ms), m_policy);
  RoundRecord& record = end_round(e.now_ms, RoundRecord::Outcome::reported);
  record.progress = progress;
  flush_persist(out, record);

  auto blocking = blocking_ids(findings, m_policy);
  if (went_back) {
    escalate(EscalationReason::oscillation, blocking,
             "the implementer's tree returned to an earlier snapshot (" + after + ")", out);
    return out;
  }
  if (implementer_stall(findings, m_policy, before, after)) {
    escalate(EscalationReason::stall, blocking,
             "the implementer changed nothing while blocking findings it did not dispute are "
             "open",
             out);
    return out;
  }
  if (spent) {
    finish(Verdict::exhausted, std::nullopt, "budget used up: " + *spent, out);
    return out;
  }
  start_turn(Role::reviewer, e.now_ms, out);
  return out;
}

}  // namespace gavel::review
