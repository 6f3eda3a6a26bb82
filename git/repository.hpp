#pragma once
// Repository: an open, non-bare git repository found from any directory inside its working
// tree (linked worktrees included), with its failures mapped to gavel errors.
//
// Called by SnapshotReader (and tests) on the thread that runs snapshots. Owns the libgit2
// repository handle. Never writes: no lock files, no index refresh, no config change.
// Environment variables such as GIT_DIR are ignored: the daemon must not depend on whoever
// started it.

#include "git/libgit2.hpp"

#include "base/error.hpp"

#include <filesystem>
#include <string>

namespace gavel::git {

class Repository {
 public:
  // Opens the repository containing `dir`, searching upward like git does.
  // Errors: not_a_repository (no repository above `dir`, or `dir` does not exist),
  // bare_repository, corrupt (HEAD or configuration cannot be read), git (other). The index
  // is not loaded: see check_index().
  static Result<Repository> open(const std::filesystem::path& dir);

  // Reads the index file once (not kept) to tell whether it parses. Errors: corrupt. A missing
  // index (a fresh repository) is fine.
  Result<void> check_index() const;

  git_repository* raw() const noexcept { return m_repo.get(); }
  // Absolute working tree directory, with a trailing '/'.
  const std::string& workdir() const noexcept { return m_workdir; }
  // The repository's private directory (.git, or .git/worktrees/<name> for a linked worktree).
  const std::string& gitdir() const noexcept { return m_gitdir; }
  // Path of the index file this working tree uses.
  const std::string& index_path() const noexcept { return m_index_path; }

 private:
  RepositoryPtr m_repo;
  std::string m_workdir;
  std::string m_gitdir;
  std::string m_index_path;
};

}  // namespace gavel::git
