#pragma once
// to_json / from_json for every protocol value, found by ADL (nlohmann's convention). from_json
// is strict: a missing or mistyped field throws, and protocol/codec.cpp turns that into a
// "bad_request" reply (requests) or an Errc::parse error (replies and events); nothing outside
// gavel_protocol sees an nlohmann exception. A request's from_json reads the envelope's "args"
// object; unknown fields are ignored, so a newer client can talk to an older daemon.

#include "protocol/events.hpp"
#include "protocol/messages.hpp"
#include "protocol/types.hpp"

#include <nlohmann/json_fwd.hpp>

namespace gavel::protocol {

using nlohmann::json;

#define GAVEL_PROTOCOL_JSON(T)          \
  void to_json(json& j, const T& value); \
  void from_json(const json& j, T& value);

// Values (protocol/types.hpp)
GAVEL_PROTOCOL_JSON(FindingSummary)
GAVEL_PROTOCOL_JSON(HistoryEntry)
GAVEL_PROTOCOL_JSON(SessionSummary)
GAVEL_PROTOCOL_JSON(RoundSummary)
GAVEL_PROTOCOL_JSON(RepoInfo)
GAVEL_PROTOCOL_JSON(Progress)

// Requests (the "args" object) and responses (the "result" object)
GAVEL_PROTOCOL_JSON(StatusRequest)
GAVEL_PROTOCOL_JSON(StatusResponse)
GAVEL_PROTOCOL_JSON(RepoAddRequest)
GAVEL_PROTOCOL_JSON(RepoAddResponse)
GAVEL_PROTOCOL_JSON(RepoRemoveRequest)
GAVEL_PROTOCOL_JSON(RepoRemoveResponse)
GAVEL_PROTOCOL_JSON(RepoListRequest)
GAVEL_PROTOCOL_JSON(RepoListResponse)
GAVEL_PROTOCOL_JSON(ReviewStartRequest)
GAVEL_PROTOCOL_JSON(ReviewStartResponse)
GAVEL_PROTOCOL_JSON(ReviewCancelRequest)
GAVEL_PROTOCOL_JSON(ReviewCancelResponse)
GAVEL_PROTOCOL_JSON(SessionListRequest)
GAVEL_PROTOCOL_JSON(SessionListResponse)
GAVEL_PROTOCOL_JSON(SessionShowRequest)
GAVEL_PROTOCOL_JSON(SessionShowResponse)
GAVEL_PROTOCOL_JSON(FindingsListRequest)
GAVEL_PROTOCOL_JSON(FindingsListResponse)
GAVEL_PROTOCOL_JSON(FindingShowRequest)
GAVEL_PROTOCOL_JSON(FindingShowResponse)
GAVEL_PROTOCOL_JSON(DecideRequest)
GAVEL_PROTOCOL_JSON(DecideResponse)
GAVEL_PROTOCOL_JSON(GateCheckRequest)
GAVEL_PROTOCOL_JSON(GateCheckResponse)
GAVEL_PROTOCOL_JSON(UndoRequest)
GAVEL_PROTOCOL_JSON(UndoResponse)
GAVEL_PROTOCOL_JSON(SubscribeRequest)
GAVEL_PROTOCOL_JSON(SubscribeResponse)
GAVEL_PROTOCOL_JSON(ShutdownRequest)
GAVEL_PROTOCOL_JSON(ShutdownResponse)
GAVEL_PROTOCOL_JSON(NoteAttachRequest)
GAVEL_PROTOCOL_JSON(NoteAttachResponse)

// Events, without their "event" key (protocol/codec.cpp adds it)
GAVEL_PROTOCOL_JSON(SessionStartedEvent)
GAVEL_PROTOCOL_JSON(RoundStartedEvent)
GAVEL_PROTOCOL_JSON(RoundFinishedEvent)
GAVEL_PROTOCOL_JSON(FindingRaisedEvent)
GAVEL_PROTOCOL_JSON(VerdictEvent)
GAVEL_PROTOCOL_JSON(EscalatedEvent)

#undef GAVEL_PROTOCOL_JSON

}  // namespace gavel::protocol
