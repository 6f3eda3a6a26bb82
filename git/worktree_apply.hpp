#pragma once
// Applying an implementer's patch to the developer's working tree: only when the tree is still
// the one that was reviewed, only when the whole patch applies cleanly, only to confined paths,
// and only after the current state was saved as an undo point (DESIGN.md "Safety rules").
//
// Who calls: the session runner / daemon, when the apply policy (auto, or ask once the human
// agreed) allows it. Synchronous, on the caller's thread; opens the repository itself. Never
// writes the index, HEAD or anything under .git but the undo point's objects and ref.
//
// How: the patch is parsed by libgit2 (git_diff_from_buffer) and applied with git_apply_to_tree
// to an in-memory tree of the files it touches, in a private in-memory object database, so a
// patch that does not apply leaves no trace. The files are read and written through the
// repository's filters (.gitattributes eol/text), as `git apply` does.

#include "git/undo.hpp"

#include "base/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::git {

struct ApplyOutcome {
  std::vector<std::string> changed;  // paths written or removed, sorted
  UndoPoint undo_point;              // the state before; `undo` restores it
};

// Applies `patch` (unified diff in `git diff` form: new and deleted files, mode changes,
// renames, binary patches) to the working tree of the repository containing `repo_dir`.
// `expected_fingerprint` is the fingerprint of the worktree snapshot that was reviewed
// (review::Changeset::fingerprint). Every check runs before anything is written; on any
// refusal nothing is written and no undo point is created:
//   conflict         - the working tree changed since it was reviewed (fingerprint differs:
//                      "the patch is kept"); the patch does not apply cleanly; a merge/rebase
//                      is in progress; a file changed while being applied;
//   invalid_argument - a path is absolute, has "..", ".", empty or ".git" components, goes
//                      through a symlink or a file, names a submodule; a symlink it creates
//                      points outside the tree, at its root or into .git (check_link_target);
//                      or the patch is empty;
//   parse            - the text is not a patch.
// Files are replaced atomically (temp file + rename); an existing file keeps its permission
// bits except the executable bits, which follow the patch.
Result<ApplyOutcome> apply_to_worktree(const std::filesystem::path& repo_dir, const std::string& patch,
                                       const std::string& expected_fingerprint, std::string_view reason,
                                       std::int64_t now_ms);

}  // namespace gavel::git
