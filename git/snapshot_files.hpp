#pragma once
// GitSnapshotFiles: review::SnapshotFiles over one snapshot, changed files and unchanged ones.
//
// The view is the snapshot's, not the disk's: a changed file is what the snapshot recorded
// (its new_text, or the blob of its new id), an unchanged file is its blob in the base commit
// (HEAD's tree; for a path-limited snapshot, every file outside the limit counts as unchanged),
// a deleted file is missing. Nothing is read from the working tree, so nothing outside the
// repository or inside .git can ever be read: paths that are absolute, contain "." / ".." /
// empty components or a ".git" component are missing, and a path below a symlink (in the
// snapshot) is reported through_symlink and never read.
//
// Built by the daemon for the location checks of one review round; used on one thread. Holds
// a reference to the reader's repository: the SnapshotReader must outlive it. Take the
// snapshot with SnapshotOptions::Contents::new_text so that text() can serve changed
// working-tree files whose content is in no object.

#include "git/snapshot.hpp"

#include "review/changeset.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace gavel::git {

class GitSnapshotFiles final : public review::SnapshotFiles {
 public:
  GitSnapshotFiles(const SnapshotReader& reader, const Snapshot& snapshot);
  GitSnapshotFiles(const GitSnapshotFiles&) = delete;
  GitSnapshotFiles& operator=(const GitSnapshotFiles&) = delete;

  Info stat(std::string_view path) const override;
  std::optional<std::string> text(std::string_view path) const override;

 private:
  struct Resolved {
    Info info;
    std::optional<std::string> content;  // set when the kind is regular
  };
  Resolved resolve(const std::string& path, bool want_content) const;
  Resolved resolve_leaf(const std::string& path, bool want_content) const;

  git_repository* m_repo;
  std::string m_base_commit;
  std::map<std::string, const review::FileDiff*, std::less<>> m_changed;  // by new path
  std::set<std::string, std::less<>> m_gone;  // old paths of deletions and renames
  Snapshot m_snapshot;
};

// True when `path` is a clean repository-relative path: not empty or absolute, no empty,
// "." or ".." component, no ".git" component (any case), no NUL.
bool is_safe_repo_path(std::string_view path);

}  // namespace gavel::git
