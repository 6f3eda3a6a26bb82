// Orchestrator: one method per control command (docs/protocol.md). On the io thread; blocking
// git work (undo) goes to the pool and the coroutine resumes on the io thread.
#include "daemon/orchestrator.hpp"

#include "daemon/log_setup.hpp"
#include "daemon/staged_gate.hpp"
#include "daemon/views.hpp"
#include "git/undo.hpp"
#include "protocol/names.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace pr = protocol;

Awaitable<pr::StatusResponse> Orchestrator::status(const pr::StatusRequest&) {
  pr::StatusResponse out;
  out.version = GAVEL_VERSION;
  out.pid = ::getpid();
  out.uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - m_started_at)
                      .count();
  for (const auto& [path, repo] : m_repos) {
    out.repos.push_back(path);
    out.active_sessions += repo->session_running() ? 1 : 0;
  }
  co_return out;
}

Awaitable<pr::RepoAddResponse> Orchestrator::repo_add(const pr::RepoAddRequest& req) {
  if (m_stopping) co_return fail(Errc::unavailable, "gaveld is stopping");
  auto repo = add_repo(req.path, true);
  if (!repo) {
    log("daemon")->warn("repo.add {}: {}", req.path, repo.error().message);
    co_return repo.error();
  }
  co_return pr::RepoAddResponse{pr::RepoInfo{(*repo)->path(), (*repo)->current_session_id()}};
}

Awaitable<pr::RepoRemoveResponse> Orchestrator::repo_remove(const pr::RepoRemoveRequest& req) {
  auto repo = find_repo(req.path);
  if (!repo) co_return repo.error();
  const std::string path = (*repo)->path();
  if (auto r = m_registry.remove(path); !r) co_return r.error();
  auto it = m_repos.find(path);
  auto svc = std::move(it->second);
  m_repos.erase(it);
  retire(std::move(svc), false);
  log("daemon")->info("{}: unregistered", path);
  co_return pr::RepoRemoveResponse{path};
}

Awaitable<pr::RepoListResponse> Orchestrator::repo_list(const pr::RepoListRequest&) {
  pr::RepoListResponse out;
  for (const auto& [path, repo] : m_repos) out.repos.push_back({path, repo->current_session_id()});
  co_return out;
}

Awaitable<pr::ReviewStartResponse> Orchestrator::review_start(const pr::ReviewStartRequest& req) {
  if (m_stopping) co_return fail(Errc::unavailable, "gaveld is stopping");
  auto repo = find_repo(req.repo);
  if (!repo) co_return repo.error();
  auto summary = (*repo)->start_review(req);
  if (!summary) co_return summary.error();
  co_return pr::ReviewStartResponse{std::move(*summary)};
}

Awaitable<pr::ReviewCancelResponse> Orchestrator::review_cancel(const pr::ReviewCancelRequest& req) {
  std::string id = req.session;
  if (id.empty()) {
    auto repo = find_repo(req.repo);
    if (!repo) co_return repo.error();
    auto current = (*repo)->current_session_id();
    if (!current) co_return fail(Errc::not_found, "no session in " + (*repo)->path());
    id = *current;
  }
  auto ref = parse_session_id(id);
  if (!ref) co_return fail(Errc::invalid_argument, "not a session id: " + id);
  auto repo = find_by_tag(ref->tag);
  if (!repo) co_return repo.error();
  auto summary = (*repo)->cancel_review(ref->id);
  if (!summary) co_return summary.error();
  co_return pr::ReviewCancelResponse{std::move(*summary)};
}

Awaitable<pr::SessionListResponse> Orchestrator::session_list(const pr::SessionListRequest& req) {
  pr::SessionListResponse out;
  for (const auto& [path, repo] : m_repos) {
    if (!req.repo.empty()) {
      auto wanted = find_repo(req.repo);
      if (!wanted) co_return wanted.error();
      if (*wanted != repo.get()) continue;
    }
    auto sessions = repo->sessions();
    if (!sessions) co_return sessions.error();
    for (auto& s : *sessions) out.sessions.push_back(std::move(s));
  }
  co_return out;
}

