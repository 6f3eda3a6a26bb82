#pragma once
// Orchestrator: gaveld's centre. It implements every control command (CommandHandler), owns
// the registered repositories (one RepoService each, listed in the Registry), hands out the
// agent slots (daemon.max_concurrent_agents sessions run at once; the others queue, one pending
// run per repository) and publishes events to the ControlServer. It also carries out shutdown
// (SIGTERM/SIGINT/`shutdown`) and reload (SIGHUP).
//
// Who calls it: run_daemon() (daemon/daemon.cpp) creates it and wires signals; the control
// server calls the command methods. Everything runs on the single io_context thread; blocking
// git work (snapshots, undo, applying a patch) is posted to the thread pool and comes back.
// It owns the services and the registry, not the server or the io_context.

#include "config/config.hpp"
#include "daemon/control_handler.hpp"
#include "daemon/control_server.hpp"
#include "daemon/daemon_options.hpp"
#include "daemon/registry.hpp"
#include "daemon/repo_service.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gavel::daemon {

class Orchestrator : public CommandHandler, public RepoHost {
 public:
  Orchestrator(boost::asio::io_context& io, boost::asio::thread_pool& pool, DaemonOptions options,
               config::Config config, Registry registry);
  ~Orchestrator() override;

  void set_server(ControlServer* server) { m_server = server; }
  // Re-watches every registered repository; one that is gone or refused is reported, and a gone
  // one is unregistered.
  void start();
  // Stops accepting, cancels every session (agents get SIGTERM, then SIGKILL), waits for them
  // (at most `grace`), then calls `done`. Idempotent.
  void begin_shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));
  void on_stopped(std::function<void()> done) { m_on_stopped = std::move(done); }
  // SIGHUP: reloads the daemon's and every repository's configuration; an invalid one is
  // logged and the old one kept.
  void reload();

  // CommandHandler (orchestrator_commands.cpp)
  Awaitable<protocol::StatusResponse> status(const protocol::StatusRequest& req) override;
  Awaitable<protocol::RepoAddResponse> repo_add(const protocol::RepoAddRequest& req) override;
  Awaitable<protocol::RepoRemoveResponse> repo_remove(const protocol::RepoRemoveRequest& req) override;
  Awaitable<protocol::RepoListResponse> repo_list(const protocol::RepoListRequest& req) override;
  Awaitable<protocol::ReviewStartResponse> review_start(const protocol::ReviewStartRequest& req) override;
  Awaitable<protocol::ReviewCancelResponse> review_cancel(const protocol::ReviewCancelRequest& req) override;
  Awaitable<protocol::SessionListResponse> session_list(const protocol::SessionListRequest& req) override;
  Awaitable<protocol::SessionShowResponse> session_show(const protocol::SessionShowRequest& req) override;
  Awaitable<protocol::FindingsListResponse> findings_list(const protocol::FindingsListRequest& req) override;
  Awaitable<protocol::FindingShowResponse> finding_show(const protocol::FindingShowRequest& req) override;
  Awaitable<protocol::DecideResponse> decide(const protocol::DecideRequest& req) override;
  Awaitable<protocol::GateCheckResponse> gate_check(const protocol::GateCheckRequest& req) override;
  Awaitable<protocol::UndoResponse> undo(const protocol::UndoRequest& req) override;
  Awaitable<protocol::ShutdownResponse> shutdown(const protocol::ShutdownRequest& req) override;
  Awaitable<protocol::NoteAttachResponse> note_attach(const protocol::NoteAttachRequest& req) override;

  // RepoHost
  boost::asio::any_io_executor pool() override { return m_pool.get_executor(); }
  void publish(const protocol::Event& event) override;
  void request_slot(RepoService& repo) override;
  void release_slot(RepoService& repo) override;
  void repo_gone(const std::string& path, const std::string& reason) override;
  const std::vector<std::string>& overrides() const override { return m_options.overrides; }
  review::Usage used_today(RepoService& asking, std::int64_t except_session) override;

 private:
  // The registered repository holding `path` (any path inside it). Errc::not_found.
  Result<RepoService*> find_repo(const std::string& path);
  Result<RepoService*> find_by_tag(const std::string& tag);
  Result<RepoService*> add_repo(const std::string& path, bool persist);
  void retire(std::unique_ptr<RepoService> repo, bool interrupted);
  void reap();
  void shutdown_step();

  boost::asio::io_context& m_io;
  boost::asio::thread_pool& m_pool;
  DaemonOptions m_options;
  config::Config m_config;
  Registry m_registry;
  ControlServer* m_server = nullptr;
  std::map<std::string, std::unique_ptr<RepoService>> m_repos;  // by working-tree path
  std::vector<std::unique_ptr<RepoService>> m_retired;          // stopping; destroyed when idle
  std::deque<RepoService*> m_waiting;                           // queued for an agent slot
  int m_free_slots = 0;
  std::chrono::steady_clock::time_point m_started_at = std::chrono::steady_clock::now();
  boost::asio::steady_timer m_reaper;
  std::function<void()> m_on_stopped;
  bool m_stopping = false;
  std::chrono::steady_clock::time_point m_deadline;
};

}  // namespace gavel::daemon
