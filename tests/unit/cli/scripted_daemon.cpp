// See scripted_daemon.hpp. Compiled into cli_test (tests/CMakeLists.txt).
#include "tests/unit/cli/scripted_daemon.hpp"

#include "daemon/staged_gate.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include <future>
#include <stdexcept>

namespace gavel::cli::testing {

using Lock = std::lock_guard<std::mutex>;

daemon::Awaitable<pr::StatusResponse> ScriptedHandler::status(const pr::StatusRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  co_return pr::StatusResponse{"scripted", 4242, 90'000, repos, 1};
}
daemon::Awaitable<pr::RepoAddResponse> ScriptedHandler::repo_add(const pr::RepoAddRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  repos.push_back(r.path);
  co_return pr::RepoAddResponse{pr::RepoInfo{r.path, std::nullopt}};
}
daemon::Awaitable<pr::RepoRemoveResponse> ScriptedHandler::repo_remove(const pr::RepoRemoveRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  std::erase(repos, r.path);
  co_return pr::RepoRemoveResponse{r.path};
}
daemon::Awaitable<pr::RepoListResponse> ScriptedHandler::repo_list(const pr::RepoListRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  pr::RepoListResponse out;
  for (const auto& p : repos) {
    std::optional<std::string> s;
    for (const auto& [id, show] : sessions) {
      if (show.session.repo == p) s = id;
    }
    out.repos.push_back(pr::RepoInfo{p, s});
  }
  co_return out;
}
daemon::Awaitable<pr::ReviewStartResponse> ScriptedHandler::review_start(
    const pr::ReviewStartRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  starts.push_back(r);
  co_return pr::ReviewStartResponse{session("s-new", r.repo, pr::SessionState::running, 0)};
}
daemon::Awaitable<pr::ReviewCancelResponse> ScriptedHandler::review_cancel(
    const pr::ReviewCancelRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  co_return pr::ReviewCancelResponse{session(r.session, r.repo, pr::SessionState::cancelled, 1)};
}
daemon::Awaitable<pr::SessionListResponse> ScriptedHandler::session_list(
    const pr::SessionListRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  pr::SessionListResponse out;
  for (const auto& [id, show] : sessions) {
    if (r.repo.empty() || show.session.repo == r.repo) out.sessions.push_back(show.session);
  }
  co_return out;
}
daemon::Awaitable<pr::SessionShowResponse> ScriptedHandler::session_show(
    const pr::SessionShowRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  auto it = sessions.find(r.id);
  if (it == sessions.end()) co_return fail(Errc::not_found, "no session " + r.id);
  co_return it->second;
}
daemon::Awaitable<pr::FindingsListResponse> ScriptedHandler::findings_list(
    const pr::FindingsListRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  pr::FindingsListResponse out;
  for (const auto& f : findings) {
    const bool closed = f.state == review::FindingState::verified ||
                        f.state == review::FindingState::withdrawn ||
                        f.state == review::FindingState::dismissed ||
                        f.state == review::FindingState::waived;
    if (r.filter == pr::FindingFilter::all || !closed) out.findings.push_back(f);
  }
  co_return out;
}
daemon::Awaitable<pr::FindingShowResponse> ScriptedHandler::finding_show(
    const pr::FindingShowRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  if (auto it = shown.find(r.id); it != shown.end()) co_return it->second;
  for (const auto& f : findings) {
    if (f.id == r.id) co_return pr::FindingShowResponse{f, {f.title}, {}, std::nullopt};
  }
  co_return fail(Errc::not_found, "no finding " + r.id);
}
daemon::Awaitable<pr::DecideResponse> ScriptedHandler::decide(const pr::DecideRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  decisions.push_back(r);
  for (auto& f : findings) {
    if (f.id != r.finding) continue;
    f.state = r.decision == pr::Decision::uphold    ? review::FindingState::upheld
              : r.decision == pr::Decision::dismiss ? review::FindingState::dismissed
                                                    : review::FindingState::waived;
    co_return pr::DecideResponse{f};
  }
  co_return fail(Errc::not_found, "no finding " + r.finding);
}
// The index form goes through the daemon's own code (daemon/staged_gate.hpp): the snapshot is
// taken here, and the fingerprint-form call below answers from the script.
daemon::Awaitable<pr::GateCheckResponse> ScriptedHandler::gate_check(const pr::GateCheckRequest& r) {
  if (!r.index_file.empty()) {
    {
      Lock l(mutex);
      seen.push_back(r);
      index_requests.push_back(r);
    }
    const boost::asio::any_io_executor ex = co_await boost::asio::this_coro::executor;
    co_return co_await daemon::gate_on_index(*this, ex, ex, r);
  }
  Lock l(mutex);
  seen.push_back(r);
  gate_requests.push_back(r);
  if (gate_error) co_return *gate_error;
  if (gate_script.empty()) {
    co_return pr::GateCheckResponse{pr::GateStatus::no_session, "", {}, std::nullopt, "no review"};
  }
  pr::GateCheckResponse out = gate_script.front();
  if (gate_script.size() > 1) gate_script.pop_front();
  co_return out;
}
daemon::Awaitable<pr::UndoResponse> ScriptedHandler::undo(const pr::UndoRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  co_return pr::UndoResponse{r.repo, "refs/gavel/undo/1"};
}
daemon::Awaitable<pr::NoteAttachResponse> ScriptedHandler::note_attach(
    const pr::NoteAttachRequest& r) {
  {
    Lock l(mutex);
    seen.push_back(r);
    note_requests.push_back(r);
  }
  const boost::asio::any_io_executor ex = co_await boost::asio::this_coro::executor;
  co_return co_await daemon::attach_note(ex, ex, r);
}
daemon::Awaitable<pr::ShutdownResponse> ScriptedHandler::shutdown(const pr::ShutdownRequest& r) {
  Lock l(mutex);
  seen.push_back(r);
  shutdown_asked = true;
  co_return pr::ShutdownResponse{true};
}

ScriptedDaemon::ScriptedDaemon(const std::filesystem::path& dir)
    : m_socket((dir / "run" / "gaveld.sock").string()), m_guard(m_io.get_executor()) {
  daemon::ControlServerOptions o;
  o.socket_path = m_socket;
  auto server = daemon::ControlServer::open(m_io.get_executor(), m_handler, o);
  if (!server) throw std::runtime_error(server.error().message);
  m_server = *server;
  m_server->start();
  m_thread = std::thread([this] { m_io.run(); });
}

ScriptedDaemon::~ScriptedDaemon() {
  std::promise<void> done;
  boost::asio::post(m_io, [&] {
    m_server->stop();
    m_server.reset();
    done.set_value();
  });
  done.get_future().wait();
  m_guard.reset();
  m_io.stop();
  m_thread.join();
}

pr::FindingSummary finding(std::string id, review::Priority p, review::FindingState s,
                           std::string path, int line, std::string title) {
  pr::FindingSummary f;
  f.id = std::move(id);
  f.priority = p;
  f.state = s;
  f.path = std::move(path);
  f.line_start = line;
  f.line_end = line;
  f.title = std::move(title);
  f.body = "Body of " + f.title;
  f.agent = "codex";
  f.round = 1;
  return f;
}

pr::SessionSummary session(std::string id, std::string repo, pr::SessionState state, int round) {
  return pr::SessionSummary{std::move(id), std::move(repo), "fp", state, round, 8, "", 5};
}

}  // namespace gavel::cli::testing