Awaitable<pr::SessionShowResponse> Orchestrator::session_show(const pr::SessionShowRequest& req) {
  auto ref = parse_session_id(req.id);
  if (!ref) co_return fail(Errc::not_found, "no session " + req.id);
  auto repo = find_by_tag(ref->tag);
  if (!repo) co_return repo.error();
  co_return (*repo)->show_session(ref->id);
}

Awaitable<pr::FindingsListResponse> Orchestrator::findings_list(const pr::FindingsListRequest& req) {
  auto repo = find_repo(req.repo);
  if (!repo) co_return repo.error();
  auto findings = (*repo)->findings(req.filter);
  if (!findings) co_return findings.error();
  co_return pr::FindingsListResponse{std::move(*findings)};
}

Awaitable<pr::FindingShowResponse> Orchestrator::finding_show(const pr::FindingShowRequest& req) {
  auto ref = session_of_finding(req.id);
  if (!ref) co_return fail(Errc::not_found, "no finding " + req.id);
  auto repo = find_by_tag(ref->tag);
  if (!repo) co_return repo.error();
  co_return (*repo)->show_finding(ref->id, req.id);
}

Awaitable<pr::DecideResponse> Orchestrator::decide(const pr::DecideRequest& req) {
  auto ref = session_of_finding(req.finding);
  if (!ref) co_return fail(Errc::not_found, "no finding " + req.finding);
  if (req.decision != pr::Decision::uphold && req.reason.empty()) {
    co_return fail(Errc::invalid_argument, "decide: a dismissal or waiver needs a reason");
  }
  auto repo = find_by_tag(ref->tag);
  if (!repo) co_return repo.error();
  // Durable before acknowledged: decide() returns after the store committed.
  auto finding = (*repo)->decide(ref->id, req);
  if (!finding) co_return finding.error();
  log("session")->info("{}: {} by {}", req.finding, pr::to_string(req.decision), req.actor);
  co_return pr::DecideResponse{std::move(*finding)};
}

Awaitable<pr::GateCheckResponse> Orchestrator::gate_check(const pr::GateCheckRequest& req) {
  if (!req.index_file.empty()) {  // the daemon takes the staged snapshot (daemon/staged_gate.hpp)
    const asio::any_io_executor pool = m_pool.get_executor(), io = m_io.get_executor();
    co_return co_await gate_on_index(*this, pool, io, req);
  }
  auto repo = find_repo(req.repo);
  if (!repo) {
    pr::GateCheckResponse out;
    out.message = "gaveld does not watch " + req.repo;
    co_return out;
  }
  co_return (*repo)->gate(req.fingerprint);
}

Awaitable<pr::NoteAttachResponse> Orchestrator::note_attach(const pr::NoteAttachRequest& req) {
  auto repo = find_repo(req.repo);
  if (!repo) co_return repo.error();
  const asio::any_io_executor pool = m_pool.get_executor(), io = m_io.get_executor();
  co_return co_await attach_note(pool, io, req);
}

Awaitable<pr::UndoResponse> Orchestrator::undo(const pr::UndoRequest& req) {
  auto repo = find_repo(req.repo);
  std::string path = repo ? (*repo)->path() : req.repo;
  co_await asio::post(asio::bind_executor(m_pool, asio::use_awaitable));
  auto restored = git::undo(path, std::nullopt, now_ms());
  co_await asio::post(asio::bind_executor(m_io, asio::use_awaitable));
  if (!restored) co_return restored.error();
  log("daemon")->info("{}: restored {} ({} paths)", path, restored->restored.ref,
                      restored->changed.size());
  co_return pr::UndoResponse{path, restored->restored.ref};
}

Awaitable<pr::ShutdownResponse> Orchestrator::shutdown(const pr::ShutdownRequest&) {
  log("daemon")->info("shutdown requested over the control socket");
  asio::post(m_io, [this] { begin_shutdown(); });
  co_return pr::ShutdownResponse{true};
}

}  // namespace gavel::daemon
