#pragma once
// Sample protocol values for the round-trip tests: one request, response and event per kind,
// with every field set to something other than its default.

#include "protocol/events.hpp"
#include "protocol/messages.hpp"

#include <vector>

namespace gavel::protocol::testing {

inline FindingSummary sample_finding(std::string id = "f-1a2b") {
  return FindingSummary{std::move(id), review::Priority::p1, review::FindingState::disputed,
                        "src/main.cpp", 10, 12, "Null dereference", "`p` may be null here.",
                        "codex", 3, true};
}

inline SessionSummary sample_session() {
  return SessionSummary{"s-42", "/home/me/repo", "fp-abc", SessionState::escalated, 4, 8,
                        "claude", 1'700'000'000'123};
}

inline RoundSummary sample_round() {
  return RoundSummary{2, "codex", "reviewer", 1'700'000'000'000, 5'500, 12'345, "3 findings"};
}

inline std::vector<Request> sample_requests() {
  return {
      StatusRequest{},
      RepoAddRequest{"/home/me/repo"},
      RepoRemoveRequest{"/home/me/old"},
      RepoListRequest{},
      ReviewStartRequest{"/home/me/repo", DiffScope::staged, "Add retries (story 12)", "codex",
                         "claude"},
      ReviewCancelRequest{"s-42", ""},
      SessionListRequest{"/home/me/repo"},
      SessionShowRequest{"s-42"},
      FindingsListRequest{"/home/me/repo", FindingFilter::all},
      FindingShowRequest{"f-1a2b"},
      DecideRequest{"f-1a2b", Decision::dismiss, "intended: see ADR-7", "human:me"},
      GateCheckRequest{"/home/me/repo", "fp-abc", ""},
      UndoRequest{"/home/me/repo"},
      SubscribeRequest{"/home/me/repo"},
      ShutdownRequest{},
      NoteAttachRequest{"/home/me/repo"},
  };
}

inline std::vector<Response> sample_responses() {
  return {
      StatusResponse{"0.1.0", 4242, 90'000, {"/home/me/repo", "/srv/other"}, 2},
      RepoAddResponse{RepoInfo{"/home/me/repo", "s-42"}},
      RepoRemoveResponse{"/home/me/old"},
      RepoListResponse{{RepoInfo{"/a", std::nullopt}, RepoInfo{"/b", "s-1"}}},
      ReviewStartResponse{sample_session()},
      ReviewCancelResponse{sample_session()},
      SessionListResponse{{sample_session(), sample_session()}},
      SessionShowResponse{sample_session(), {sample_round()}, {sample_finding()}},
      FindingsListResponse{{sample_finding("f-1"), sample_finding("f-2")}},
      FindingShowResponse{sample_finding(),
                          {"Null deref", "Null dereference"},
                          {HistoryEntry{review::FindingState::open,
                                        review::FindingState::disputed, "claude", 17, "guarded"}},
                          std::string("--- a/x\n+++ b/x\n")},
      DecideResponse{sample_finding()},
      GateCheckResponse{GateStatus::block, "s-42", {sample_finding()}, Progress{4, 8, "claude", 1},
                        "1 blocking finding", "9f2c"},
      UndoResponse{"/home/me/repo", "refs/gavel/undo/3"},
      SubscribeResponse{true},
      ShutdownResponse{true},
      NoteAttachResponse{true, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", ""},
  };
}

inline std::vector<Event> sample_events() {
  return {
      SessionStartedEvent{"s-42", "/home/me/repo", sample_session()},
      RoundStartedEvent{"s-42", "/home/me/repo", sample_round()},
      RoundFinishedEvent{"s-42", "/home/me/repo", sample_round()},
      FindingRaisedEvent{"s-42", "/home/me/repo", sample_finding()},
      VerdictEvent{"s-42", "/home/me/repo", SessionState::converged, sample_session()},
      EscalatedEvent{"s-42", "/home/me/repo", "dispute", {"f-1", "f-2"}},
  };
}

}  // namespace gavel::protocol::testing
