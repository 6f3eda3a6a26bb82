#pragma once
// The rows of the state store (daemon/state_store.hpp) as plain values.
//
// The orchestrator builds these and reads them back; the store maps them to tables and never
// interprets them beyond what its queries need (round state, suppression lapse). Every time is
// unix epoch milliseconds supplied by the caller: the store never reads the clock. Findings
// themselves are review::Finding (review/finding.hpp); their decision log entries are
// DecisionRecord below.

#include "review/finding.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::daemon {

// One review of one change in one repository (DESIGN.md "Session").
struct SessionRecord {
  std::int64_t id = 0;  // assigned by create_session(); ignored on input there
  std::string repo;     // the working tree's path
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::string fingerprint;  // the snapshot under review (latest)
  std::string base_commit;  // empty on an unborn branch
  std::string intent;       // story/spec text given to both agents; may be empty
  // The loop's state and verdict names ("running", "converged", "escalated", ...) belong to
  // the orchestrator; the store keeps them as given.
  std::string state;
  std::string verdict;
  std::string verdict_reason;
  std::string reviewer;     // agent names
  std::string implementer;  // empty when the loop has no implementer
  nlohmann::json policy = nlohmann::json::object();  // the LoopPolicy in force, as JSON
};

enum class RoundRole { reviewer, implementer };

// running -> done | failed | interrupted (by recover() after a crash); done -> stale when its
// snapshot is no longer current. A re-run of an interrupted round is a new row.
enum class RoundState { running, done, failed, interrupted, stale };

std::string_view to_string(RoundRole role) noexcept;
std::string_view to_string(RoundState state) noexcept;
std::optional<RoundRole> round_role_from_string(std::string_view s) noexcept;
std::optional<RoundState> round_state_from_string(std::string_view s) noexcept;

// Usage as the agent reported it for one turn (all attempts of the round together).
struct RoundUsage {
  std::int64_t tokens_in = 0;
  std::int64_t tokens_out = 0;
  std::int64_t tokens_cached = 0;
  double cost_usd = 0.0;
};

// What begin_round() records before the agent starts.
struct RoundStart {
  std::int64_t session_id = 0;
  int number = 0;  // the agent turn within the session (1-based); a re-run repeats it
  RoundRole role = RoundRole::reviewer;
  std::string agent;     // agent name
  std::string snapshot;  // fingerprint of the snapshot the agent is given
  std::int64_t started_at_ms = 0;
  std::string input_digest;               // e.g. sha256 hex of the prompt
  std::int64_t input_bytes = 0;           // the prompt's size
  std::optional<std::string> input_text;  // the prompt itself, when the caller keeps it
};

// What finish_round() records when the agent answered.
struct RoundResult {
  std::int64_t finished_at_ms = 0;
  std::int64_t duration_ms = 0;  // measured by the caller on a steady clock
  std::string output;            // the agent's raw answer
  RoundUsage usage;
  int attempts = 1;  // infrastructure attempts within the round (schema v2)
};

// What fail_round() records when the round ended in an infrastructure failure.
struct RoundFailure {
  std::int64_t finished_at_ms = 0;
  std::int64_t duration_ms = 0;
  std::string kind;     // "timeout", "quota", "auth", "refusal", "malformed", ...
  std::string message;  // for a person
  std::string output;   // whatever the agent said, possibly empty
  RoundUsage usage;
  int attempts = 1;
};

struct RoundRecord {
  std::int64_t id = 0;
  RoundStart start;
  RoundState state = RoundState::running;
  std::optional<std::int64_t> finished_at_ms;
  std::int64_t duration_ms = 0;
  std::string output;
  std::string failure_kind;  // empty unless failed or interrupted
  std::string failure_message;
  RoundUsage usage;
  int attempts = 1;
};

// One entry of the decision log: append-only, never updated or deleted.
struct DecisionRecord {
  std::int64_t seq = 0;  // position in the log, increasing
  std::int64_t session_id = 0;
  std::string finding_id;
  review::Transition transition;
};

// A dismissed finding remembered so it is not raised again; lapses when its anchored code
// changes. Never deleted.
struct SuppressionRecord {
  std::int64_t id = 0;  // assigned by add_suppression()
  std::string fingerprint;
  std::string anchor;  // normalised code it anchors to
  std::string path;
  std::string reason;  // the human's reason
  std::string actor;   // who dismissed it ("human:<user>")
  std::optional<std::int64_t> session_id;  // where it was decided, when known
  std::string finding_id;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> lapsed_at_ms;  // empty while active
  std::string lapse_reason;
};

}  // namespace gavel::daemon
