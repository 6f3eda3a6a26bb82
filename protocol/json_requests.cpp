// to_json / from_json for every request's "args" object (protocol/messages.hpp). The decoders
// are strict: they are what stands between a socket and the daemon's command handler.
#include "protocol/json.hpp"
#include "protocol/json_fields.hpp"
#include "protocol/names.hpp"

namespace gavel::protocol {

using detail::FieldError;
using detail::optional;
using detail::required;

namespace {

// A required string argument that must not be empty (a path, an id).
void required_text(const json& args, const char* key, std::string& out) {
  required(args, key, out);
  if (out.empty()) throw FieldError(key, "must not be empty");
}

}  // namespace

void to_json(json& j, const StatusRequest&) { j = json::object(); }
void from_json(const json&, StatusRequest&) {}

void to_json(json& j, const RepoAddRequest& r) { j = json{{"path", r.path}}; }
void from_json(const json& j, RepoAddRequest& r) { required_text(j, "path", r.path); }

void to_json(json& j, const RepoRemoveRequest& r) { j = json{{"path", r.path}}; }
void from_json(const json& j, RepoRemoveRequest& r) { required_text(j, "path", r.path); }

void to_json(json& j, const RepoListRequest&) { j = json::object(); }
void from_json(const json&, RepoListRequest&) {}

void to_json(json& j, const ReviewStartRequest& r) {
  j = json{{"repo", r.repo},
           {"staged", r.scope == DiffScope::staged},
           {"intent", r.intent},
           {"reviewer", r.reviewer},
           {"implementer", r.implementer}};
}
void from_json(const json& j, ReviewStartRequest& r) {
  required_text(j, "repo", r.repo);
  bool staged = false;
  optional(j, "staged", staged);
  r.scope = staged ? DiffScope::staged : DiffScope::worktree;
  optional(j, "intent", r.intent);
  optional(j, "reviewer", r.reviewer);
  optional(j, "implementer", r.implementer);
}

void to_json(json& j, const ReviewCancelRequest& r) {
  j = json::object();
  if (!r.session.empty()) j["session"] = r.session;
  if (!r.repo.empty()) j["repo"] = r.repo;
}
void from_json(const json& j, ReviewCancelRequest& r) {
  optional(j, "session", r.session);
  optional(j, "repo", r.repo);
  if (r.session.empty() && r.repo.empty()) {
    throw FieldError("session", "missing (give \"session\" or \"repo\")");
  }
}

void to_json(json& j, const SessionListRequest& r) {
  j = json::object();
  if (!r.repo.empty()) j["repo"] = r.repo;
}
void from_json(const json& j, SessionListRequest& r) { optional(j, "repo", r.repo); }

void to_json(json& j, const SessionShowRequest& r) { j = json{{"id", r.id}}; }
void from_json(const json& j, SessionShowRequest& r) { required_text(j, "id", r.id); }

void to_json(json& j, const FindingsListRequest& r) {
  j = json{{"repo", r.repo}, {"all", r.filter == FindingFilter::all}};
}
void from_json(const json& j, FindingsListRequest& r) {
  required_text(j, "repo", r.repo);
  bool all = false;
  optional(j, "all", all);
  r.filter = all ? FindingFilter::all : FindingFilter::open_only;
}

void to_json(json& j, const FindingShowRequest& r) { j = json{{"id", r.id}}; }
void from_json(const json& j, FindingShowRequest& r) { required_text(j, "id", r.id); }

void to_json(json& j, const DecideRequest& r) {
  j = json{{"finding", r.finding},
           {"decision", to_string(r.decision)},
           {"reason", r.reason},
           {"actor", r.actor}};
}
void from_json(const json& j, DecideRequest& r) {
  required_text(j, "finding", r.finding);
  detail::required_enum(
      j, "decision", r.decision, [](std::string_view s) { return decision_from_string(s); },
      "uphold, dismiss, waive");
  optional(j, "reason", r.reason);
  optional(j, "actor", r.actor);
  if (r.decision != Decision::uphold && r.reason.empty()) {
    throw FieldError("reason", std::string("required to ") + std::string(to_string(r.decision)) +
                                   " a finding (it is remembered with the decision)");
  }
}

void to_json(json& j, const GateCheckRequest& r) {
  j = json{{"repo", r.repo}};
  if (!r.fingerprint.empty()) j["fingerprint"] = r.fingerprint;
  if (!r.index_file.empty()) j["index_file"] = r.index_file;
}
void from_json(const json& j, GateCheckRequest& r) {
  required_text(j, "repo", r.repo);
  optional(j, "fingerprint", r.fingerprint);
  optional(j, "index_file", r.index_file);
  if (r.fingerprint.empty() == r.index_file.empty()) {
    throw FieldError("fingerprint", "exactly one of fingerprint and index_file is required");
  }
  if (!r.index_file.empty() && r.index_file.front() != '/') {
    throw FieldError("index_file", "must be an absolute path");
  }
}

void to_json(json& j, const UndoRequest& r) { j = json{{"repo", r.repo}}; }
void from_json(const json& j, UndoRequest& r) { required_text(j, "repo", r.repo); }

void to_json(json& j, const SubscribeRequest& r) {
  j = json::object();
  if (!r.repo.empty()) j["repo"] = r.repo;
}
void from_json(const json& j, SubscribeRequest& r) { optional(j, "repo", r.repo); }

void to_json(json& j, const ShutdownRequest&) { j = json::object(); }
void from_json(const json&, ShutdownRequest&) {}

void to_json(json& j, const NoteAttachRequest& r) { j = json{{"repo", r.repo}}; }
void from_json(const json& j, NoteAttachRequest& r) { required_text(j, "repo", r.repo); }

}  // namespace gavel::protocol
