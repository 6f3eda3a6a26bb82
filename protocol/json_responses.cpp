// to_json / from_json for every response's "result" object (protocol/messages.hpp). The client
// decodes with these; fields a newer daemon may leave out are optional.
#include "protocol/json.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/names.hpp"

namespace gavel::protocol {

using detail::optional;
using detail::required;

void to_json(json& j, const StatusResponse& r) {
  j = json{{"version", r.version},
           {"pid", r.pid},
           {"uptime_ms", r.uptime_ms},
           {"repos", r.repos},
           {"active_sessions", r.active_sessions}};
}
void from_json(const json& j, StatusResponse& r) {
  required(j, "version", r.version);
  optional(j, "pid", r.pid);
  optional(j, "uptime_ms", r.uptime_ms);
  optional(j, "repos", r.repos);
  optional(j, "active_sessions", r.active_sessions);
}

void to_json(json& j, const RepoAddResponse& r) { j = json{{"repo", r.repo}}; }
void from_json(const json& j, RepoAddResponse& r) { required(j, "repo", r.repo); }

void to_json(json& j, const RepoRemoveResponse& r) { j = json{{"path", r.path}}; }
void from_json(const json& j, RepoRemoveResponse& r) { required(j, "path", r.path); }

void to_json(json& j, const RepoListResponse& r) { j = json{{"repos", r.repos}}; }
void from_json(const json& j, RepoListResponse& r) { required(j, "repos", r.repos); }

void to_json(json& j, const ReviewStartResponse& r) { j = json{{"session", r.session}}; }
void from_json(const json& j, ReviewStartResponse& r) { required(j, "session", r.session); }

void to_json(json& j, const ReviewCancelResponse& r) { j = json{{"session", r.session}}; }
void from_json(const json& j, ReviewCancelResponse& r) { required(j, "session", r.session); }

void to_json(json& j, const SessionListResponse& r) { j = json{{"sessions", r.sessions}}; }
void from_json(const json& j, SessionListResponse& r) { required(j, "sessions", r.sessions); }

void to_json(json& j, const SessionShowResponse& r) {
  j = json{{"session", r.session}, {"rounds", r.rounds}, {"findings", r.findings}};
}
void from_json(const json& j, SessionShowResponse& r) {
  required(j, "session", r.session);
  optional(j, "rounds", r.rounds);
  optional(j, "findings", r.findings);
}

void to_json(json& j, const FindingsListResponse& r) { j = json{{"findings", r.findings}}; }
void from_json(const json& j, FindingsListResponse& r) { required(j, "findings", r.findings); }

void to_json(json& j, const FindingShowResponse& r) {
  j = json{{"finding", r.finding}, {"titles", r.titles}, {"history", r.history}};
  if (r.suggested_fix) j["suggested_fix"] = *r.suggested_fix;
}
void from_json(const json& j, FindingShowResponse& r) {
  required(j, "finding", r.finding);
  optional(j, "titles", r.titles);
  optional(j, "history", r.history);
  optional(j, "suggested_fix", r.suggested_fix);
}

void to_json(json& j, const DecideResponse& r) { j = json{{"finding", r.finding}}; }
void from_json(const json& j, DecideResponse& r) { required(j, "finding", r.finding); }

void to_json(json& j, const GateCheckResponse& r) {
  j = json{{"status", to_string(r.status)}, {"message", r.message}};
  if (!r.session.empty()) j["session"] = r.session;
  if (!r.findings.empty() || r.status == GateStatus::block) j["findings"] = r.findings;
  if (r.progress) j["progress"] = *r.progress;
  if (!r.fingerprint.empty()) j["fingerprint"] = r.fingerprint;
}
void from_json(const json& j, GateCheckResponse& r) {
  detail::required_enum(
      j, "status", r.status, [](std::string_view s) { return gate_status_from_string(s); },
      "pass, block, pending, no_session");
  optional(j, "message", r.message);
  optional(j, "session", r.session);
  optional(j, "findings", r.findings);
  optional(j, "progress", r.progress);
  optional(j, "fingerprint", r.fingerprint);
}

void to_json(json& j, const UndoResponse& r) {
  j = json{{"repo", r.repo}, {"restored", r.restored}};
}
void from_json(const json& j, UndoResponse& r) {
  required(j, "repo", r.repo);
  optional(j, "restored", r.restored);
}

void to_json(json& j, const SubscribeResponse& r) { j = json{{"subscribed", r.subscribed}}; }
void from_json(const json& j, SubscribeResponse& r) { optional(j, "subscribed", r.subscribed); }

void to_json(json& j, const ShutdownResponse& r) { j = json{{"stopping", r.stopping}}; }
void from_json(const json& j, ShutdownResponse& r) { optional(j, "stopping", r.stopping); }

void to_json(json& j, const NoteAttachResponse& r) {
  j = json{{"attached", r.attached}};
  if (!r.commit.empty()) j["commit"] = r.commit;
  if (!r.message.empty()) j["message"] = r.message;
}
void from_json(const json& j, NoteAttachResponse& r) {
  optional(j, "attached", r.attached);
  optional(j, "commit", r.commit);
  optional(j, "message", r.message);
}

}  // namespace gavel::protocol
