#pragma once
// `gavel hook run` and `gavel hook post-commit`: what the installed git hooks call
// (docs/cli.md "gavel hook").
//
// run: takes the staged snapshot (HEAD vs the index git names in $GIT_INDEX_FILE, which is a
// temporary index for `git commit -a` and `git commit PATHS`), asks the daemon `gate.check`,
// waits for a running review (gate.wait_ms, progress on stderr), asks for one when the daemon
// has none of this exact content, and decides. Without a daemon, gate.no_daemon decides
// (inline: a reviewer-only loop in the foreground, because a hook must never change the files
// being committed; warn; fail). An infrastructure failure is told apart from a policy block and
// gate.infra_failure decides it. On pass the review record is saved for post-commit.
// post-commit: attaches the saved record to HEAD as a git note under refs/notes/gavel, but only
// when HEAD records exactly the change that was checked.
//
// Called by cli/hook_command.cpp on the command's thread; blocking.

#include "git/pending_note.hpp"
#include "git/staged_change.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::cli {

// Exit statuses of `gavel hook run`.
inline constexpr int k_gate_pass = 0;
inline constexpr int k_gate_block = 1;        // blocking findings, escalation, still pending
inline constexpr int k_gate_infra = 3;        // infrastructure failure, gate.infra_failure=closed
inline constexpr int k_gate_no_daemon = 69;   // no daemon, gate.no_daemon=fail

struct GateArgs {
  std::string dir = ".";
  std::vector<std::string> overrides;
};

int run_gate(const GateArgs& args);
int run_post_commit(const std::string& dir);

// --- shared by the gate's parts (hook_gate.cpp, hook_inline.cpp, hook_note.cpp) ---

// What was checked: the staged change's base, fingerprint and blobs (git/staged_change.hpp).
using StagedChange = git::StagedChange;

// The record for post-commit (git/pending_note.hpp).
using git::clear_pending_note;
using git::save_pending_note;

// Inline gate (gate.no_daemon = inline).
int run_inline_gate(const GateArgs& args, const StagedChange& change, bool infra_closed);

}  // namespace gavel::cli
