#include "daemon/repo_service.hpp"

#include "daemon/notify.hpp"

#include "agents/agent_factory.hpp"
#include "daemon/log_setup.hpp"
#include "daemon/views.hpp"
#include "git/repository.hpp"
#include "git/worktree_apply.hpp"
#include "loop/loop_policy.hpp"
#include "loop/repo_config.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <fstream>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace fs = std::filesystem;

RepoService::RepoService(asio::any_io_executor io, RepoHost& host)
    : m_io(io), m_host(host), m_settle_timer(io) {}

RepoService::~RepoService() {
  *m_alive = false;
  if (m_watcher) m_watcher->stop();
}

Result<std::unique_ptr<RepoService>> RepoService::open(asio::any_io_executor io, RepoHost& host,
                                                       const std::string& dir) {
  auto repo = git::Repository::open(dir);
  if (!repo) return repo.error();
  if (auto index = repo->check_index(); !index) return index.error();  // refused at repo.add
  std::unique_ptr<RepoService> svc(new RepoService(io, host));
  svc->m_path = repo->workdir();
  while (svc->m_path.size() > 1 && svc->m_path.back() == '/') svc->m_path.pop_back();
  svc->m_gitdir = repo->gitdir();
  svc->m_tag = repo_tag(svc->m_path);
  auto config = loop::load_config(svc->m_path, host.overrides());
  if (!config) return config.error();
  svc->m_config = std::move(*config);
  const fs::path state_dir = fs::path(svc->m_gitdir) / "gavel";
  auto store = StateStore::open(state_dir);
  if (!store && store.error().code == Errc::corrupt) {
    auto moved = StateStore::quarantine(state_dir, std::chrono::system_clock::now());
    log("repo")->error("{}: the state store is damaged ({}); moved aside to {}", svc->m_path,
                       store.error().message, moved ? moved->string() : moved.error().message);
    store = StateStore::open(state_dir);
  }
  if (!store) return store.error();
  svc->m_store.emplace(std::move(*store));
  for (const auto& r : svc->m_store->recovered()) {
    log("repo")->warn("{}: round {} of session {} was interrupted when gaveld stopped",
                      svc->m_path, r.start.number, session_wire_id(r.start.session_id, svc->m_tag));
  }
  svc->m_snapshots.emplace(io, host.pool(), svc->m_path, svc->m_config.daemon.quiet_read,
                           [raw = svc.get()] {
    if (!raw->m_stopped) raw->request_snapshot();
  });
  return svc;
}

Result<void> RepoService::start() {
  auto latest = m_store->latest_session(m_path);
  if (!latest) return latest.error();
  const bool resumable = *latest && is_resumable_state((*latest)->state);
  if (*latest && !resumable) m_last_fingerprint = (*latest)->fingerprint;
  RepoWatcherOptions options;
  options.settle = m_config.review.settle;
  options.max_wait = std::max<std::chrono::milliseconds>(20 * m_config.review.settle,
                                                         std::chrono::seconds(10));
  options.poll_interval = m_config.daemon.poll_interval;
  options.scan_executor = m_host.pool();
  RepoWatcherCallbacks callbacks;
  callbacks.on_change = [this](WatchChange change) { on_change(change); };
  // The first snapshot waits until no change can be missed: watches in place, or the
  // polling baseline taken.
  callbacks.on_ready = [this] {
    m_snapshots->read_whole_next();  // a snapshot taken before the watches existed may miss writes
    request_snapshot();
  };
  callbacks.on_degraded = [this](const std::string& why) {
    log("repo")->warn("{}: polling instead of inotify: {}", m_path, why);
    m_snapshots->read_whole_next();
    request_snapshot();
  };
  callbacks.on_gone = [this](const std::string& why) {
    asio::post(m_io, [this, alive = m_alive, why] {
      if (*alive) m_host.repo_gone(m_path, why);
    });
  };
  m_watcher = std::make_unique<RepoWatcher>(m_io, m_path, options, std::move(callbacks));
  if (auto r = m_watcher->start(); !r) return r;
  log("repo")->info("{}: watching (settle {} ms)", m_path, m_config.review.settle.count());
  if (resumable) resume_or_replace(**latest);
  return {};
}

