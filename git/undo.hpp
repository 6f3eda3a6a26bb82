#pragma once
// Undo points: the developer's working tree saved as git objects before gavel changes it, and
// `gavel undo`, which puts it back (DESIGN.md "Safety rules").
//
// An undo point is a commit under refs/gavel/undo/<n> (n = 1 + the highest existing) whose
// tree is the working tree as it was on disk: tracked files as they are (not as staged), plus
// untracked files that are not ignored, with their modes (executable bit, symlinks) and raw
// bytes. A tracked file deleted on disk is absent from the tree. Its parent is the commit HEAD
// named (none on an unborn branch); its message names the reason. Saving writes objects and
// that one ref, nothing else: never the index, never index.lock, never HEAD.
//
// Who calls: the session runner / daemon before applying an implementer's patch
// (git/worktree_apply.hpp does it itself), and the `gavel undo` command. Synchronous, on the
// caller's thread; each call opens the repository itself and holds nothing between calls.

#include "base/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct git_repository;

namespace gavel::git {

struct UndoPoint {
  int number = 0;          // n in refs/gavel/undo/<n>
  std::string ref;         // "refs/gavel/undo/<n>"
  std::string commit;      // hex id of the undo point's commit
  std::string tree;        // hex id of the saved working tree
  std::string head;        // hex id of HEAD's commit when saved; empty on an unborn branch
  std::string reason;      // one line
  std::int64_t time_ms = 0;  // when it was saved (the caller's clock)
};

// Saves the working tree of the repository containing `repo_dir` as a new undo point.
// Errors: not_a_repository, bare_repository, corrupt, io, git.
Result<UndoPoint> save_undo_point(const std::filesystem::path& repo_dir, std::string_view reason,
                                  std::int64_t now_ms);

// Every undo point of that repository, by number, oldest first.
Result<std::vector<UndoPoint>> list_undo_points(const std::filesystem::path& repo_dir);

// Whether undo may restore a point saved on another HEAD commit.
enum class UndoHead { must_match, any };

struct UndoOutcome {
  UndoPoint restored;  // the point the working tree now equals
  UndoPoint saved;     // the state just before: undo it with undo(..., saved.number)
  std::vector<std::string> changed;  // paths rewritten or removed, sorted
};

// Restores the working tree to undo point `number` (the latest when empty), after saving the
// current state as a new point (so the undo can itself be undone). Files whose content or mode
// differ are rewritten (atomically), files present now but not in the point (and not
// ignored) are removed, with the directories that leaves empty; ignored files, HEAD and the
// index are never changed. Refused, with nothing changed:
//   conflict  - a merge, rebase, cherry-pick, revert, am or bisect is in progress; or HEAD is
//               not the commit the point was saved on (a commit or checkout happened since)
//               unless `head` is UndoHead::any; or an ignored file or a symlink is in the way
//               of a file to restore;
//   not_found - no such point (or none at all);
//   corrupt   - the point's tree holds a path that is not confined to the working tree.
Result<UndoOutcome> undo(const std::filesystem::path& repo_dir, std::optional<int> number,
                         std::int64_t now_ms, UndoHead head = UndoHead::must_match);

// For git/ (worktree_apply.cpp): records the already written working-tree `tree` of `repo` as
// a new undo point.
Result<UndoPoint> record_undo_point(git_repository* repo, const std::string& tree_hex,
                                    std::string_view reason, std::int64_t now_ms);

}  // namespace gavel::git
