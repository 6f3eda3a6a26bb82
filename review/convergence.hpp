#pragma once
// review::Convergence: the review loop as a stepped state machine.
//
// Who calls it: the daemon's orchestrator (and `gavel review --once`), on its one io_context
// thread; tests call it directly. It owns the session state (findings, suppressions, rounds,
// verdict). It never does IO, never sleeps and never reads a clock: time arrives inside events,
// ids come from the IdSeed the caller supplies. Each call to on_event() returns the actions the
// caller must carry out, in order:
//
//   SnapshotChanged ─► (CancelAgent) StartAgent{reviewer}
//   ReviewerReported ─► converged | escalate | awaiting_human | blocked | exhausted
//                       | StartAgent{implementer}
//   ImplementerReported ─► escalate (oscillation, stall) | exhausted | StartAgent{reviewer}
//   AgentFailed ─► StartAgent{same role, attempt+1, not_before} | infra_failure
//   HumanDecided ─► Persist (+ continue after triage, or a new verdict after escalation)
//   Tick ─► CancelAgent + exhausted when a wall-clock budget is used up
//
// The orchestrator starts an agent for each StartAgent (not before `not_before_ms`), answers
// with ReviewerReported/ImplementerReported/AgentFailed carrying the same run_id, cancels on
// CancelAgent, stores what Persist names and shows PublishVerdict/Escalate/Notify to people.
// Loop rules: docs/review-model.md and DESIGN.md "Loop rules in detail".

#include "review/convergence_rules.hpp"
#include "review/convergence_types.hpp"
#include "review/policy.hpp"
#include "review/snapshot_view.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gavel::review {

// Where ids start: finding ids are `finding_prefix` + a counter ("F1", "F2", ...); run ids
// are a plain counter. A restarted daemon passes counters past what it has stored.
struct IdSeed {
  std::string finding_prefix = "F";
  std::uint64_t next_finding = 1;
  std::uint64_t next_run = 1;
};

// The agent turn in flight (or waiting for its retry time).
struct RunningAgent {
  std::uint64_t run_id = 0;
  Role role = Role::reviewer;
  int round = 0;
  int attempt = 1;
  std::int64_t round_started_ms = 0;
  std::int64_t not_before_ms = 0;
  Usage usage;  // all attempts of this round
  std::string failure;
};

class Convergence {
 public:
  Convergence(LoopPolicy policy, IdSeed seed, std::string intent = {});
  // A session carried over from an earlier run (the daemon restarted while it ran) or one
  // that starts with what earlier sessions remember (suppressions): `prior`'s intent,
  // findings, suppressions and usage are kept; its verdict, rounds, snapshots and clocks are
  // not. The first SnapshotChanged starts a cycle with a reviewer turn, which sees the prior
  // findings as prior findings. `seed` must start past every finding id in `prior`.
  Convergence(LoopPolicy policy, IdSeed seed, SessionState prior);

  // Applies `event`; returns what the caller must do, in order.
  std::vector<Action> on_event(const Event& event);

  const SessionState& state() const { return m_state; }
  const LoopPolicy& policy() const { return m_policy; }
  const std::optional<RunningAgent>& running() const { return m_running; }
  const SnapshotView& snapshot() const { return m_view; }

 private:
  std::vector<Action> on_snapshot(const SnapshotChanged& e);
  std::vector<Action> on_review(const ReviewerReported& e);
  std::vector<Action> on_implementation(const ImplementerReported& e);
  std::vector<Action> on_failure(const AgentFailed& e);
  std::vector<Action> on_decision(const HumanDecided& e);
  std::vector<Action> on_tick(const Tick& e);

  // convergence_review.cpp: applies a review to the findings; returns the stall facts.
  ReviewFacts apply_review(const ReviewerReported& e, RoundProgress& progress);
  // What follows a review, or a human's triage decisions (`facts` nullopt).
  // `spent` names a used-up budget.
  void advance(std::int64_t now, const std::optional<ReviewFacts>& facts,
               const std::optional<std::string>& spent, std::vector<Action>& out);

  void start_turn(Role role, std::int64_t now, std::vector<Action>& out);
  AgentInputs inputs_for(Role role) const;
  void finish(Verdict verdict, std::optional<EscalationReason> reason, std::string summary,
              std::vector<Action>& out);
  void escalate(EscalationReason reason, std::vector<std::string> ids, std::string message,
                std::vector<Action>& out);
  // Ends the running round: records it and returns the record (already in state().rounds).
  RoundRecord& end_round(std::int64_t now, RoundRecord::Outcome outcome);
  bool is_current(std::uint64_t run_id) const;
  BudgetUse budget_use(std::int64_t now) const;
  void touch(const std::string& id);
  void flush_persist(std::vector<Action>& out, std::optional<RoundRecord> round = {});
  Finding* find(const std::string& id);
  TransitionContext context(const std::string& actor, std::int64_t now, std::string reason) const;

  LoopPolicy m_policy;
  IdSeed m_seed;
  SessionState m_state;
  SnapshotView m_view;
  std::optional<RunningAgent> m_running;
  std::optional<Role> m_last_turn;  // in this cycle
  bool m_session_exhausted = false;
  std::int64_t m_now = 0;  // time of the event being handled
  int m_last_severity = -1;
  std::vector<FindingResponse> m_last_responses;
  std::vector<PriorVerdict> m_last_verdicts;
  std::vector<std::string> m_touched;
  bool m_suppressions_touched = false;
};

}  // namespace gavel::review
