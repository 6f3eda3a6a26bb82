#pragma once
// Views: how the daemon names sessions and findings on the wire, and how it turns state-store
// rows into protocol values (docs/protocol.md "Values").
//
// Who calls it: the orchestrator and the per-repository services, on the io thread. Pure apart
// from now_ms() (the wall clock, in unix epoch milliseconds).
//
// Ids: a repository's tag is 6 hex digits of a hash of its working-tree path, so ids from two
// repositories never collide although each store numbers its sessions from 1. Session n of a
// repository is "s<n>-<tag>"; its findings are "s<n>-<tag>-F<k>" (the convergence machine's
// IdSeed prefix), so a finding id names its repository and session.

#include "daemon/state_records.hpp"
#include "protocol/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::daemon {

std::int64_t now_ms();

std::string repo_tag(std::string_view path);
std::string session_wire_id(std::int64_t id, std::string_view tag);
std::string finding_prefix(std::int64_t id, std::string_view tag);

struct SessionRef {
  std::int64_t id = 0;
  std::string tag;
};
std::optional<SessionRef> parse_session_id(std::string_view wire_id);
std::optional<SessionRef> session_of_finding(std::string_view finding_id);

// Store state names: protocol::to_string(SessionState) plus "awaiting_human" (shown as running)
// and "interrupted" (the daemon stopped while it ran; shown as cancelled).
protocol::SessionState session_state_of(std::string_view store_state);
bool is_final_state(std::string_view store_state);
// A session a restarted gaveld continues: it was running, awaiting a human, or stopped by a
// signal (`interrupted`).
bool is_resumable_state(std::string_view state);

protocol::RoundSummary round_summary(const RoundRecord& round);

// The session's summary from its row; `rounds` done so far, `current_agent` of a live session.
protocol::SessionSummary session_summary(const SessionRecord& record, std::string_view tag,
                                         int rounds, std::string current_agent = {});

}  // namespace gavel::daemon
