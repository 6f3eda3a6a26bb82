// dispatch(): one decoded request -> who may send it -> the CommandHandler method -> one reply
// line. Called by daemon/control_session.cpp for every request but subscribe.
#include "daemon/control_dispatch.hpp"

#include "agents/agent_processes.hpp"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <variant>

#include <pwd.h>
#include <unistd.h>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace pr = protocol;

namespace {

// The handler method for each command: an explicit overload set, so a new command that is not
// wired here fails to compile.
Awaitable<pr::StatusResponse> invoke(CommandHandler& h, const pr::StatusRequest& r) {
  return h.status(r);
}
Awaitable<pr::RepoAddResponse> invoke(CommandHandler& h, const pr::RepoAddRequest& r) {
  return h.repo_add(r);
}
Awaitable<pr::RepoRemoveResponse> invoke(CommandHandler& h, const pr::RepoRemoveRequest& r) {
  return h.repo_remove(r);
}
Awaitable<pr::RepoListResponse> invoke(CommandHandler& h, const pr::RepoListRequest& r) {
  return h.repo_list(r);
}
Awaitable<pr::ReviewStartResponse> invoke(CommandHandler& h, const pr::ReviewStartRequest& r) {
  return h.review_start(r);
}
Awaitable<pr::ReviewCancelResponse> invoke(CommandHandler& h, const pr::ReviewCancelRequest& r) {
  return h.review_cancel(r);
}
Awaitable<pr::SessionListResponse> invoke(CommandHandler& h, const pr::SessionListRequest& r) {
  return h.session_list(r);
}
Awaitable<pr::SessionShowResponse> invoke(CommandHandler& h, const pr::SessionShowRequest& r) {
  return h.session_show(r);
}
Awaitable<pr::FindingsListResponse> invoke(CommandHandler& h, const pr::FindingsListRequest& r) {
  return h.findings_list(r);
}
Awaitable<pr::FindingShowResponse> invoke(CommandHandler& h, const pr::FindingShowRequest& r) {
  return h.finding_show(r);
}
Awaitable<pr::DecideResponse> invoke(CommandHandler& h, const pr::DecideRequest& r) {
  return h.decide(r);
}
Awaitable<pr::GateCheckResponse> invoke(CommandHandler& h, const pr::GateCheckRequest& r) {
  return h.gate_check(r);
}
Awaitable<pr::UndoResponse> invoke(CommandHandler& h, const pr::UndoRequest& r) {
  return h.undo(r);
}
Awaitable<pr::ShutdownResponse> invoke(CommandHandler& h, const pr::ShutdownRequest& r) {
  return h.shutdown(r);
}
Awaitable<pr::NoteAttachResponse> invoke(CommandHandler& h, const pr::NoteAttachRequest& r) {
  return h.note_attach(r);
}
// Served by the session itself; reaching here is a bug.
Awaitable<pr::SubscribeResponse> invoke(CommandHandler&, const pr::SubscribeRequest&) {
  co_return fail(Errc::internal, "subscribe is served by the control session");
}

// "human:<login>" for `uid`, or "human:uid-<n>" when it has no passwd entry.
std::string human_actor(unsigned uid) {
  passwd entry{};
  passwd* found = nullptr;
  char buf[4096];
  if (::getpwuid_r(static_cast<uid_t>(uid), &entry, buf, sizeof buf, &found) == 0 && found) {
    return std::string("human:") + found->pw_name;
  }
  return "human:uid-" + std::to_string(uid);
}

// Whether a process started by an agent may send `c` (docs/daemon.md, "Who may decide"). No
// default: a new command must be placed here. Refused: everything that decides, changes what is
// reviewed, the developer's tree or the daemon itself. Allowed: reads, and gate.check (an
// agent's `git commit` runs the pre-commit hook). subscribe is served before dispatch; it only
// reads.
bool agents_may_send(pr::Command c) {
  switch (c) {
    case pr::Command::status:
    case pr::Command::repo_list:
    case pr::Command::session_list:
    case pr::Command::session_show:
    case pr::Command::findings_list:
    case pr::Command::finding_show:
    case pr::Command::gate_check:
    case pr::Command::note_attach:  // its post-commit hook: notes the commit the gate passed
    case pr::Command::subscribe: return true;
    case pr::Command::repo_add:
    case pr::Command::repo_remove:
    case pr::Command::review_start:
    case pr::Command::review_cancel:
    case pr::Command::decide:
    case pr::Command::undo:
    case pr::Command::shutdown: return false;
  }
  return false;
}

// The refusal for `command` from `peer`, or nullopt when the peer is not an agent's process.
std::optional<Error> refusal(pr::Command command, Peer peer) {
  if (agents_may_send(command)) return std::nullopt;
  const auto name = pr::to_string(command);
  const auto check = agents::classify_peer(static_cast<pid_t>(peer.pid));
  switch (check.origin) {
    case agents::PeerOrigin::outside: return std::nullopt;
    case agents::PeerOrigin::agent:
      spdlog::warn("control: refused {} from pid {}: started by an agent (pid {} on its chain)",
                   name, peer.pid, check.via);
      return Error(Errc::permission_denied,
                   std::string(name) + " refused: this client (pid " + std::to_string(peer.pid) +
                       ") was started by an agent gavel runs, and only a person may " +
                       std::string(name) + "; run it from your own terminal");
    case agents::PeerOrigin::unknown: break;
  }
  spdlog::warn("control: refused {} from pid {}: the client process cannot be inspected", name,
               peer.pid);
  return Error(Errc::permission_denied,
               std::string(name) + " refused: gaveld cannot inspect the client process (pid " +
                   std::to_string(peer.pid) + ") to tell a person from an agent");
}

template <class Req>
asio::awaitable<std::string> call(CommandHandler& handler, std::int64_t id, const Req& req) {
  auto result = co_await invoke(handler, req);
  if (!result) co_return pr::encode_error(id, pr::to_wire(result.error()));
  co_return pr::encode_response(id, pr::Response{std::move(*result)});
}

}  // namespace

asio::awaitable<std::string> dispatch(CommandHandler& handler, pr::RequestEnvelope request,
                                      Peer peer) {
  const auto id = request.id;
  if (auto refused = refusal(pr::command_of(request.request), peer)) {
    co_return pr::encode_error(id, pr::to_wire(*refused));
  }
  // The actor is always the peer's user: a client cannot speak for someone else.
  if (auto* decide = std::get_if<pr::DecideRequest>(&request.request)) {
    decide->actor = human_actor(peer.uid);
  }
  try {
    co_return co_await std::visit(
        [&](const auto& req) { return call(handler, id, req); }, request.request);
  } catch (const std::exception& e) {
    spdlog::error("control: {} (request {}) failed: {}",
                  pr::to_string(pr::command_of(request.request)), id, e.what());
  } catch (...) {
    spdlog::error("control: {} (request {}) failed with an unknown exception",
                  pr::to_string(pr::command_of(request.request)), id);
  }
  co_return pr::encode_error(id, pr::WireError{std::string(to_string(Errc::internal)),
                                               "the daemon failed on this request (see its log)"});
}

}  // namespace gavel::daemon
