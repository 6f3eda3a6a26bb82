#pragma once
// ShadowIndex: an in-memory copy of the repository's index whose stat data gavel refreshes
// itself, so that libgit2's working-tree diff trusts touched-but-unchanged files without the
// index ever being written.
//
// Owned by a SnapshotReader; used on its thread only. Reads .git/index (never locks or writes
// it), lstat()s and hashes working-tree files. The copy has no file behind it, so libgit2
// skips its racy-git check on it; refresh() does that check itself (an entry whose mtime is
// not older than the index file is verified by content before it is trusted).

#include "git/libgit2.hpp"
#include "git/stat_cache.hpp"

#include "base/error.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace gavel::git {

class ShadowIndex {
 public:
  struct Stats {
    std::size_t reloads = 0;  // times the on-disk index was (re)read
    std::size_t hashed = 0;   // working-tree files hashed by refresh()
    std::size_t refreshed = 0;  // entries whose stat data refresh() brought up to date
  };

  ShadowIndex(git_repository* repo, std::string workdir, std::string index_path);

  // Re-reads the repository's index when the file changed since the last call.
  Result<void> sync();
  // Brings the stat data of the entries under `paths` (literal repository-relative files or
  // directories; all entries when empty) up to date with the working tree, hashing only files
  // whose stat is neither in the index nor in the stat cache.
  Result<void> refresh(const std::vector<std::string>& paths);

  git_index* get() const noexcept { return m_shadow.get(); }
  const Stats& stats() const noexcept { return m_stats; }

 private:
  void refresh_entry(const git_index_entry& e, std::int64_t now_ns);

  git_repository* m_repo;
  std::string m_workdir;
  std::string m_index_path;
  IndexPtr m_shadow;
  bool m_loaded = false;
  FileStamp m_index_stamp;  // lstat of the index file when it was last read
  bool m_filemode = true;   // core.filemode
  StatCache m_cache;
  Stats m_stats;
};

}  // namespace gavel::git
