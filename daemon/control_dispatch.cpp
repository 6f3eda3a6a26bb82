#include "daemon/control_dispatch.hpp"

#include <spdlog/spdlog.h>

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

template <class Req>
asio::awaitable<std::string> call(CommandHandler& handler, std::int64_t id, const Req& req) {
  auto result = co_await invoke(handler, req);
  if (!result) co_return pr::encode_error(id, pr::to_wire(result.error()));
  co_return pr::encode_response(id, pr::Response{std::move(*result)});
}

}  // namespace

asio::awaitable<std::string> dispatch(CommandHandler& handler, pr::RequestEnvelope request,
                                      Peer peer) {
  if (auto* decide = std::get_if<pr::DecideRequest>(&request.request)) {
    if (decide->actor.empty()) decide->actor = human_actor(peer.uid);
  }
  const auto id = request.id;
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
