#pragma once
// The values a session runner (loop/session_runner.hpp) is started with and reports: its setup,
// its outcome, and the observer interface through which callers follow it.
//
// Who uses them: `gavel review --once` and `gavel demo` (printing progress), the daemon
// (persisting Persist actions, publishing verdicts). Plain values plus one interface; no IO.

#include "git/snapshot.hpp"
#include "review/changeset.hpp"
#include "review/convergence.hpp"
#include "review/convergence_types.hpp"
#include "review/policy.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gavel::loop {

struct SessionSetup {
  std::filesystem::path repo;  // any directory inside the developer's working tree
  review::DiffKind kind = review::DiffKind::worktree;
  std::string intent;  // story or spec text both agents are given; may be empty
  review::LoopPolicy policy;
  std::int64_t max_request_bytes = 256 * 1024;  // diff bytes per reviewer request; 0: no limit
  // Prompt templates (the text of the user's file); empty: the built-in ones (review/prompt.hpp).
  std::string reviewer_template;
  std::string implementer_template;
  // Wall clock per agent call (each chunk of a review is one call). Callers pass the agent
  // spec's `timeout`; the process adapter also applies its own.
  std::chrono::milliseconds reviewer_timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds implementer_timeout{std::chrono::minutes(10)};
  // Where scratch worktrees are created; empty: the system temp directory.
  std::filesystem::path scratch_parent;
  review::IdSeed seed;
  // What the session starts with: the findings and usage of a session being resumed (the
  // daemon restarted while it ran) and the suppressions the repository remembers. Its
  // intent is ignored (`intent` above is used); `seed` must start past its finding ids.
  review::SessionState prior;
  // The developer's snapshot to start with, when the caller already took it (the daemon's
  // watcher did, with SnapshotOptions::Contents::new_text and this `kind`); empty: run()
  // takes one. Saves a second walk of the tree at the start of every session.
  std::optional<git::Snapshot> first_snapshot;
};

// How a session ended (or paused: awaiting_human).
struct SessionOutcome {
  review::Verdict verdict = review::Verdict::in_progress;
  std::optional<review::EscalationReason> escalation;
  std::string summary;
  std::string snapshot;  // fingerprint of the developer's snapshot this cycle reviewed
  // Unified diff from the developer's snapshot to the scratch tree's final state; empty when
  // the implementer changed nothing. Never applied by the runner.
  std::string proposed_patch;
  // Why there is no proposed_patch although the implementer worked (the scratch tree changed
  // after its last review, or could not be read); empty otherwise.
  std::string patch_error;
};

// One agent call starting (a chunked review starts once per turn, not per chunk).
struct TurnStarted {
  std::uint64_t run_id = 0;
  review::Role role = review::Role::reviewer;
  int round = 0;
  int attempt = 1;
  std::string agent;
  std::size_t requests = 1;  // reviewer: chunks of the diff; implementer: 1
};

struct TurnFinished {
  std::uint64_t run_id = 0;
  review::Role role = review::Role::reviewer;
  int round = 0;
  int attempt = 1;
  std::string agent;
  std::chrono::milliseconds duration{0};
  review::Usage usage;
  bool ok = false;
  std::optional<review::FailureKind> failure_kind;  // unset when ok or cancelled
  std::string failure;  // "timeout: ..." etc.; "cancelled" when the run was stopped
};

// Implemented by the caller; called on the runner's executor, between steps, never re-entered.
// Callbacks must not call back into the runner except to read state().
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  // Every batch the convergence machine returned, with its state right after: persist what
  // Persist names, show PublishVerdict / Escalate / Notify.
  virtual void on_actions(const std::vector<review::Action>& /*actions*/,
                          const review::SessionState& /*state*/) {}
  virtual void on_turn_started(const TurnStarted& /*turn*/) {}
  virtual void on_turn_finished(const TurnFinished& /*turn*/) {}
};

}  // namespace gavel::loop
