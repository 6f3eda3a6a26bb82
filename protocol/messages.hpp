#pragma once
// Typed request and response per command (STYLE rule 5). Each request names its response type
// (`Req::Response`) and its row of the command table (`Req::k_command`), so a client can write
// `client.call(GateCheckRequest{...})` and get a `Result<GateCheckResponse>`.
//
// Who uses them: the daemon's dispatcher (daemon/control_dispatch.cpp) hands the decoded request
// to daemon::CommandHandler; the client library builds requests and decodes responses. JSON
// shapes are in docs/protocol.md and protocol/json.hpp; the envelope is in protocol/codec.hpp.

#include "protocol/commands.hpp"
#include "protocol/types.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace gavel::protocol {

struct StatusResponse {
  std::string version;
  std::int64_t pid = 0;
  std::int64_t uptime_ms = 0;
  std::vector<std::string> repos;
  int active_sessions = 0;
  bool operator==(const StatusResponse&) const = default;
};
struct StatusRequest {
  using Response = StatusResponse;
  static constexpr Command k_command = Command::status;
  bool operator==(const StatusRequest&) const = default;
};

struct RepoAddResponse {
  RepoInfo repo;
  bool operator==(const RepoAddResponse&) const = default;
};
struct RepoAddRequest {
  using Response = RepoAddResponse;
  static constexpr Command k_command = Command::repo_add;
  std::string path;  // any path inside the working tree; the daemon canonicalises it
  bool operator==(const RepoAddRequest&) const = default;
};

struct RepoRemoveResponse {
  std::string path;
  bool operator==(const RepoRemoveResponse&) const = default;
};
struct RepoRemoveRequest {
  using Response = RepoRemoveResponse;
  static constexpr Command k_command = Command::repo_remove;
  std::string path;
  bool operator==(const RepoRemoveRequest&) const = default;
};

struct RepoListResponse {
  std::vector<RepoInfo> repos;
  bool operator==(const RepoListResponse&) const = default;
};
struct RepoListRequest {
  using Response = RepoListResponse;
  static constexpr Command k_command = Command::repo_list;
  bool operator==(const RepoListRequest&) const = default;
};

struct ReviewStartResponse {
  SessionSummary session;
  bool operator==(const ReviewStartResponse&) const = default;
};
struct ReviewStartRequest {
  using Response = ReviewStartResponse;
  static constexpr Command k_command = Command::review_start;
  std::string repo;
  DiffScope scope = DiffScope::worktree;
  std::string intent;       // story or spec text given to both agents; may be empty
  std::string reviewer;     // agent name; empty: the configured one
  std::string implementer;  // agent name; empty: the configured one
  bool operator==(const ReviewStartRequest&) const = default;
};

struct ReviewCancelResponse {
  SessionSummary session;
  bool operator==(const ReviewCancelResponse&) const = default;
};
struct ReviewCancelRequest {
  using Response = ReviewCancelResponse;
  static constexpr Command k_command = Command::review_cancel;
  std::string session;  // session id; or empty with `repo` set: that repository's current one
  std::string repo;
  bool operator==(const ReviewCancelRequest&) const = default;
};

struct SessionListResponse {
  std::vector<SessionSummary> sessions;
  bool operator==(const SessionListResponse&) const = default;
};
struct SessionListRequest {
  using Response = SessionListResponse;
  static constexpr Command k_command = Command::session_list;
  std::string repo;  // empty: every repository
  bool operator==(const SessionListRequest&) const = default;
};

struct SessionShowResponse {
  SessionSummary session;
  std::vector<RoundSummary> rounds;
  std::vector<FindingSummary> findings;
  bool operator==(const SessionShowResponse&) const = default;
};
struct SessionShowRequest {
  using Response = SessionShowResponse;
  static constexpr Command k_command = Command::session_show;
  std::string id;
  bool operator==(const SessionShowRequest&) const = default;
};

struct FindingsListResponse {
  std::vector<FindingSummary> findings;
  bool operator==(const FindingsListResponse&) const = default;
};
struct FindingsListRequest {
  using Response = FindingsListResponse;
  static constexpr Command k_command = Command::findings_list;
  std::string repo;
  FindingFilter filter = FindingFilter::open_only;
  bool operator==(const FindingsListRequest&) const = default;
};

struct FindingShowResponse {
  FindingSummary finding;
  std::vector<std::string> titles;  // every title it has carried, oldest first
  std::vector<HistoryEntry> history;
  std::optional<std::string> suggested_fix;
  bool operator==(const FindingShowResponse&) const = default;
};
struct FindingShowRequest {
  using Response = FindingShowResponse;
  static constexpr Command k_command = Command::finding_show;
  std::string id;
  bool operator==(const FindingShowRequest&) const = default;
};

