#pragma once
// loop::SessionRunner: runs one review session, from the developer's snapshot to a verdict.
//
// Who calls it: `gavel review --once` and `gavel demo` (one session, then exit) and the daemon
// (one runner per session, fed newer snapshots and human decisions). It lives on one executor
// and is used from that executor's thread only: nothing here locks.
//
// What it does: it is the one place that joins git (snapshots, the scratch worktree), prompts
// and chunking, the agents, the output parser and location checks with the pure convergence
// machine (review::Convergence). The machine decides everything; the runner carries out its
// actions and feeds back what happened (docs/loop.md):
//   StartAgent(reviewer)    render one prompt per chunk of the diff, run the reviewer on each,
//                           merge, parse, check locations -> ReviewerReported | AgentFailed
//   StartAgent(implementer) in the cycle's scratch worktree (created from the developer's
//                           snapshot at the first implementer turn), parse, snapshot the scratch
//                           tree -> ImplementerReported | AgentFailed
//   CancelAgent             stop that run (its late result is ignored)
//   while an agent runs     a Tick about every second (wall-clock budgets)
//
// What it owns: the machine, its agents (shared: the daemon may reuse them), a reader of the
// developer's repository, and the cycle's scratch tree (removed with the runner).
// What it never does: write to the developer's working tree, index or refs. The proposed fix is
// returned as a patch (SessionOutcome::proposed_patch); applying it is the caller's job.
//
// Lifetime: destroy the runner only when run() is not in progress (after it returned, or after
// cancel() and run() returned).

#include "loop/session_types.hpp"

#include "agents/agent.hpp"
#include "base/error.hpp"
#include "git/scratch.hpp"
#include "git/snapshot.hpp"
#include "review/convergence.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::loop {

class SessionRunner {
 public:
  // `implementer` may be null when `setup.policy.implementer` is disabled. `observer` may be
  // null; it must outlive the runner.
  SessionRunner(boost::asio::any_io_executor executor, SessionSetup setup,
                std::shared_ptr<agents::Agent> reviewer,
                std::shared_ptr<agents::Agent> implementer, SessionObserver* observer = nullptr);
  SessionRunner(const SessionRunner&) = delete;
  SessionRunner& operator=(const SessionRunner&) = delete;
  ~SessionRunner();

  // First call: opens the repository, refuses (Errc::conflict, naming it) while a merge,
  // rebase, am, cherry-pick, revert or bisect is in progress, takes the snapshot (with file
  // contents; or uses SessionSetup::first_snapshot) and feeds it. Every call then carries out actions until the verdict is final or
  // awaiting_human and no agent is running. Call it again after decide() (awaiting_human, or
  // arbitration of an escalated/blocked session) to continue. Errors: the repository's
  // (not_a_repository, bare_repository, ...), conflict (operation in progress), cancelled
  // (cancel()), invalid_argument (already running).
  boost::asio::awaitable<Result<SessionOutcome>> run();

  // A human's decision on a finding (HumanDecided). The machine refusing it (unknown id,
  // illegal move) is the error. Allowed while run() is in progress or between calls; what the
  // decision starts is carried out by run().
  Result<void> decide(std::string_view finding_id, review::Decision decision, std::string reason,
                      std::string actor);

  // A newer snapshot of the developer's tree (taken with SnapshotOptions::Contents::new_text
  // from the same repository, e.g. by the daemon's watcher): starts a new cycle; a running
  // agent is cancelled. Before run() has opened the repository it replaces
  // SessionSetup::first_snapshot: the session will start with it.
  Result<void> snapshot_changed(git::Snapshot snapshot);

  // Stops everything: running agents are cancelled and run() returns Errc::cancelled once
  // they have finished. Further run() calls return cancelled too.
  void cancel();

  bool running() const noexcept { return m_running; }
  const review::SessionState& state() const { return m_machine.state(); }
  const review::Convergence& machine() const { return m_machine; }
  // The outcome so far (verdict in_progress while running).
  SessionOutcome outcome() const;

