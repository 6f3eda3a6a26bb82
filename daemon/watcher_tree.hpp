#pragma once
// Walking a working tree for the repository watcher (daemon/watcher*.cpp): which directories
// to watch, which files a new directory already holds, and the stat fingerprints that stand in
// for inotify when the watch limit is reached (degraded mode).
//
// Asio-free and synchronous: the watcher runs it on its io thread for small subtrees and, when
// given a scan executor, on a thread pool for whole trees. It reads directory entries and
// lstat()s; it never opens a file's content, never follows a symlink, never enters `.git`
// (at any depth), a nested repository (a directory holding `.git`, e.g. a submodule), or a
// directory git ignores (IgnoreRules: ignored and nothing tracked below).

#include "git/ignore.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <string>

namespace gavel::daemon::watch {

enum class Visit { descend, skip, stop };

struct TreeVisitor {
  // Called for the start directory and every directory to be watched, before its entries are
  // read (so a watch added here sees every later change). `rel` is repository-relative ("" for
  // the root). Returning stop ends the whole walk.
  std::function<Visit(const std::string& rel, const struct stat& st)> on_dir;
  // Optional: every non-ignored regular file or symlink. Without it files are not lstat()ed.
  std::function<void(const std::string& rel, const struct stat& st)> on_file;
};

// Walks `root` (absolute, ending in '/') from `start_rel` ("" for the whole tree). Directories
// that vanish or cannot be read are skipped. Returns false when a visitor asked to stop.
bool walk_tree(const std::string& root, const std::string& start_rel, git::IgnoreRules& rules,
               const TreeVisitor& visitor);

// Repository-relative path of `name` in directory `dir_rel`.
std::string join_rel(const std::string& dir_rel, std::string_view name);

// What a poll sees: the tree's and the git state's stat fingerprints, or that the repository
// is gone.
struct PollSample {
  bool gone = false;
  std::string reason;      // when gone
  std::uint64_t work = 0;  // (path, mode, size, mtime, ctime, inode) of watched dirs and files
  std::uint64_t git = 0;   // HEAD, index, refs/heads, packed-refs, in-progress markers, exclude
};

// Takes one sample. `root_ino` is the root directory's inode when watching started: a different
// inode at the same path means the tree was moved away (and something else put there).
PollSample sample_repository(git::IgnoreRules& rules, ino_t root_ino);

}  // namespace gavel::daemon::watch
