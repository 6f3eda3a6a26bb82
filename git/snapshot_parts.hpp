#pragma once
// Pieces of a snapshot that need no reader state: the base commit, git's rename setting, and
// the final pass that puts libgit2's file list into git's conventions.
//
// Internal to git/; called by SnapshotReader on its thread. Reads refs, objects and config;
// writes nothing.

#include "git/libgit2.hpp"
#include "git/snapshot.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gavel::git {

struct Base {
  std::string commit;  // empty on an unborn branch
  TreePtr tree;        // null on an unborn branch
};

// HEAD's commit and tree. Errors: corrupt.
Result<Base> read_base(git_repository* repo);

// git_diff_find_options flags for git's diff.renames: unset or true -> renames, "copies" ->
// renames and copies, false -> none.
std::uint32_t rename_flags(git_repository* repo);

// git's conventions applied to a rendered snapshot (files, patches and `full` patches stay
// aligned): exact symlink renames joined, files whose patch is empty dropped, a type change's
// deletion put before its addition.
void normalize(Snapshot& snap, std::vector<std::string>& full);

// The paths of the submodules (gitlink entries) in the repository's index. Errors: corrupt.
Result<std::vector<std::string>> gitlinks(git_repository* repo);

// The paths take_since() reads: `since.paths` and `changed`, sorted and unique; nullopt when
// it must read the whole tree (a changed .gitattributes or .gitmodules, an empty limit, more
// than `max` paths).
std::optional<std::vector<std::string>> since_limit(const SnapshotScope& since,
                                                    const std::vector<std::string>& changed,
                                                    std::size_t max);

}  // namespace gavel::git
