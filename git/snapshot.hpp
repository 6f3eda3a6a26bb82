#pragma once
// SnapshotReader: the uncommitted state of one repository, read without ever writing to it.
//
// A snapshot is the base commit (or the empty tree on an unborn branch) plus one of two diffs:
//   worktree - HEAD vs working tree, index included, untracked files shown as added unless
//              ignored (what the daemon reviews);
//   staged   - HEAD vs index (what `git commit` would record).
// Its patch text is byte-identical to `git diff HEAD` / `git diff --cached` (untracked files,
// which git leaves out, are rendered like `git diff --no-index /dev/null <file>`).
//
// Who calls: the daemon (daemon/snapshot_source.hpp: a one_shot reader per active repository,
// dropped when it goes quiet), the session runner and `gavel snapshot` (one reader each).
// Thread: any, but one at a time per reader; the reader is movable, not copyable, and holds no
// lock between calls. Owns the open repository and its loaded index; a long_running reader
// also an in-memory copy of the index and a stat cache (see docs/git.md), so a warm snapshot
// costs only the files that changed. Never writes: no index.lock, no index refresh, no objects.

#include "git/repo_state.hpp"

#include "base/error.hpp"
#include "review/changeset.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gavel::git {

struct SnapshotOptions {
  review::DiffKind kind = review::DiffKind::worktree;
  // Literal repository-relative paths (files or directories, '/'-separated, no globs) that
  // limit the snapshot; empty means the whole repository. For a watcher that knows what
  // changed. Renames are detected only among the paths given.
  std::vector<std::string> paths;
  enum class Contents { none, new_text };
  // new_text: fill FileDiff::new_text for every non-binary regular file that exists after
  // the change.
  Contents contents = Contents::none;
  // staged only: diff HEAD against this index file instead of the repository's own (what git
  // sets GIT_INDEX_FILE to for `git commit -a` / `git commit <paths>`: a temporary index). Read,
  // never written or locked. Empty: the repository's index.
  std::filesystem::path index_file;
};

// Where a whole snapshot found changes: what take_since() needs of it (a path per changed file,
// not its patches).
struct SnapshotScope {
  review::DiffKind kind = review::DiffKind::worktree;
  std::string base_commit;
  std::vector<std::string> paths;  // old and new path of every changed file; sorted, unique
};

struct Snapshot {
  review::Changeset changes;  // files in git's order; fingerprint set
  // Patch text per changes.files[i], as git prints it; concatenated by patch().
  std::vector<std::string> file_patches;
  RepoState state;
  std::vector<std::string> paths;  // the limit it was taken with; empty for the whole repo

  std::string patch() const;
  // For take_since(); meaningful only for a whole snapshot (empty `paths`).
  SnapshotScope scope() const;
};

// Counters for tests and benchmarks.
struct ReaderStats {
  std::size_t index_reloads = 0;  // times the on-disk index was re-read
  std::size_t files_hashed = 0;   // working-tree files hashed to check a stat change
  std::size_t stats_refreshed = 0;  // index entries whose stat data the reader refreshed
  std::size_t since_limited = 0;   // take_since() calls that read only their limit
};

// How long a reader lives, which decides how it treats the index.
enum class ReaderMode {
  // Kept open across many snapshots (the daemon): diffs against an in-memory copy of the index
  // whose stat data the reader refreshes itself, with a stat cache, so a touched file is hashed
  // once, not on every snapshot.
  long_running,
  // One or two snapshots, then exit (`gavel snapshot`): diffs against the repository's index
  // as loaded, with libgit2's own racy-git checks; no copy, no cache (cheaper to start).
  one_shot,
};

class SnapshotReader {
 public:
  // Opens the repository containing `dir`; the index is read by the first snapshot. Errors:
  // not_a_repository, bare_repository, corrupt (unreadable HEAD or objects), git.
  static Result<SnapshotReader> open(const std::filesystem::path& dir,
                                     ReaderMode mode = ReaderMode::long_running);

  SnapshotReader(SnapshotReader&&) noexcept;
  SnapshotReader& operator=(SnapshotReader&&) noexcept;
  ~SnapshotReader();

  // Takes a snapshot now. Errors: corrupt (an unreadable index, say), io, git; conflict when
  // the working tree kept changing while it was read (three attempts).
  Result<Snapshot> take(const SnapshotOptions& options = {});
  // The whole-tree snapshot (as take(options) would give: same files, patches, fingerprint),
  // reading only `changed` (every path that changed since the snapshot `since` describes was
  // taken) and the paths `since` lists. Reads the whole tree instead when that cannot be
  // equal: HEAD moved, another kind, a changed .gitattributes or .gitmodules, an empty limit
  // or more than 1,000 paths (docs/git.md "Snapshots since an earlier one"). options.paths
  // must be empty. Errors: as take(); invalid_argument for options.paths or index_file.
  Result<Snapshot> take_since(const SnapshotScope& since, const std::vector<std::string>& changed,
                              SnapshotOptions options = {});
  // Where HEAD points and which operation (merge, rebase, ...) is in progress.
  Result<RepoState> state() const;

  // Absolute working tree directory, ending in '/'.
  const std::string& workdir() const noexcept;
  const std::string& gitdir() const noexcept;
  ReaderStats stats() const noexcept;
  // The open repository, for other git/ classes (GitSnapshotFiles); owned by the reader.
  git_repository* repository() const noexcept;

 private:
  struct Impl;
  explicit SnapshotReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace gavel::git
