// to_json / from_json for the protocol's values (protocol/types.hpp).
#include "protocol/json.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/names.hpp"

#include "review/priority.hpp"

namespace gavel::protocol {

using detail::optional;
using detail::optional_enum;
using detail::required;
using detail::required_enum;

namespace {

constexpr std::string_view k_priority_names = "P0, P1, P2, P3";
constexpr std::string_view k_state_names =
    "open, fixed, verified, reopened, disputed, withdrawn, insisted, escalated, upheld, "
    "dismissed, waived";
constexpr std::string_view k_session_state_names =
    "running, converged, blocked, escalated, exhausted, infra_failure, cancelled";

auto parse_state = [](std::string_view s) { return review::finding_state_from_string(s); };
auto parse_priority = [](std::string_view s) { return priority_from_string(s); };
auto parse_session_state = [](std::string_view s) { return session_state_from_string(s); };

}  // namespace

void to_json(json& j, const FindingSummary& f) {
  j = json{{"id", f.id},
           {"priority", review::to_string(f.priority)},
           {"state", review::to_string(f.state)},
           {"path", f.path},
           {"line_start", f.line_start},
           {"line_end", f.line_end},
           {"title", f.title},
           {"body", f.body},
           {"agent", f.agent},
           {"round", f.round},
           {"adjacent", f.adjacent}};
}

void from_json(const json& j, FindingSummary& f) {
  required(j, "id", f.id);
  required_enum(j, "priority", f.priority, parse_priority, k_priority_names);
  required_enum(j, "state", f.state, parse_state, k_state_names);
  optional(j, "path", f.path);
  optional(j, "line_start", f.line_start);
  optional(j, "line_end", f.line_end);
  optional(j, "title", f.title);
  optional(j, "body", f.body);
  optional(j, "agent", f.agent);
  optional(j, "round", f.round);
  optional(j, "adjacent", f.adjacent);
}

void to_json(json& j, const HistoryEntry& h) {
  j = json{{"from", review::to_string(h.from)},
           {"to", review::to_string(h.to)},
           {"actor", h.actor},
           {"at_ms", h.at_ms},
           {"reason", h.reason}};
}

void from_json(const json& j, HistoryEntry& h) {
  required_enum(j, "from", h.from, parse_state, k_state_names);
  required_enum(j, "to", h.to, parse_state, k_state_names);
  optional(j, "actor", h.actor);
  optional(j, "at_ms", h.at_ms);
  optional(j, "reason", h.reason);
}

void to_json(json& j, const SessionSummary& s) {
  j = json{{"id", s.id},
           {"repo", s.repo},
           {"fingerprint", s.fingerprint},
           {"state", to_string(s.state)},
           {"round", s.round},
           {"round_limit", s.round_limit},
           {"current_agent", s.current_agent},
           {"started_at_ms", s.started_at_ms}};
}

void from_json(const json& j, SessionSummary& s) {
  required(j, "id", s.id);
  optional(j, "repo", s.repo);
  optional(j, "fingerprint", s.fingerprint);
  required_enum(j, "state", s.state, parse_session_state, k_session_state_names);
  optional(j, "round", s.round);
  optional(j, "round_limit", s.round_limit);
  optional(j, "current_agent", s.current_agent);
  optional(j, "started_at_ms", s.started_at_ms);
}

void to_json(json& j, const RoundSummary& r) {
  j = json{{"number", r.number},         {"agent", r.agent},
           {"role", r.role},             {"started_at_ms", r.started_at_ms},
           {"duration_ms", r.duration_ms}, {"tokens", r.tokens},
           {"outcome", r.outcome}};
}

void from_json(const json& j, RoundSummary& r) {
  required(j, "number", r.number);
  optional(j, "agent", r.agent);
  optional(j, "role", r.role);
  optional(j, "started_at_ms", r.started_at_ms);
  optional(j, "duration_ms", r.duration_ms);
  optional(j, "tokens", r.tokens);
  optional(j, "outcome", r.outcome);
}

void to_json(json& j, const RepoInfo& r) {
  j = json{{"path", r.path}};
  if (r.session) j["session"] = *r.session;
}

void from_json(const json& j, RepoInfo& r) {
  required(j, "path", r.path);
  optional(j, "session", r.session);
}

void to_json(json& j, const Progress& p) {
  j = json{{"round", p.round},
           {"round_limit", p.round_limit},
           {"current_agent", p.current_agent},
           {"open_blocking", p.open_blocking}};
}

void from_json(const json& j, Progress& p) {
  optional(j, "round", p.round);
  optional(j, "round_limit", p.round_limit);
  optional(j, "current_agent", p.current_agent);
  optional(j, "open_blocking", p.open_blocking);
}

}  // namespace gavel::protocol
