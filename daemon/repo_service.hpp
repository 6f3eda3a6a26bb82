#pragma once
// RepoService: everything the daemon does for one registered repository. It watches the
// working tree (RepoWatcher), snapshots it on the thread pool when a change has settled, and
// decides what to review: nothing while a merge, rebase, cherry-pick, revert or bisect is in
// progress or when the diff is empty; a new fingerprint feeds the running session
// (snapshot_changed) or starts a new one (one session per change). It owns the repository's
// StateStore and its current ActiveSession, answers the queries about them, and applies a
// converged patch per review.apply (docs/daemon.md).
//
// Who calls it: the Orchestrator (daemon/orchestrator.hpp), on the daemon's io thread; the
// RepoHost it is given (the orchestrator) hands out agent slots (daemon.max_concurrent_agents)
// and publishes events. Snapshots, patch application and undo run on the pool and post back.
// Lifetime: stop() before destroying; destroy only when idle().

#include "config/config.hpp"
#include "daemon/repo_session.hpp"
#include "daemon/snapshot_source.hpp"
#include "daemon/state_store.hpp"
#include "daemon/watcher.hpp"
#include "git/snapshot.hpp"
#include "protocol/messages.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gavel::daemon {

class RepoService;

class RepoHost {
 public:
  virtual ~RepoHost() = default;
  virtual boost::asio::any_io_executor pool() = 0;
  virtual void publish(const protocol::Event& event) = 0;
  // Asks for an agent slot; RepoService::slot_granted() follows (maybe at once, via post).
  virtual void request_slot(RepoService& repo) = 0;
  virtual void release_slot(RepoService& repo) = 0;
  // The working tree or its git directory went away; the host unregisters the repository.
  virtual void repo_gone(const std::string& path, const std::string& reason) = 0;
  virtual const std::vector<std::string>& overrides() const = 0;
  // What every repository's sessions used since local midnight, except session
  // `except_session` of `asking` (daily budgets).
  virtual review::Usage used_today(RepoService& asking, std::int64_t except_session) = 0;
};

class RepoService : public SessionHost {
 public:
  // Opens the repository containing `dir`, loads its configuration (refusing a .gavel.toml
  // that defines agents) and its state store (which marks interrupted rounds). Errors:
  // not_a_repository, bare_repository, config, corrupt, conflict, io.
  static Result<std::unique_ptr<RepoService>> open(boost::asio::any_io_executor io, RepoHost& host,
                                                   const std::string& dir);
  ~RepoService() override;

  // Starts watching and, once the watcher is ready (every directory watched, or polling),
  // takes a first snapshot: a change present now (or a session the daemon was running when it
  // stopped) is reviewed, and no write between start() and the watches is missed.
  Result<void> start();
  // Stops watching and cancels the session (`interrupted`: the daemon is stopping).
  void stop(bool interrupted);
  // No run, snapshot, patch or slot request in flight: safe to destroy.
  bool idle() const;
  // SIGHUP: reloads the configuration; an invalid one is returned and the old one kept.
  Result<void> reload_config();
  void slot_granted();

  const std::string& path() const noexcept { return m_path; }
  const std::string& tag() const noexcept { return m_tag; }
  bool session_running() const;
  std::optional<std::string> current_session_id() const;
  const config::Config& config() const noexcept { return m_config; }
  // Usage of this repository's rounds started at or after `since_ms`, except `except_session`'s.
  review::Usage usage_since(std::int64_t since_ms, std::int64_t except_session);

  // Commands (repo_queries.cpp).
  Result<protocol::SessionSummary> start_review(const protocol::ReviewStartRequest& req);
  Result<protocol::SessionSummary> cancel_review(std::int64_t session_id);
  Result<std::vector<protocol::SessionSummary>> sessions();
  Result<protocol::SessionShowResponse> show_session(std::int64_t session_id);
  Result<std::vector<protocol::FindingSummary>> findings(protocol::FindingFilter filter);
  Result<protocol::FindingShowResponse> show_finding(std::int64_t session_id, const std::string& id);
  Result<protocol::FindingSummary> decide(std::int64_t session_id, const protocol::DecideRequest& req);
  Result<protocol::GateCheckResponse> gate(const std::string& fingerprint);

  // SessionHost
  void publish(const protocol::Event& event) override { m_host.publish(event); }
  void session_run_finished(ActiveSession& session, Result<loop::SessionOutcome> outcome) override;
  void session_escalated(const std::string& message) override;

 private:
  RepoService(boost::asio::any_io_executor io, RepoHost& host);
  void resume_or_replace(const SessionRecord& latest);
  void on_change(const WatchChange& change);
  void request_snapshot();
  void on_snapshot(Result<git::Snapshot> snapshot);
  void snapshot_after_settle();
  // repo_session_start.cpp
  // `except_session`: the session being resumed, whose own usage the prior state carries.
  Result<SessionParams> session_params(const std::string& reviewer, const std::string& implementer,
                                       review::DiffKind kind, const std::string& intent,
                                       std::int64_t except_session = 0);
  Result<void> remembered_suppressions(SessionParams& params);
  // `first`: the snapshot the session starts with (the watcher's); empty: it takes its own.
  Result<std::unique_ptr<ActiveSession>> new_session(const protocol::ReviewStartRequest& req,
                                                     std::optional<git::Snapshot> first = {});
  // Makes `record` the current session again; it runs after the next snapshot that finds no
  // merge, rebase, ... in progress.
  Result<void> resume(const SessionRecord& record);
  void after_stored_decision(std::int64_t session_id);
  void lapse_stored_suppressions(std::int64_t session_id, const std::string& finding_id);
  void want_run();
  void settle_patch(ActiveSession& session, const loop::SessionOutcome& outcome);
  protocol::SessionSummary summary_of(ActiveSession& session);

  boost::asio::any_io_executor m_io;
  RepoHost& m_host;
  std::string m_path;  // working tree, no trailing '/'
  std::string m_gitdir;
  std::string m_tag;
  config::Config m_config;
  std::optional<StateStore> m_store;
  std::unique_ptr<RepoWatcher> m_watcher;
  std::optional<SnapshotSource> m_snapshots;
  std::unique_ptr<ActiveSession> m_session;
  std::string m_last_fingerprint;  // of the last snapshot acted on
  std::string m_waiting_on;        // the operation reviews wait for ("merge"), or empty
  // Until the watcher reports a (settled) change, a new fingerprint must be seen twice, one
  // settle period apart, before a session starts: the first snapshot after start() may catch
  // an edit in progress.
  bool m_settled = false;
  static constexpr int k_snapshot_retries = 5;  // consecutive failed snapshots retried
  int m_snapshot_failures = 0;
  std::string m_candidate;
  boost::asio::steady_timer m_settle_timer;
  bool m_snapshot_again = false;
  bool m_slot_requested = false;
  bool m_has_slot = false;
  bool m_run_wanted = false;
  int m_pool_tasks = 0;  // patch applications in flight
  bool m_stopped = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace gavel::daemon
