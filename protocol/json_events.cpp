// to_json / from_json for events (protocol/events.hpp), without the "event" key: the codec
// (protocol/codec.cpp) adds and reads that.
#include "protocol/json.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/names.hpp"

namespace gavel::protocol {

using detail::optional;
using detail::required;

namespace {

json header(const std::string& session, const std::string& repo) {
  return json{{"session", session}, {"repo", repo}};
}

template <class E>
void read_header(const json& j, E& e) {
  required(j, "session", e.session);
  optional(j, "repo", e.repo);
}

}  // namespace

void to_json(json& j, const SessionStartedEvent& e) {
  j = header(e.session, e.repo);
  j["summary"] = e.summary;
}
void from_json(const json& j, SessionStartedEvent& e) {
  read_header(j, e);
  required(j, "summary", e.summary);
}

void to_json(json& j, const RoundStartedEvent& e) {
  j = header(e.session, e.repo);
  j["round"] = e.round;
}
void from_json(const json& j, RoundStartedEvent& e) {
  read_header(j, e);
  required(j, "round", e.round);
}

void to_json(json& j, const RoundFinishedEvent& e) {
  j = header(e.session, e.repo);
  j["round"] = e.round;
}
void from_json(const json& j, RoundFinishedEvent& e) {
  read_header(j, e);
  required(j, "round", e.round);
}

void to_json(json& j, const FindingRaisedEvent& e) {
  j = header(e.session, e.repo);
  j["finding"] = e.finding;
}
void from_json(const json& j, FindingRaisedEvent& e) {
  read_header(j, e);
  required(j, "finding", e.finding);
}

void to_json(json& j, const VerdictEvent& e) {
  j = header(e.session, e.repo);
  j["verdict"] = to_string(e.verdict);
  j["summary"] = e.summary;
}
void from_json(const json& j, VerdictEvent& e) {
  read_header(j, e);
  detail::required_enum(
      j, "verdict", e.verdict, [](std::string_view s) { return session_state_from_string(s); },
      "converged, blocked, escalated, exhausted, infra_failure, cancelled");
  optional(j, "summary", e.summary);
}

void to_json(json& j, const EscalatedEvent& e) {
  j = header(e.session, e.repo);
  j["reason"] = e.reason;
  j["findings"] = e.findings;
}
void from_json(const json& j, EscalatedEvent& e) {
  read_header(j, e);
  optional(j, "reason", e.reason);
  optional(j, "findings", e.findings);
}

namespace {
constexpr std::string_view k_event_names[] = {"session.started", "round.started", "round.finished",
                                              "finding.raised",  "verdict",       "escalated"};
static_assert(std::size(k_event_names) == std::variant_size_v<Event>);
}  // namespace

std::string_view event_name(const Event& e) noexcept { return k_event_names[e.index()]; }

std::optional<std::size_t> event_index(std::string_view name) noexcept {
  for (std::size_t i = 0; i < std::size(k_event_names); ++i) {
    if (k_event_names[i] == name) return i;
  }
  return std::nullopt;
}

const std::string& event_repo(const Event& e) noexcept {
  return std::visit([](const auto& ev) -> const std::string& { return ev.repo; }, e);
}

}  // namespace gavel::protocol
