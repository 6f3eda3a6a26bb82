#pragma once
// The protocol's data-transfer values: what the daemon tells a client about repositories,
// sessions, rounds and findings. Plain structs, owned by the protocol so the wire format does not
// move when the daemon's internal types do; the orchestrator fills them (protocol/summary.hpp
// helps for review::Finding). JSON names and shapes are in docs/protocol.md; (de)serialisation
// in protocol/json.hpp. A field may be added; none is renamed.

#include "review/finding.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gavel::protocol {

// Where a review session stands. "running" until the loop ends; then its verdict.
enum class SessionState {
  running,
  converged,      // nothing blocking left: ready to commit
  blocked,        // blocking findings open and no implementer to fix them
  escalated,      // deadlocked: waiting for the human
  exhausted,      // a budget ran out
  infra_failure,  // an agent kept failing (timeout, quota, malformed output, ...)
  cancelled,
};

// Which diff a review covers (STYLE rule 7: a two-value enum, "staged": true|false on the wire).
enum class DiffScope { worktree, staged };

// Which findings a listing shows ("all": true|false on the wire).
enum class FindingFilter { open_only, all };

// A human's decision on a finding.
enum class Decision { uphold, dismiss, waive };

// The pre-commit gate's answer.
enum class GateStatus { pass, block, pending, no_session };

// One finding as a client sees it.
struct FindingSummary {
  std::string id;
  review::Priority priority = review::Priority::p2;
  review::FindingState state = review::FindingState::open;
  std::string path;    // repository-relative
  int line_start = 0;  // 1-based, inclusive; 0 when the finding has no line (whole file)
  int line_end = 0;
  std::string title;
  std::string body;
  std::string agent;  // who raised it
  int round = 0;      // round it was raised in
  bool adjacent = false;  // outside every hunk: reported, never blocking
  bool operator==(const FindingSummary&) const = default;
};

// One step of a finding's history (review::Transition on the wire).
struct HistoryEntry {
  review::FindingState from = review::FindingState::open;
  review::FindingState to = review::FindingState::open;
  std::string actor;
  std::int64_t at_ms = 0;
  std::string reason;
  bool operator==(const HistoryEntry&) const = default;
};

// One review session as a client sees it.
struct SessionSummary {
  std::string id;
  std::string repo;         // absolute path of the working tree
  std::string fingerprint;  // of the snapshot under review
  SessionState state = SessionState::running;
  int round = 0;             // rounds done so far ("round n of m")
  int round_limit = 0;       // m
  std::string current_agent;  // the agent whose turn is running; empty when none
  std::int64_t started_at_ms = 0;  // unix epoch milliseconds
  bool operator==(const SessionSummary&) const = default;
};

// One agent turn.
struct RoundSummary {
  int number = 0;     // 1-based
  std::string agent;
  std::string role;   // "reviewer" | "implementer"
  std::int64_t started_at_ms = 0;
  std::int64_t duration_ms = 0;  // 0 while running
  std::int64_t tokens = 0;
  std::string outcome;  // free text: "3 findings", "patch applied", "timeout", ...
  bool operator==(const RoundSummary&) const = default;
};

// A registered repository.
struct RepoInfo {
  std::string path;
  std::optional<std::string> session;  // id of its current session, if any
  bool operator==(const RepoInfo&) const = default;
};

// How far a running session has got (gate.check "pending").
struct Progress {
  int round = 0;
  int round_limit = 0;
  std::string current_agent;
  int open_blocking = 0;  // blocking findings still open
  bool operator==(const Progress&) const = default;
};

}  // namespace gavel::protocol