// The session the daemon was running when it stopped continues; if it cannot (its agents are
// no longer configured, say), it is recorded cancelled and the change is reviewed afresh.
void RepoService::resume_or_replace(const SessionRecord& latest) {
  auto resumed = resume(latest);
  if (resumed) return;
  SessionRecord rec = latest;
  rec.state = "cancelled";
  rec.verdict_reason = "gaveld stopped while this session ran and could not resume it (" +
                       resumed.error().message + "); a new session reviews the change";
  rec.updated_at_ms = now_ms();
  if (auto r = m_store->update_session(rec); !r) {
    log("repo")->error("{}: cannot save session {}: {}", m_path, session_wire_id(rec.id, m_tag),
                       r.error().message);
  }
  log("repo")->warn("{}: {}", m_path, rec.verdict_reason);
}

void RepoService::stop(bool interrupted) {
  m_stopped = true;
  m_settle_timer.cancel();
  if (m_watcher) m_watcher->stop();
  if (m_session && m_session->in_run()) m_session->cancel(interrupted);
}

review::Usage RepoService::usage_since(std::int64_t since_ms, std::int64_t except_session) {
  auto used = m_store->usage_since(since_ms, except_session);
  if (!used) {
    log("repo")->warn("{}: cannot read today's usage: {}", m_path, used.error().message);
    return {};
  }
  return review::Usage{used->tokens_in, used->cost_usd};
}

bool RepoService::idle() const {
  return !m_snapshots->in_flight() && m_pool_tasks == 0 && !(m_session && m_session->in_run()) &&
         !m_slot_requested && !m_has_slot;
}

Result<void> RepoService::reload_config() {
  auto config = loop::load_config(m_path, m_host.overrides());
  if (!config) return config.error();
  m_config = std::move(*config);
  m_snapshots->set_quiet(m_config.daemon.quiet_read);
  return {};
}

bool RepoService::session_running() const {
  return m_session && !is_final_state(m_session->record().state);
}

std::optional<std::string> RepoService::current_session_id() const {
  if (!m_session) return std::nullopt;
  return m_session->wire_id();
}

void RepoService::on_change(const WatchChange& change) {
  if (m_stopped) return;
  log("repo")->debug("{}: changed ({} paths{}{})", m_path, change.paths.size(),
                     change.full ? ", full" : "", change.git_state_changed ? ", git state" : "");
  m_settled = true;
  m_snapshots->changed(change);
  request_snapshot();
}

// Whole-tree snapshots, read only where the watcher saw changes once one was taken
// (SnapshotSource; docs/daemon.md "Scheduling").
void RepoService::request_snapshot() {
  if (m_snapshots->in_flight()) {
    m_snapshot_again = true;
    return;
  }
  m_snapshots->take([this](Result<git::Snapshot> snapshot) { on_snapshot(std::move(snapshot)); });
}

void RepoService::snapshot_after_settle() {
  m_settle_timer.expires_after(m_config.review.settle);
  m_settle_timer.async_wait([this, alive = m_alive](const boost::system::error_code& ec) {
    if (!ec && *alive && !m_stopped) request_snapshot();
  });
}

