#pragma once
// The vocabulary of the convergence machine (review/convergence.hpp): the events the daemon
// feeds in, the actions it must carry out, and the session state clients can see.
//
// Every event carries the current time (`now_ms`, unix epoch milliseconds) and, when it answers
// a StartAgent, that action's `run_id`; a result whose run id is not the one running is stale
// (cancelled, or superseded by a newer snapshot) and ignored. Plain values only.

#include "base/error.hpp"
#include "review/changeset.hpp"
#include "review/finding.hpp"
#include "review/lifecycle.hpp"
#include "review/location_check.hpp"
#include "review/policy.hpp"
#include "review/progress.hpp"
#include "review/report.hpp"
#include "review/suppression.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gavel::review {

enum class Role { reviewer, implementer };

// Where a session stands. in_progress and awaiting_human are not final; every other value ends
// the loop until a new snapshot (or, for escalated/blocked, a human decision) moves it.
enum class Verdict {
  in_progress,     // an agent is running or about to be retried
  awaiting_human,  // triage: new findings wait for uphold/dismiss; never times out
  converged,       // the latest review of the current snapshot leaves nothing blocking
  blocked,         // blocking findings remain and no agent turn will change that
  escalated,       // deadlock: a human must arbitrate (see EscalationReason)
  exhausted,       // a budget ran out; never "approved"
  infra_failure    // an agent failed on every attempt
};

enum class EscalationReason { dispute, oscillation, stall, round_limit };

// Typed agent failures (DESIGN.md "Failures are typed").
enum class FailureKind { timeout, quota, auth, refusal, malformed_output, crash };

std::string_view to_string(Role r) noexcept;
std::string_view to_string(Verdict v) noexcept;
std::string_view to_string(EscalationReason r) noexcept;
std::string_view to_string(FailureKind k) noexcept;
bool is_final(Verdict v) noexcept;

// ---- events -----------------------------------------------------------------------------

// The working tree's change has a new fingerprint (from the watcher, after settling).
struct SnapshotChanged {
  std::int64_t now_ms = 0;
  Changeset snapshot;  // with new_text for changed files: findings anchor to it
};

// A reviewer turn finished and its output was parsed (report_parser) and location-checked.
struct ReviewerReported {
  std::int64_t now_ms = 0;
  std::uint64_t run_id = 0;
  std::string agent = "reviewer";  // agent name, recorded as the actor
  ReviewReport report;             // `prior` verdicts are read from here
  CheckedFindings checked;         // the findings: in the diff, adjacent, rejected
  Usage usage;
};

// An implementer turn finished; `snapshot` is the tree its work produced.
struct ImplementerReported {
  std::int64_t now_ms = 0;
  std::uint64_t run_id = 0;
  std::string agent = "implementer";
  ImplementerReport report;
  Changeset snapshot;
  Usage usage;
};

// An agent turn failed. `attempt` is informational: the machine counts attempts itself.
struct AgentFailed {
  std::int64_t now_ms = 0;
  std::uint64_t run_id = 0;
  FailureKind kind = FailureKind::crash;
  int attempt = 1;
  std::int64_t retry_after_ms = 0;  // from a 429/503 Retry-After; 0 when none
  std::string message;
  Usage usage;
};

// `gavel decide ID uphold|dismiss|waive --reason ...`
struct HumanDecided {
  std::int64_t now_ms = 0;
  std::string finding_id;
  Decision decision = Decision::uphold;
  std::string reason;
  std::string actor;  // "human:<user>"
};

// Time passes: wall-clock budgets are judged here.
struct Tick {
  std::int64_t now_ms = 0;
};

using Event = std::variant<SnapshotChanged, ReviewerReported, ImplementerReported, AgentFailed,
                           HumanDecided, Tick>;

// ---- actions ----------------------------------------------------------------------------

// What an agent is told beyond the diff (the caller adds patch and chunking, prompt.hpp).
struct AgentInputs {
  std::string intent;
  std::vector<Finding> findings;  // reviewer: all not closed; implementer: what to fix/dispute
  std::vector<FindingResponse> responses;  // implementer's last answers (for the reviewer)
  std::vector<PriorVerdict> verdicts;      // reviewer's last verdicts (for the implementer)
  std::vector<Suppression> suppressions;   // active ones (for the reviewer)
};

// Start `role` on snapshot `snapshot` no earlier than `not_before_ms` (retry backoff).
struct StartAgent {
  std::uint64_t run_id = 0;
  Role role = Role::reviewer;
  int round = 1;
  int attempt = 1;
  std::int64_t not_before_ms = 0;
  std::string snapshot;
  AgentInputs inputs;
};

struct CancelAgent {
  std::uint64_t run_id = 0;
  std::string reason;
};

struct PublishVerdict {
  Verdict verdict = Verdict::in_progress;
  std::optional<EscalationReason> escalation;
  std::string snapshot;  // the fingerprint the verdict is about
  int round = 0;
  std::string summary;  // for a person
};

// Deadlock: hand over to the human (notify, block the gate until decided).
struct Escalate {
  EscalationReason reason = EscalationReason::dispute;
  std::vector<std::string> finding_ids;
  std::string message;
};

// One agent turn as recorded.
struct RoundRecord {
  int cycle = 1;  // a new external snapshot starts a new cycle
  int round = 1;
  Role role = Role::reviewer;
  std::string snapshot;
  std::int64_t started_ms = 0;
  std::int64_t ended_ms = 0;
  int attempts = 1;
  Usage usage;
  enum class Outcome { reported, failed, cancelled } outcome = Outcome::reported;
  std::string failure;  // last failure message, if any
  std::vector<RejectedFinding> rejected;
  RoundProgress progress;
};

// Write these to the state store (findings by id; the whole suppression list; a round).
struct Persist {
  std::vector<std::string> findings;
  bool suppressions = false;
  std::optional<RoundRecord> round;
};

struct Notify {
  enum class Kind { escalation, awaiting_human, verdict } kind = Kind::verdict;
  std::string message;
};

// The event was refused (unknown finding id, illegal decision): tell whoever sent it.
struct EventRejected {
  Error error;
};

using Action =
    std::variant<StartAgent, CancelAgent, PublishVerdict, Escalate, Persist, Notify, EventRejected>;

// ---- state ------------------------------------------------------------------------------

struct SessionState {
  std::string intent;
  std::vector<Finding> findings;
  std::vector<Suppression> suppressions;
  std::vector<RoundRecord> rounds;
  Verdict verdict = Verdict::in_progress;
  std::optional<EscalationReason> escalation;
  std::string verdict_summary;
  std::string current_snapshot;   // fingerprint of the snapshot the loop works on
  std::string reviewed_snapshot;  // fingerprint of the latest completed review
  std::vector<std::string> seen_snapshots;  // every fingerprint of this session, in order
  Usage usage;                              // whole session
  std::int64_t started_ms = -1;
  int cycle = 0;
  int round = 0;  // agent turns in this cycle
};

}  // namespace gavel::review
