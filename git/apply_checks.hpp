#pragma once
// What `git apply` checks and libgit2 1.8's git_apply_to_tree does not (both measured by
// tests/unit/git/worktree_apply_test.cpp): git_apply_to_tree replaces an existing file with a
// "new file" of the same name, and deletes a file without comparing it with the lines the
// patch removes. Either would lose the developer's work. Plus one check of gavel's own (git
// has none): a symlink the patch creates must point inside the working tree, never into .git.
//
// Internal to git/: called by worktree_apply.cpp before it applies a patch, on its thread.
// Pure reads of the parsed patch and the preimage ids; writes nothing.

#include "git/libgit2.hpp"
#include "git/worktree_state.hpp"

#include "base/error.hpp"

#include <map>
#include <string>
#include <string_view>

namespace gavel::git {

// Errc::conflict ("the patch does not apply cleanly: ...") when a file `diff` creates (new,
// rename or copy target) already exists in `pre` and the patch does not also remove it, or a
// file it deletes does not hold exactly the removed lines (text: the removed lines' blob id
// must equal the preimage id; binary: the patch's abbreviated old id, at least 7 digits, must
// match). `pre` maps each existing touched path to its blob as git stores it (clean filters).
Result<void> check_creations_and_deletions(git_diff* diff, const std::map<std::string, TreeFile>& pre);

// Errc::invalid_argument when a symlink at `path` (repository-relative) with target `target`
// would point outside the working tree, at its root, or into a .git directory: an empty or
// absolute target, one that climbs above the root, or one with a ".git" component (any case),
// resolved lexically from the link's directory. Nothing on disk is read (a target through a
// symlink already in the tree is judged by its text only).
Result<void> check_link_target(const std::string& path, std::string_view target);

}  // namespace gavel::git
