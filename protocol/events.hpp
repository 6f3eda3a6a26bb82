#pragma once
// Events: what a subscribed connection receives, one JSON object per line, each with an "event"
// key naming its kind (docs/protocol.md). The orchestrator builds them and calls
// daemon::ControlServer::publish(); clients read them with client::Client::next_event().
// Every event names its session and repository, so a subscriber may filter by repository.

#include "protocol/types.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gavel::protocol {

// "session.started"
struct SessionStartedEvent {
  std::string session;
  std::string repo;
  SessionSummary summary;
  bool operator==(const SessionStartedEvent&) const = default;
};

// "round.started": an agent's turn began.
struct RoundStartedEvent {
  std::string session;
  std::string repo;
  RoundSummary round;
  bool operator==(const RoundStartedEvent&) const = default;
};

// "round.finished": an agent's turn ended (duration, tokens and outcome filled in).
struct RoundFinishedEvent {
  std::string session;
  std::string repo;
  RoundSummary round;
  bool operator==(const RoundFinishedEvent&) const = default;
};

// "finding.raised": a reviewer raised a new finding (not a repeat of a known one).
struct FindingRaisedEvent {
  std::string session;
  std::string repo;
  FindingSummary finding;
  bool operator==(const FindingRaisedEvent&) const = default;
};

// "verdict": the loop ended; `verdict` is the final state (converged, blocked, ...).
struct VerdictEvent {
  std::string session;
  std::string repo;
  SessionState verdict = SessionState::converged;
  SessionSummary summary;
  bool operator==(const VerdictEvent&) const = default;
};

// "escalated": the agents deadlocked and the human must decide.
struct EscalatedEvent {
  std::string session;
  std::string repo;
  std::string reason;                 // "dispute", "oscillation", "stall", "round_limit", ...
  std::vector<std::string> findings;  // ids of the findings that need a decision
  bool operator==(const EscalatedEvent&) const = default;
};

using Event = std::variant<SessionStartedEvent, RoundStartedEvent, RoundFinishedEvent,
                           FindingRaisedEvent, VerdictEvent, EscalatedEvent>;

// The "event" name of `e` ("round.started", ...).
std::string_view event_name(const Event& e) noexcept;

// The index in `Event` of the kind named `name` ("verdict" -> 4), or nullopt.
std::optional<std::size_t> event_index(std::string_view name) noexcept;

// The repository `e` is about (for subscription filters).
const std::string& event_repo(const Event& e) noexcept;

}  // namespace gavel::protocol
