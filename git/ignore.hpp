#pragma once
// IgnoreRules: does git ignore this path? Asked by the daemon's repository watcher
// (daemon/watcher*.cpp) for every directory it would watch and every file an event names, so
// that writes to ignored files (build/, *.o) never start a review.
//
// A path counts as ignored when .gitignore, .git/info/exclude or core.excludesFile ignore it
// AND the index tracks nothing there (a force-added file, or a directory holding one, is not
// ignored: its changes are part of the diff). Decisions are cached per path until invalidate().
//
// Threads: synchronous, like all of git/. One thread at a time (the watcher hands it from its
// start-up thread to the io thread). Never writes: the repository is opened without loading
// its index; the index file is read on demand with git_index_open (no lock) and released by
// trim(), as are the cached decisions and libgit2's ignore-file cache, so an idle watcher holds
// little more than the open repository.

#include "base/error.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct git_repository;
struct git_index;

namespace gavel::git {

enum class PathKind { file, directory };

class IgnoreRules {
 public:
  // Opens the repository whose working tree is `workdir` (searching upward like git).
  // Errors: not_a_repository, bare_repository, git.
  static Result<IgnoreRules> open(const std::filesystem::path& workdir);

  IgnoreRules(IgnoreRules&&) noexcept;
  IgnoreRules& operator=(IgnoreRules&&) noexcept;
  ~IgnoreRules();

  // `rel`: repository-relative, '/'-separated, no leading or trailing '/'. True when git
  // ignores it and the index tracks nothing at or below it. A libgit2 failure answers false
  // (watching too much is safe; missing a change is not).
  bool ignored(std::string_view rel, PathKind kind);

  // Forgets cached decisions: call when a .gitignore, info/exclude or the index changed.
  void invalidate();
  // Releases what answering cost: the index copy loaded for tracked-path checks, the cached
  // decisions and libgit2's parsed ignore files (kept until then so a burst of events reads
  // them once). Call when quiet: after a scan, after a settled batch.
  void trim();

  // Absolute working tree and git directory (private to this worktree), each ending in '/'.
  const std::string& workdir() const noexcept { return m_workdir; }
  const std::string& gitdir() const noexcept { return m_gitdir; }
  // The directory shared by all worktrees (refs, packed-refs, info/); equals gitdir() for the
  // main worktree.
  const std::string& commondir() const noexcept { return m_commondir; }

 private:
  IgnoreRules() = default;
  bool tracked(const std::string& rel, PathKind kind);

  struct RepoFree {
    void operator()(git_repository* r) const noexcept;
  };
  struct IndexFree {
    void operator()(git_index* i) const noexcept;
  };
  std::unique_ptr<git_repository, RepoFree> m_repo;
  std::unique_ptr<git_index, IndexFree> m_index;
  std::string m_workdir;
  std::string m_gitdir;
  std::string m_commondir;
  std::string m_index_path;
  std::unordered_map<std::string, bool> m_cache;  // "d:" or "f:" + rel -> ignored
};

}  // namespace gavel::git
