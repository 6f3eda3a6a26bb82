#pragma once
// Registry: the repositories gaveld watches, persisted as JSON so a restart re-watches them.
//
// Who calls it: the orchestrator, on the io thread (repo.add, repo.remove, a repository that is
// gone, startup). File: <state dir>/repos.json, {"version": 1, "repos": ["/abs/worktree", ...]},
// rewritten atomically (temp file in the same directory, fsync, rename) on every change, so a
// crash leaves the old or the new list, never a torn one. Paths are working-tree roots without
// a trailing '/'. It never checks that a path is still a repository: the orchestrator does.

#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::daemon {

class Registry {
 public:
  static constexpr const char* k_file_name = "repos.json";

  // Reads `dir`/repos.json (a missing file is an empty registry; `dir` is created 0700).
  // Errc::parse for a file that is not a registry (it is left as is).
  static Result<Registry> load(const std::filesystem::path& dir);

  const std::vector<std::string>& repos() const noexcept { return m_repos; }
  bool contains(const std::string& path) const;

  // Adds or removes `path` and saves; adding a present path or removing an absent one only
  // saves nothing. Errc::io when the file cannot be written (the list in memory is unchanged).
  Result<void> add(const std::string& path);
  Result<void> remove(const std::string& path);

  const std::filesystem::path& file() const noexcept { return m_file; }

 private:
  Result<void> save(const std::vector<std::string>& repos) const;

  std::filesystem::path m_file;
  std::vector<std::string> m_repos;
};

}  // namespace gavel::daemon
