// ActiveSession as the runner's observer: what the loop did goes to the StateStore (durable
// before the runner's next step) and out as events. Called on the io thread by the runner.
#include "daemon/repo_session.hpp"

#include "daemon/log_setup.hpp"
#include "daemon/views.hpp"
#include "protocol/summary.hpp"

#include <algorithm>

namespace gavel::daemon {

namespace {

std::string store_state_of(review::Verdict v) {
  switch (v) {
    case review::Verdict::in_progress: return "running";
    case review::Verdict::awaiting_human: return "awaiting_human";
    default: return std::string(review::to_string(v));
  }
}

protocol::SessionState wire_verdict(review::Verdict v) {
  switch (v) {
    case review::Verdict::converged: return protocol::SessionState::converged;
    case review::Verdict::blocked: return protocol::SessionState::blocked;
    case review::Verdict::escalated: return protocol::SessionState::escalated;
    case review::Verdict::exhausted: return protocol::SessionState::exhausted;
    case review::Verdict::infra_failure: return protocol::SessionState::infra_failure;
    default: return protocol::SessionState::running;
  }
}

}  // namespace

void ActiveSession::on_actions(const std::vector<review::Action>& actions,
                               const review::SessionState& state) {
  for (const auto& action : actions) {
    if (const auto* p = std::get_if<review::Persist>(&action)) {
      for (const auto& id : p->findings) {
        for (const auto& f : state.findings) {
          if (f.id == id) persist_finding(f);
        }
      }
      if (p->suppressions) persist_suppressions(state);
    } else if (const auto* v = std::get_if<review::PublishVerdict>(&action)) {
      m_record.state = store_state_of(v->verdict);
      m_record.verdict = std::string(review::to_string(v->verdict));
      m_record.verdict_reason = v->summary;
      if (auto snap = m_runner ? m_runner->outcome().snapshot : std::string{}; !snap.empty()) {
        m_record.fingerprint = snap;
      }
      save_record();
      log("session")->info("{}: {} ({})", wire_id(), m_record.verdict, v->summary);
      if (review::is_final(v->verdict)) {
        auto summary = session_summary(m_record, m_tag, m_rounds_done);
        m_host.publish(protocol::VerdictEvent{wire_id(), m_record.repo, wire_verdict(v->verdict),
                                              summary});
      }
    } else if (const auto* e = std::get_if<review::Escalate>(&action)) {
      log("session")->warn("{}: escalated ({}): {}", wire_id(), review::to_string(e->reason),
                           e->message);
      m_host.publish(protocol::EscalatedEvent{wire_id(), m_record.repo,
                                              std::string(review::to_string(e->reason)),
                                              e->finding_ids});
      m_host.session_escalated(e->message);
    }
  }
}

void ActiveSession::persist_finding(const review::Finding& f) {
  const std::int64_t now = now_ms();
  const bool is_new = !m_logged.contains(f.id);
  if (auto r = m_store.upsert_findings(m_record.id, std::span(&f, 1), now); !r) {
    log("session")->error("{}: cannot store finding {}: {}", wire_id(), f.id, r.error().message);
    m_persist_failed = true;
    return;
  }
  std::size_t& logged = m_logged[f.id];
  for (; logged < f.history.size(); ++logged) {
    if (auto r = m_store.append_transition(m_record.id, f.id, f.history[logged]); !r) {
      log("session")->error("{}: cannot log a decision on {}: {}", wire_id(), f.id,
                            r.error().message);
      m_persist_failed = true;
      return;
    }
  }
  if (is_new) {
    m_host.publish(protocol::FindingRaisedEvent{wire_id(), m_record.repo, protocol::summarize(f)});
  }
}

// New suppressions are added to the store. A lapse is stored only when a human took the
// dismissal back: one whose code changed lapses in this session's machine only (the code may
// be an implementer's scratch tree, or a file that left the diff), and every later session
// judges it again against its own snapshot.
void ActiveSession::persist_suppressions(const review::SessionState& state) {
  for (const auto& s : state.suppressions) {
    auto stored = m_suppressed.find(s.finding_id);
    if (stored == m_suppressed.end()) {
      SuppressionRecord rec;
      rec.fingerprint = s.fingerprint;
      rec.anchor = s.anchor;
      rec.path = s.identity_path;
      rec.reason = s.reason;
      rec.actor = s.actor;
      rec.session_id = m_record.id;
      rec.finding_id = s.finding_id;
      rec.created_at_ms = s.at_ms;
      auto id = m_store.add_suppression(rec);
      if (!id) {
        log("session")->error("{}: cannot store a suppression: {}", wire_id(), id.error().message);
        m_persist_failed = true;
        continue;
      }
      stored = m_suppressed.emplace(s.finding_id, *id).first;
    }
    if (s.state != review::SuppressionState::lapsed || m_lapsed.contains(s.finding_id)) continue;
    const bool taken_back = std::any_of(state.findings.begin(), state.findings.end(), [&](const auto& f) {
      return f.id == s.finding_id && f.state != review::FindingState::dismissed;
    });
    if (!taken_back) continue;
    auto r = m_store.lapse_suppression(stored->second, now_ms(), "the dismissal was taken back");
    if (!r && r.error().code != Errc::conflict) {  // conflict: lapsed already
      log("session")->error("{}: cannot record a lapsed suppression: {}", wire_id(),
                            r.error().message);
      continue;
    }
    m_lapsed.insert(s.finding_id);
  }
}

void ActiveSession::on_turn_started(const loop::TurnStarted& turn) {
  RoundStart start;
  start.session_id = m_record.id;
  start.number = turn.round;
  start.role = turn.role == review::Role::reviewer ? RoundRole::reviewer : RoundRole::implementer;
  start.agent = turn.agent;
  start.snapshot = m_runner->state().current_snapshot;
  start.started_at_ms = now_ms();
  LiveRound live;
  if (auto id = m_store.begin_round(start); id) {
    live.db_id = *id;
  } else {
    log("session")->error("{}: cannot record round {}: {}", wire_id(), turn.round,
                          id.error().message);
  }
  live.summary = protocol::RoundSummary{turn.round, turn.agent, std::string(to_string(start.role)),
                                        start.started_at_ms, 0, 0, "running"};
  m_current_agent = turn.agent;
  log("session")->info("{}: round {} ({} {}, attempt {}) started", wire_id(), turn.round,
                       to_string(start.role), turn.agent, turn.attempt);
  m_host.publish(protocol::RoundStartedEvent{wire_id(), m_record.repo, live.summary});
  m_live[turn.run_id] = std::move(live);
}

void ActiveSession::on_turn_finished(const loop::TurnFinished& turn) {
  auto it = m_live.find(turn.run_id);
  if (it == m_live.end()) return;  // already recorded stale
  LiveRound live = std::move(it->second);
  m_live.erase(it);
  m_current_agent.clear();
  const std::int64_t now = now_ms();
  RoundUsage usage;
  usage.tokens_in = turn.usage.tokens;
  usage.cost_usd = turn.usage.cost_usd;
  Result<void> written;
  if (turn.ok) {
    ++m_rounds_done;
    written = m_store.finish_round(live.db_id, RoundResult{now, turn.duration.count(), {}, usage,
                                                           turn.attempt});
    live.summary.outcome = "done";
  } else if (!turn.failure_kind) {  // stopped
    if (m_interrupted) {
      written = m_store.fail_round(live.db_id, RoundFailure{now, turn.duration.count(),
                                                            StateStore::k_interrupted_kind,
                                                            "gaveld stopped", {}, usage, turn.attempt});
    } else {
      written = m_store.mark_stale(live.db_id);
    }
    live.summary.outcome = "cancelled";
  } else {
    std::string kind(review::to_string(*turn.failure_kind));
    written = m_store.fail_round(live.db_id, RoundFailure{now, turn.duration.count(), kind,
                                                          turn.failure, {}, usage, turn.attempt});
    live.summary.outcome = turn.failure;
  }
  if (!written) {
    log("session")->error("{}: cannot record the end of round {}: {}", wire_id(), turn.round,
                          written.error().message);
  }
  live.summary.duration_ms = turn.duration.count();
  live.summary.tokens = turn.usage.tokens;
  log("session")->info("{}: round {} ({}) finished: {}", wire_id(), turn.round, turn.agent,
                       live.summary.outcome);
  m_host.publish(protocol::RoundFinishedEvent{wire_id(), m_record.repo, live.summary});
}

}  // namespace gavel::daemon
