#include "review/convergence.hpp"

#include "review/lifecycle.hpp"

#include <algorithm>
#include <utility>

namespace gavel::review {

namespace {

constexpr const char* k_machine_actor = "gavel";

}  // namespace

Convergence::Convergence(LoopPolicy policy, IdSeed seed, std::string intent)
    : m_policy(std::move(policy)), m_seed(std::move(seed)) {
  m_state.intent = std::move(intent);
}

Convergence::Convergence(LoopPolicy policy, IdSeed seed, SessionState prior)
    : m_policy(std::move(policy)), m_seed(std::move(seed)) {
  m_state.intent = std::move(prior.intent);
  m_state.findings = std::move(prior.findings);
  m_state.suppressions = std::move(prior.suppressions);
  m_state.usage = prior.usage;
}

std::vector<Action> Convergence::on_event(const Event& event) {
  std::int64_t now = std::visit([](const auto& e) { return e.now_ms; }, event);
  if (m_state.started_ms < 0) m_state.started_ms = now;
  m_now = now;
  return std::visit(
      [this](const auto& e) -> std::vector<Action> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, SnapshotChanged>) return on_snapshot(e);
        if constexpr (std::is_same_v<E, ReviewerReported>) return on_review(e);
        if constexpr (std::is_same_v<E, ImplementerReported>) return on_implementation(e);
        if constexpr (std::is_same_v<E, AgentFailed>) return on_failure(e);
        if constexpr (std::is_same_v<E, HumanDecided>) return on_decision(e);
        if constexpr (std::is_same_v<E, Tick>) return on_tick(e);
      },
      event);
}

std::vector<Action> Convergence::on_snapshot(const SnapshotChanged& e) {
  std::vector<Action> out;
  if (e.snapshot.fingerprint == m_state.current_snapshot) return out;
  SnapshotView next(e.snapshot);
  for (const auto& id : move_all(m_view, next, m_state.findings, m_state.suppressions)) touch(id);
  m_suppressions_touched = true;
  m_view = std::move(next);
  m_state.current_snapshot = e.snapshot.fingerprint;
  auto& seen = m_state.seen_snapshots;
  if (std::find(seen.begin(), seen.end(), e.snapshot.fingerprint) == seen.end()) {
    seen.push_back(e.snapshot.fingerprint);
  }
  std::optional<RoundRecord> cancelled;
  if (m_running) {
    out.push_back(CancelAgent{m_running->run_id, "the snapshot changed"});
    cancelled = end_round(e.now_ms, RoundRecord::Outcome::cancelled);
  }
  flush_persist(out, cancelled);
  // A change from outside the loop starts a new cycle on the new snapshot.
  ++m_state.cycle;
  m_state.round = 0;
  m_last_turn.reset();
  m_state.escalation.reset();
  if (m_session_exhausted) {
    finish(Verdict::exhausted, std::nullopt, "session budget used up", out);
    return out;
  }
  if (auto spent = budget_exhausted(budget_use(e.now_ms), m_policy)) {
    finish(Verdict::exhausted, std::nullopt, "budget used up: " + *spent, out);
    return out;
  }
  m_state.verdict = Verdict::in_progress;
  if (e.snapshot.files.empty() && converged(m_state.findings, m_policy)) {
    m_state.reviewed_snapshot = e.snapshot.fingerprint;
    finish(Verdict::converged, std::nullopt, "no uncommitted change", out);
    return out;
  }
  start_turn(Role::reviewer, e.now_ms, out);
  return out;
}

