#include "daemon/views.hpp"

#include "base/clock.hpp"

#include "protocol/names.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace gavel::daemon {

std::int64_t now_ms() { return unix_now_ms(); }

std::string repo_tag(std::string_view path) {
  std::uint32_t h = 2166136261u;  // FNV-1a: stable across builds, unlike std::hash
  for (unsigned char c : path) h = (h ^ c) * 16777619u;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06x", h & 0xffffffu);
  return buf;
}

std::string session_wire_id(std::int64_t id, std::string_view tag) {
  return "s" + std::to_string(id) + "-" + std::string(tag);
}

std::string finding_prefix(std::int64_t id, std::string_view tag) {
  return session_wire_id(id, tag) + "-F";
}

std::optional<SessionRef> parse_session_id(std::string_view s) {
  if (s.size() < 3 || s[0] != 's') return std::nullopt;
  auto dash = s.find('-');
  if (dash == std::string_view::npos || dash + 1 >= s.size()) return std::nullopt;
  SessionRef ref;
  auto [ptr, ec] = std::from_chars(s.data() + 1, s.data() + dash, ref.id);
  if (ec != std::errc{} || ptr != s.data() + dash || ref.id <= 0) return std::nullopt;
  ref.tag = std::string(s.substr(dash + 1));
  if (ref.tag.find('-') != std::string::npos) return std::nullopt;
  return ref;
}

std::optional<SessionRef> session_of_finding(std::string_view finding_id) {
  auto f = finding_id.rfind("-F");
  if (f == std::string_view::npos) return std::nullopt;
  return parse_session_id(finding_id.substr(0, f));
}

protocol::SessionState session_state_of(std::string_view store_state) {
  if (store_state == "awaiting_human") return protocol::SessionState::running;
  if (auto s = protocol::session_state_from_string(store_state)) return *s;
  return protocol::SessionState::cancelled;
}

bool is_final_state(std::string_view s) { return s != "running" && s != "awaiting_human"; }

bool is_resumable_state(std::string_view s) { return !is_final_state(s) || s == "interrupted"; }

protocol::RoundSummary round_summary(const RoundRecord& r) {
  protocol::RoundSummary out;
  out.number = r.start.number;
  out.agent = r.start.agent;
  out.role = std::string(to_string(r.start.role));
  out.started_at_ms = r.start.started_at_ms;
  out.duration_ms = r.duration_ms;
  out.tokens = r.usage.tokens_in + r.usage.tokens_out;
  switch (r.state) {
    case RoundState::running: out.outcome = "running"; break;
    case RoundState::done: out.outcome = "done"; break;
    case RoundState::stale: out.outcome = "stale: the tree changed while it ran"; break;
    case RoundState::interrupted: out.outcome = "interrupted: " + r.failure_message; break;
    case RoundState::failed: out.outcome = r.failure_kind + ": " + r.failure_message; break;
  }
  return out;
}

protocol::SessionSummary session_summary(const SessionRecord& record, std::string_view tag,
                                         int rounds, std::string current_agent) {
  protocol::SessionSummary s;
  s.id = session_wire_id(record.id, tag);
  s.repo = record.repo;
  s.fingerprint = record.fingerprint;
  s.state = session_state_of(record.state);
  s.round = rounds;
  s.round_limit = record.policy.value("round_limit", 0);
  s.current_agent = std::move(current_agent);
  s.started_at_ms = record.created_at_ms;
  return s;
}

}  // namespace gavel::daemon