void RepoService::on_snapshot(Result<git::Snapshot> snapshot) {
  if (m_stopped) return;
  if (m_snapshot_again) {
    m_snapshot_again = false;
    request_snapshot();
    return;
  }
  if (!snapshot) {
    // Often the tree changed while it was read (an editor still writing): look again after the
    // settle period, a few times, rather than wait for a change that may already have happened.
    const bool retry = ++m_snapshot_failures <= k_snapshot_retries;
    log("repo")->warn("{}: cannot take a snapshot: {}{}", m_path, snapshot.error().message,
                      retry ? "; trying again" : "; waiting for the next change");
    if (retry) snapshot_after_settle();
    return;
  }
  m_snapshot_failures = 0;
  if (snapshot->state.busy()) {
    std::string op = git::to_string(snapshot->state.operation);
    if (m_waiting_on != op) log("repo")->info("{}: a {} is in progress; no review until it ends", m_path, op);
    m_waiting_on = op;
    return;
  }
  if (!m_waiting_on.empty()) log("repo")->info("{}: the {} ended", m_path, m_waiting_on);
  m_waiting_on.clear();
  const std::string fingerprint = snapshot->changes.fingerprint;
  if (fingerprint == m_last_fingerprint) return;
  const bool in_session = m_session && !is_final_state(m_session->record().state);
  if (!m_settled && !in_session && !snapshot->changes.files.empty() && m_candidate != fingerprint) {
    m_candidate = fingerprint;  // seen once: look again after the settle period
    snapshot_after_settle();
    return;
  }
  m_candidate.clear();
  m_last_fingerprint = fingerprint;
  const bool live = m_session && !m_session->staged() && !m_session->cancelled() &&
                    !is_final_state(m_session->record().state);
  // An empty diff starts nothing; only a resumed session that has not run yet takes it (and
  // ends "no uncommitted change" unless something blocks).
  if (snapshot->changes.files.empty() && !(live && !m_session->started())) {
    log("repo")->debug("{}: no uncommitted change to review", m_path);
    return;
  }
  if (live) {
    // A session that has not started yet starts with this snapshot.
    if (m_session->started()) {
      log("repo")->info("{}: the tree changed; {} reviews the new snapshot", m_path,
                        m_session->wire_id());
    }
    if (auto r = m_session->snapshot_changed(std::move(*snapshot)); !r) {
      log("repo")->warn("{}: {}", m_path, r.error().message);
    }
    if (!m_session->in_run()) want_run();
    return;
  }
  // A staged session that has not started takes its own snapshot when it does.
  if (m_session && !m_session->started() && !m_session->cancelled()) {
    if (!m_session->in_run()) want_run();
    return;
  }
  if (m_session && m_session->in_run()) {  // a staged or cancelled run is still stopping
    m_last_fingerprint.clear();
    return;
  }
  auto session = new_session(protocol::ReviewStartRequest{}, std::move(*snapshot));
  if (!session) {
    log("repo")->error("{}: cannot start a review: {}", m_path, session.error().message);
    return;
  }
  m_session = std::move(*session);
  want_run();
}

void RepoService::want_run() {
  m_run_wanted = true;
  if (m_has_slot) {
    slot_granted();
  } else if (!m_slot_requested) {
    m_slot_requested = true;
    m_host.request_slot(*this);
  }
}

void RepoService::slot_granted() {
  m_slot_requested = false;
  m_has_slot = true;
  if (m_stopped || !m_session || !m_run_wanted || m_session->in_run() || m_session->cancelled()) {
    m_run_wanted = false;
    m_has_slot = false;
    m_host.release_slot(*this);
    return;
  }
  m_run_wanted = false;
  m_session->start_run();
}

void RepoService::session_run_finished(ActiveSession& session, Result<loop::SessionOutcome> out) {
  if (m_has_slot) {
    m_has_slot = false;
    m_host.release_slot(*this);
  }
  SessionRecord& rec = session.record();
  if (!out) {
    if (out.error().code == Errc::cancelled) {
      rec.state = session.interrupted() ? "interrupted" : "cancelled";
    } else {
      rec.state = "cancelled";
      rec.verdict_reason = out.error().message;
      log("session")->warn("{}: {}", session.wire_id(), out.error().message);
      m_last_fingerprint.clear();  // e.g. a merge began: review again once it ends
    }
    session.save_record();
  } else {
    if (!out->snapshot.empty()) rec.fingerprint = out->snapshot;
    session.save_record();
    if (review::is_final(out->verdict)) settle_patch(session, *out);
  }
  if (m_stopped) return;
  if (&session == m_session.get() && !session.cancelled() &&
      session.state().verdict == review::Verdict::in_progress) {
    want_run();  // a snapshot or decision arrived as the run was returning
  }
  if (m_last_fingerprint.empty()) request_snapshot();
}

void RepoService::session_escalated(const std::string& message) {
  run_notify_command(m_io, m_config.daemon.notify_command, "gavel: review needs you",
                     m_path + ": " + message + " (run `gavel arbitrate`)");
}

}  // namespace gavel::daemon
