#pragma once
// ActiveSession: one review session the daemon is running in one repository. It owns the
// loop::SessionRunner and is its observer: every Persist action, round and verdict is written
// to the repository's StateStore and published as an event, on the io thread, before the
// runner takes its next step (docs/daemon.md "Sessions" and "Persistence").
//
// Who calls it: its RepoService (daemon/repo_service.hpp), on the daemon's single io_context
// thread; nothing locks. The RepoService decides when a run starts (it holds one of the
// daemon's agent slots for it) and destroys the session only while no run is in progress.
// What it never does: write the developer's tree (the RepoService applies a converged patch),
// or acknowledge a decision before the store returned.

#include "daemon/state_store.hpp"
#include "loop/session_runner.hpp"
#include "protocol/events.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace gavel::daemon {

class ActiveSession;

// What a session needs from its owner.
class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual void publish(const protocol::Event& event) = 0;
  // run() returned (verdict, awaiting_human, cancelled or an error).
  virtual void session_run_finished(ActiveSession& session, Result<loop::SessionOutcome> outcome) = 0;
  // The session deadlocked and waits for the human (after the event was published).
  virtual void session_escalated(const std::string& /*message*/) {}
};

struct SessionParams {
  SessionRecord record;  // as created in the store (id set)
  std::string tag;       // the repository's tag (daemon/views.hpp)
  loop::SessionSetup setup;
  std::shared_ptr<agents::Agent> reviewer;
  std::shared_ptr<agents::Agent> implementer;
  // The store's id of each suppression in setup.prior, by finding id (so that a lapse is
  // recorded on it and it is not stored twice).
  std::map<std::string, std::int64_t> stored_suppressions;
  int rounds_done = 0;  // a resumed session's completed rounds
};

class ActiveSession : public loop::SessionObserver {
 public:
  ActiveSession(boost::asio::any_io_executor io, SessionHost& host, StateStore& store,
                SessionParams params);
  ~ActiveSession() override;

  // Starts (or continues) runner.run() as a coroutine on the io thread; session_run_finished
  // follows. Only while !in_run().
  void start_run();
  bool in_run() const noexcept { return m_in_run; }
  bool started() const noexcept { return m_started; }
  bool staged() const noexcept { return m_setup_kind == review::DiffKind::staged; }

  // A newer developer snapshot: running rounds are recorded stale, the runner starts a cycle.
  Result<void> snapshot_changed(git::Snapshot snapshot);
  // A human's decision: the runner's machine takes it, the observer persists it; returns the
  // finding as stored. Errors: the machine's refusal, or the store's failure (not acknowledged).
  Result<review::Finding> decide(const std::string& finding_id, review::Decision decision,
                                 std::string reason, std::string actor);
  // Stops the agents. `interrupted`: the daemon is stopping (running rounds are recorded
  // interrupted, so a restart re-runs them); else the human cancelled.
  void cancel(bool interrupted);
  bool cancelled() const noexcept { return m_cancelled; }

  const review::SessionState& state() const { return m_runner->state(); }
  loop::SessionOutcome outcome() const { return m_runner->outcome(); }
  const review::LoopPolicy& policy() const noexcept { return m_policy; }
  SessionRecord& record() noexcept { return m_record; }
  std::int64_t id() const noexcept { return m_record.id; }
  std::string wire_id() const;
  const std::string& current_agent() const noexcept { return m_current_agent; }
  int rounds_done() const noexcept { return m_rounds_done; }
  bool interrupted() const noexcept { return m_interrupted; }

  // Writes the record (state, verdict, fingerprint) to the store; logs a failure.
  void save_record();

  // loop::SessionObserver (repo_persist.cpp)
  void on_actions(const std::vector<review::Action>& actions,
                  const review::SessionState& state) override;
  void on_turn_started(const loop::TurnStarted& turn) override;
  void on_turn_finished(const loop::TurnFinished& turn) override;

 private:
  struct LiveRound {
    std::int64_t db_id = 0;
    protocol::RoundSummary summary;
  };
  void persist_finding(const review::Finding& finding);
  void persist_suppressions(const review::SessionState& state);

  boost::asio::any_io_executor m_io;
  SessionHost& m_host;
  StateStore& m_store;
  SessionRecord m_record;
  std::string m_tag;
  review::LoopPolicy m_policy;
  review::DiffKind m_setup_kind;
  std::unique_ptr<loop::SessionRunner> m_runner;
  std::map<std::uint64_t, LiveRound> m_live;       // by the runner's run id
  std::map<std::string, std::size_t> m_logged;     // history entries in the decision log
  std::map<std::string, std::int64_t> m_suppressed;  // stored suppressions, by finding id
  std::set<std::string> m_lapsed;                    // finding ids whose lapse is stored
  std::string m_current_agent;
  int m_rounds_done = 0;
  bool m_in_run = false;
  bool m_started = false;
  bool m_cancelled = false;
  bool m_interrupted = false;
  bool m_persist_failed = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace gavel::daemon
