#pragma once
// RepoState: what the repository is in the middle of, and where HEAD points.
//
// Read by the daemon before a review (reviews wait while an operation is in progress) and
// shown by `gavel snapshot`. Pure reads of HEAD and of the state files git leaves in the git
// directory (MERGE_HEAD, rebase-merge/, CHERRY_PICK_HEAD, REVERT_HEAD, BISECT_LOG, ...).

#include "base/error.hpp"

#include <string>

struct git_repository;

namespace gavel::git {

enum class Operation {
  none,
  merge,
  rebase,         // any rebase, interactive or not
  apply_mailbox,  // git am
  cherry_pick,    // single or sequence
  revert,         // single or sequence
  bisect,
};

// Stable snake_case name of `op` ("none", "merge", "cherry_pick", ...).
const char* to_string(Operation op) noexcept;

struct RepoState {
  Operation operation = Operation::none;
  bool unborn = false;    // HEAD names a branch with no commit yet
  bool detached = false;  // HEAD names a commit directly
  std::string branch;     // short branch name ("main"); empty when detached
  std::string head_commit;  // hex commit id; empty when unborn

  // True while git is in the middle of an operation: a review must wait.
  bool busy() const noexcept { return operation != Operation::none; }
};

// Reads the state of `repo` (a non-bare repository).
Result<RepoState> read_repo_state(git_repository* repo);

}  // namespace gavel::git
