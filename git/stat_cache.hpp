#pragma once
// StatCache: gavel's own memory of (path, stat) -> blob id for working-tree files.
//
// Why: git refreshes the stat data in its index when it notices a touched-but-unchanged file;
// gavel may not (that writes the index). Without a memory of its own, every touched file would
// be re-hashed on every snapshot, forever. Owned by one ShadowIndex, used on the snapshot
// thread only. Holds no handle; never touches the disk.

#include <git2/oid.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include <sys/stat.h>

namespace gavel::git {

// The parts of an lstat result that change when a file's content may have changed.
struct FileStamp {
  std::int64_t mtime_s = 0, mtime_ns = 0, ctime_s = 0, ctime_ns = 0;
  std::uint64_t ino = 0, dev = 0, size = 0;
  std::uint32_t mode = 0, uid = 0, gid = 0;

  static FileStamp of(const struct stat& st) noexcept;
  bool operator==(const FileStamp&) const = default;
};

class StatCache {
 public:
  // At most this many paths are remembered; past it the memory starts over (a cost, never
  // a wrong answer).
  static constexpr std::size_t k_max_entries = 1'000'000;

  // The blob id remembered for `path` when its stamp is still `stamp`.
  std::optional<git_oid> find(const std::string& path, const FileStamp& stamp) const;
  // Remembers `id` for `path` at `stamp`. The caller only remembers stamps that are not
  // racy (see ShadowIndex), so a later change to the file always changes its stamp.
  void remember(const std::string& path, const FileStamp& stamp, const git_oid& id);
  std::size_t size() const noexcept { return m_entries.size(); }

 private:
  struct Entry {
    FileStamp stamp;
    git_oid id;
  };
  std::unordered_map<std::string, Entry> m_entries;
};

}  // namespace gavel::git
