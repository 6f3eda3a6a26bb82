#pragma once
// LoopPolicy: every limit of the review loop, as one plain value with DESIGN.md's defaults.
//
// config/ fills it from the layered configuration; tests build it by hand. The convergence
// machine (review/convergence.hpp), the gate (review/gate.hpp) and progress figures read it;
// nothing here does IO. A limit of 0 means "no limit" for budgets only.

#include "review/finding.hpp"

#include <array>
#include <cstdint>

namespace gavel::review {

// Who decides whether a newly raised finding reaches the implementer.
enum class Triage {
  automatic,      // "auto": every finding goes to the implementer
  human,          // each new finding waits for the arbiter's uphold/dismiss
  human_blocking  // only new blocking findings (at or above the threshold) wait
};

// Whether the loop has an implementer at all; without one a review with blocking findings
// ends "blocked" (hook or CI with a reviewer only).
enum class ImplementerMode { enabled, disabled };

// What the gate answers when the loop ended on an infrastructure failure.
enum class InfraFailureGate { fail_closed, fail_open };

// Resource use as reported by an agent for one turn.
struct Usage {
  std::int64_t tokens = 0;
  double cost_usd = 0.0;

  Usage& operator+=(const Usage& o) {
    tokens += o.tokens;
    cost_usd += o.cost_usd;
    return *this;
  }
};

// Hard limits; 0 is "unlimited". Wall-clock is judged from the times inside events.
struct Budget {
  std::int64_t tokens = 0;
  double cost_usd = 0.0;
  std::int64_t wall_ms = 0;
};

struct LoopPolicy {
  Priority blocking_threshold = Priority::p1;  // this priority and more urgent ones block
  int round_limit = 8;                         // agent turns per cycle (retries excluded)
  int insist_limit = 2;                        // insists on a blocking finding before escalating
  Priority p3_maps_to = Priority::p2;          // how a nit (P3) is treated
  Triage triage = Triage::automatic;
  ImplementerMode implementer = ImplementerMode::enabled;
  InfraFailureGate infra_failure_gate = InfraFailureGate::fail_closed;

  // Infrastructure retries within a round: attempts in all, and the minimum wait before
  // attempt n+1 (index n-1). A longer Retry-After from the agent wins.
  int max_attempts = 4;
  std::array<std::int64_t, 3> backoff_ms{100, 200, 400};

  Budget per_round;
  Budget per_session;
  // The day's limit across every session (tokens and cost; wall_ms unused), and what other
  // sessions had used today when this one started: the session may use what is left.
  Budget per_day;
  Usage used_today;

  // A finding at most this many lines from its re-mapped place is "the same place".
  int match_slack_lines = 3;
};

// The priority a finding is treated as: P3 mapped per policy.
inline Priority effective_priority(Priority p, const LoopPolicy& policy) {
  return p == Priority::p3 ? policy.p3_maps_to : p;
}

// True when `p` (after P3 mapping) is at or above the blocking threshold.
inline bool at_or_above_threshold(Priority p, const LoopPolicy& policy) {
  return static_cast<int>(effective_priority(p, policy)) <=
         static_cast<int>(policy.blocking_threshold);
}

}  // namespace gavel::review