struct DecideResponse {
  FindingSummary finding;
  bool operator==(const DecideResponse&) const = default;
};
struct DecideRequest {
  using Response = DecideResponse;
  static constexpr Command k_command = Command::decide;
  std::string finding;
  Decision decision = Decision::uphold;
  std::string reason;  // required (non-empty) for dismiss and waive
  std::string actor;   // set by the daemon to "human:<peer's user>"; a client's value is ignored
  bool operator==(const DecideRequest&) const = default;
};

struct GateCheckResponse {
  GateStatus status = GateStatus::no_session;
  std::string session;                   // empty for no_session
  std::vector<FindingSummary> findings;  // block: the blocking findings
  std::optional<Progress> progress;      // pending: how far the review has got
  std::string message;                   // one line for the person committing
  // Index form only: the fingerprint of the staged snapshot the daemon took and judged.
  std::string fingerprint = {};
  bool operator==(const GateCheckResponse&) const = default;
};
// Two forms: `fingerprint` (the client took the staged snapshot), or `index_file` (an absolute
// path: the daemon takes the snapshot of HEAD vs that index itself, answers with its
// fingerprint, and on pass saves the review record for note.attach). Exactly one is set.
struct GateCheckRequest {
  using Response = GateCheckResponse;
  static constexpr Command k_command = Command::gate_check;
  std::string repo;
  std::string fingerprint;  // of the staged snapshot (index vs HEAD)
  std::string index_file = {};  // the index git commits from ($GIT_INDEX_FILE), absolute
  bool operator==(const GateCheckRequest&) const = default;
};

struct UndoResponse {
  std::string repo;
  std::string restored;  // the gavel ref or commit the working tree was restored from
  bool operator==(const UndoResponse&) const = default;
};
struct UndoRequest {
  using Response = UndoResponse;
  static constexpr Command k_command = Command::undo;
  std::string repo;
  bool operator==(const UndoRequest&) const = default;
};

struct SubscribeResponse {
  bool subscribed = true;
  bool operator==(const SubscribeResponse&) const = default;
};
struct SubscribeRequest {
  using Response = SubscribeResponse;
  static constexpr Command k_command = Command::subscribe;
  std::string repo;  // empty: events of every repository
  bool operator==(const SubscribeRequest&) const = default;
};

struct ShutdownResponse {
  bool stopping = true;
  bool operator==(const ShutdownResponse&) const = default;
};
struct ShutdownRequest {
  using Response = ShutdownResponse;
  static constexpr Command k_command = Command::shutdown;
  bool operator==(const ShutdownRequest&) const = default;
};

struct NoteAttachResponse {
  bool attached = false;
  std::string commit;   // HEAD, when attached
  std::string message;  // a warning for the person committing (not attached and why); may be empty
  bool operator==(const NoteAttachResponse&) const = default;
};
// The post-commit hook: attach the review record the gate saved to HEAD (refs/notes/gavel).
struct NoteAttachRequest {
  using Response = NoteAttachResponse;
  static constexpr Command k_command = Command::note_attach;
  std::string repo;  // the top of the working tree the commit was made in
  bool operator==(const NoteAttachRequest&) const = default;
};

// Every request and every response, in `Command` order (index i is Command i).
using Request = std::variant<StatusRequest, RepoAddRequest, RepoRemoveRequest, RepoListRequest,
                             ReviewStartRequest, ReviewCancelRequest, SessionListRequest,
                             SessionShowRequest, FindingsListRequest, FindingShowRequest,
                             DecideRequest, GateCheckRequest, UndoRequest, SubscribeRequest,
                             ShutdownRequest, NoteAttachRequest>;
using Response = std::variant<StatusResponse, RepoAddResponse, RepoRemoveResponse,
                              RepoListResponse, ReviewStartResponse, ReviewCancelResponse,
                              SessionListResponse, SessionShowResponse, FindingsListResponse,
                              FindingShowResponse, DecideResponse, GateCheckResponse, UndoResponse,
                              SubscribeResponse, ShutdownResponse, NoteAttachResponse>;

static_assert(std::variant_size_v<Request> == 16 && std::variant_size_v<Response> == 16);

// The command of a request.
inline Command command_of(const Request& r) { return static_cast<Command>(r.index()); }

}  // namespace gavel::protocol