std::vector<Action> Convergence::on_failure(const AgentFailed& e) {
  std::vector<Action> out;
  if (!is_current(e.run_id)) return out;
  RunningAgent& run = *m_running;
  run.usage += e.usage;
  m_state.usage += e.usage;
  run.failure = std::string(to_string(e.kind)) + ": " + e.message;
  if (auto spent = budget_exhausted(budget_use(e.now_ms), m_policy)) {
    auto record = end_round(e.now_ms, RoundRecord::Outcome::failed);
    flush_persist(out, record);
    finish(Verdict::exhausted, std::nullopt, "budget used up: " + *spent, out);
    return out;
  }
  if (!retryable(e.kind) || run.attempt >= m_policy.max_attempts) {
    std::string why = std::string(to_string(run.role)) + " failed after " + std::to_string(run.attempt) + " attempt(s): " + run.failure;
    auto record = end_round(e.now_ms, RoundRecord::Outcome::failed);
    flush_persist(out, record);
    finish(Verdict::infra_failure, std::nullopt, std::move(why), out);
    return out;
  }
  std::int64_t wait = retry_delay(m_policy, run.attempt, e.retry_after_ms);
  ++run.attempt;
  run.run_id = m_seed.next_run++;
  run.not_before_ms = e.now_ms + wait;
  out.push_back(StartAgent{run.run_id, run.role, run.round, run.attempt, run.not_before_ms,
                           m_state.current_snapshot, inputs_for(run.role)});
  return out;
}

std::vector<Action> Convergence::on_tick(const Tick& e) {
  std::vector<Action> out;
  if (!m_running) return out;
  auto spent = budget_exhausted(budget_use(e.now_ms), m_policy);
  if (!spent) return out;
  out.push_back(CancelAgent{m_running->run_id, "budget used up: " + *spent});
  auto record = end_round(e.now_ms, RoundRecord::Outcome::cancelled);
  flush_persist(out, record);
  finish(Verdict::exhausted, std::nullopt, "budget used up: " + *spent, out);
  return out;
}

std::vector<Action> Convergence::on_decision(const HumanDecided& e) {
  std::vector<Action> out;
  Finding* f = find(e.finding_id);
  if (!f) {
    out.push_back(EventRejected{fail(Errc::not_found, "no finding " + e.finding_id)});
    return out;
  }
  auto ctx = context(e.actor, e.now_ms, e.reason);
  const bool was_dismissed = f->state == FindingState::dismissed;
  if (auto r = decide(*f, e.decision, ctx); !r) {
    out.push_back(EventRejected{r.error()});
    return out;
  }
  touch(f->id);
  if (was_dismissed && e.decision != Decision::dismiss) {
    // The human took the dismissal back: the finding may be raised again.
    for (auto& s : m_state.suppressions) {
      if (s.finding_id == f->id) s.state = SuppressionState::lapsed;
    }
    m_suppressions_touched = true;
  }
  if (e.decision == Decision::dismiss) {
    m_state.suppressions.push_back(suppression_from(*f, ctx));
    m_suppressions_touched = true;
  }
  flush_persist(out);
  if (m_state.verdict == Verdict::awaiting_human && !awaiting_human(m_state.findings)) {
    advance(e.now_ms, std::nullopt, budget_exhausted(budget_use(e.now_ms), m_policy), out);
  } else if (m_state.verdict == Verdict::escalated || m_state.verdict == Verdict::blocked) {
    // After arbitration: nothing blocking is left, or only what a human upheld.
    auto blocking = blocking_ids(m_state.findings, m_policy);
    bool all_upheld = std::all_of(blocking.begin(), blocking.end(), [&](const std::string& id) {
      return find(id)->state == FindingState::upheld;
    });
    if (blocking.empty() && m_state.reviewed_snapshot == m_state.current_snapshot) {
      finish(Verdict::converged, std::nullopt, "nothing blocking after human decisions", out);
    } else if (blocking.empty()) {
      // Converged means the reviewer's latest round on the current snapshot (e.g. an
      // implementer's tree that oscillated) leaves nothing blocking: that round is still owed.
      start_turn(Role::reviewer, e.now_ms, out);
    } else if (all_upheld && m_state.verdict == Verdict::escalated) {
      finish(Verdict::blocked, std::nullopt,
             std::to_string(blocking.size()) + " upheld finding(s) must be fixed", out);
    }
  }
  return out;
}

void Convergence::start_turn(Role role, std::int64_t now, std::vector<Action>& out) {
  if (m_state.round + 1 > m_policy.round_limit) {
    escalate(EscalationReason::round_limit, blocking_ids(m_state.findings, m_policy),
             "round limit " + std::to_string(m_policy.round_limit) + " reached", out);
    return;
  }
  ++m_state.round;
  RunningAgent run;
  run.run_id = m_seed.next_run++;
  run.role = role;
  run.round = m_state.round;
  run.round_started_ms = now;
  run.not_before_ms = now;
  m_running = run;
  m_state.verdict = Verdict::in_progress;
  out.push_back(StartAgent{run.run_id, role, run.round, 1, now, m_state.current_snapshot,
                           inputs_for(role)});
}

