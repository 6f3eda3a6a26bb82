#pragma once
// The developer's working tree as git objects: what an undo point records and restores.
//
// Internal to git/: called by undo.cpp and worktree_apply.cpp on the thread that runs them.
// "The working tree" here is every file git would show: each index path present on disk (as
// it is on disk, not as staged) and each untracked file that is not ignored. Submodules,
// nested repositories, ignored files and special files (fifos, sockets) are left out, so they
// are never saved, restored or removed. Contents are the raw bytes on disk (no clean filter),
// so a restore is byte-exact. Never reads the index file's lock, never writes the index.

#include "git/libgit2.hpp"

#include "base/error.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gavel::git {

// One blob in a tree: git mode (0100644, 0100755, 0120000) and id.
struct TreeFile {
  std::uint32_t mode = 0;
  git_oid id{};
  bool operator==(const TreeFile& o) const noexcept {
    return mode == o.mode && git_oid_equal(&id, &o.id);
  }
};

// The working-tree files of `repo` (whose working tree is `workdir`, ending in '/'), sorted:
// path -> git mode from lstat (executable bit, symlink). A path under a symlinked directory
// is not a file of the working tree and is left out.
Result<std::map<std::string, std::uint32_t>> list_worktree_files(git_repository* repo,
                                                                 const std::string& workdir);

// Writes a blob of every listed file's raw bytes and a tree holding them to `repo`'s object
// database and returns the tree id. Builds the tree with an in-memory index (git_index_new),
// never the repository's.
Result<git_oid> write_worktree_tree(git_repository* repo, const std::string& workdir);

// Every blob of the tree `tree`, recursively: path -> mode and id. Gitlinks are skipped.
Result<std::map<std::string, TreeFile>> read_tree_files(git_repository* repo, const git_oid& tree);

// The raw bytes of the working-tree file `rel`: a regular file's content (never following a
// symlink), or a symlink's target text. Errc::not_found when it does not exist.
Result<std::string> read_raw_file(const std::string& workdir, const std::string& rel);

}  // namespace gavel::git