 private:
  // A tree an agent works on: the developer's or a scratch tree's snapshot.
  struct Tree {
    std::shared_ptr<git::SnapshotReader> reader;
    git::Snapshot snapshot;
    std::string root;  // canonical absolute working tree, no trailing '/'
    std::shared_ptr<git::ScratchTree> scratch;  // keeps the scratch tree alive; null: developer's
  };
  // What a turn produced: the event to feed (none when it was cancelled) and, for an
  // implementer, the scratch tree's new snapshot (registered only if the run is still current).
  struct TurnResult {
    std::optional<review::Event> event;
    std::shared_ptr<const Tree> tree;
  };
  struct Live {
    std::shared_ptr<boost::asio::cancellation_signal> signal;
    bool cancelled = false;
  };

  Result<void> open_and_snapshot();
  Result<std::shared_ptr<Tree>> make_tree(std::shared_ptr<git::SnapshotReader> reader,
                                          git::Snapshot snapshot,
                                          std::shared_ptr<git::ScratchTree> scratch) const;
  void feed(review::Event event);
  void execute(const review::Action& action);
  void start_turn(const review::StartAgent& start);
  void cancel_run(std::uint64_t run_id);
  void wake();
  bool settled() const;
  void finish_turn(std::uint64_t run_id, const review::StartAgent& start, std::exception_ptr error,
                   TurnResult result);

  // session_turns.cpp
  boost::asio::awaitable<TurnResult> turn(review::StartAgent start,
                                          std::shared_ptr<const Tree> tree);
  boost::asio::awaitable<TurnResult> review_turn(const review::StartAgent& start,
                                                 std::shared_ptr<const Tree> tree);
  // session_implement.cpp
  boost::asio::awaitable<TurnResult> implement_turn(const review::StartAgent& start,
                                                    std::shared_ptr<const Tree> tree);
  void report_finished(const review::StartAgent& start, const std::string& agent,
                       std::chrono::steady_clock::time_point started, review::Usage usage,
                       std::optional<review::FailureKind> kind, std::string failure) const;
  // A failed turn: reported to the observer, then fed to the machine as AgentFailed.
  TurnResult turn_failed(const review::StartAgent& start, const std::string& agent,
                         std::chrono::steady_clock::time_point started, review::Usage usage,
                         review::FailureKind kind, std::string message,
                         std::chrono::milliseconds retry_after = {}) const;
  // The agent's own failure: its usage is added to `usage`; a cancelled run gives no event.
  TurnResult agent_failed(const review::StartAgent& start, const std::string& agent,
                          std::chrono::steady_clock::time_point started, review::Usage& usage,
                          const agents::AgentFailure& failure) const;
  // The cycle's scratch tree; `fresh`: a new copy of the developer's snapshot even if one
  // exists (a retried first implementer turn must not see a failed attempt's edits).
  Result<std::shared_ptr<git::ScratchTree>> scratch_for_cycle(bool fresh);

  boost::asio::any_io_executor m_executor;
  SessionSetup m_setup;
  std::shared_ptr<agents::Agent> m_reviewer;
  std::shared_ptr<agents::Agent> m_implementer;
  SessionObserver* m_observer;
  review::Convergence m_machine;

  std::shared_ptr<git::SnapshotReader> m_reader;  // the developer's repository
  std::shared_ptr<Tree> m_developer;              // this cycle's developer snapshot
  std::map<std::string, std::shared_ptr<const Tree>> m_trees;  // by fingerprint
  std::shared_ptr<git::ScratchTree> m_scratch;
  int m_scratch_cycle = 0;
  std::int64_t m_last_tick_ms = 0;

  std::deque<review::Event> m_events;     // results of finished turns, in order
  std::deque<review::Action> m_pending;   // actions not carried out yet
  std::map<std::uint64_t, Live> m_live;   // turns in flight, by run id
  boost::asio::steady_timer m_wake;
  bool m_started = false;
  bool m_running = false;
  bool m_cancelled = false;
};

}  // namespace gavel::loop