AgentInputs Convergence::inputs_for(Role role) const {
  AgentInputs inputs;
  inputs.intent = m_state.intent;
  if (role == Role::implementer) {
    inputs.findings = implementer_worklist(m_state.findings);
    inputs.verdicts = m_last_verdicts;
    return inputs;
  }
  inputs.findings = reviewer_worklist(m_state.findings);
  inputs.responses = m_last_responses;
  for (const auto& s : m_state.suppressions) {
    if (s.state == SuppressionState::active) inputs.suppressions.push_back(s);
  }
  return inputs;
}

void Convergence::finish(Verdict verdict, std::optional<EscalationReason> reason,
                         std::string summary, std::vector<Action>& out) {
  m_running.reset();
  if (verdict == Verdict::exhausted &&
      budget_exhausted({{}, m_state.usage, 0, m_now - m_state.started_ms}, m_policy)) {
    m_session_exhausted = true;
  }
  m_state.verdict = verdict;
  m_state.escalation = reason;
  m_state.verdict_summary = summary;
  out.push_back(PublishVerdict{verdict, reason, m_state.current_snapshot, m_state.round, summary});
  if (verdict != Verdict::converged && verdict != Verdict::in_progress) {
    auto kind = verdict == Verdict::awaiting_human ? Notify::Kind::awaiting_human
                                                   : Notify::Kind::verdict;
    out.push_back(Notify{kind, std::string(to_string(verdict)) + ": " + summary});
  }
}

void Convergence::escalate(EscalationReason reason, std::vector<std::string> ids,
                           std::string message, std::vector<Action>& out) {
  out.push_back(Escalate{reason, ids, message});
  out.push_back(Notify{Notify::Kind::escalation,
                       "escalated (" + std::string(to_string(reason)) + "): " + message});
  m_running.reset();
  m_state.verdict = Verdict::escalated;
  m_state.escalation = reason;
  m_state.verdict_summary = message;
  out.push_back(PublishVerdict{Verdict::escalated, reason, m_state.current_snapshot,
                               m_state.round, message});
}

RoundRecord& Convergence::end_round(std::int64_t now, RoundRecord::Outcome outcome) {
  RoundRecord r;
  r.cycle = m_state.cycle;
  r.round = m_running->round;
  r.role = m_running->role;
  r.snapshot = m_state.current_snapshot;
  r.started_ms = m_running->round_started_ms;
  r.ended_ms = now;
  r.attempts = m_running->attempt;
  r.usage = m_running->usage;
  r.outcome = outcome;
  r.failure = m_running->failure;
  m_last_turn = m_running->role;
  m_running.reset();
  m_state.rounds.push_back(std::move(r));
  return m_state.rounds.back();
}

bool Convergence::is_current(std::uint64_t run_id) const {
  return m_running && m_running->run_id == run_id;
}

BudgetUse Convergence::budget_use(std::int64_t now) const {
  BudgetUse use;
  use.session = m_state.usage;
  use.session_elapsed_ms = now - m_state.started_ms;
  if (m_running) {
    use.round = m_running->usage;
    use.round_elapsed_ms = now - m_running->round_started_ms;
  }
  return use;
}

void Convergence::touch(const std::string& id) {
  if (std::find(m_touched.begin(), m_touched.end(), id) == m_touched.end()) {
    m_touched.push_back(id);
  }
}

void Convergence::flush_persist(std::vector<Action>& out, std::optional<RoundRecord> round) {
  if (m_touched.empty() && !m_suppressions_touched && !round) return;
  out.push_back(Persist{std::move(m_touched), m_suppressions_touched, std::move(round)});
  m_touched.clear();
  m_suppressions_touched = false;
}

Finding* Convergence::find(const std::string& id) {
  for (auto& f : m_state.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

TransitionContext Convergence::context(const std::string& actor, std::int64_t now,
                                       std::string reason) const {
  return TransitionContext{actor.empty() ? std::string(k_machine_actor) : actor, now,
                           std::move(reason)};
}

}  // namespace gavel::review
