#pragma once
// Changing files in the developer's working tree, safely: the only place gavel writes there.
//
// Called by `undo` (restoring an undo point) and `apply_to_worktree` (an implementer's patch),
// on whatever thread runs them, after they have checked everything they can up front. Every
// path is repository-relative, confined (no absolute path, no "..", ".", empty or ".git"
// component) and never followed through a symlinked or non-directory parent. Writes are atomic:
// a temp file in the same directory, fsync, rename over the old file. Never touches the index,
// HEAD or anything under .git.

#include "base/error.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace gavel::git {

// Whether `rel` may be written: is_confined_path (git/scratch.hpp), and no empty or "." component.
bool is_writable_path(const std::string& rel);

// Refuses (Errc::conflict) when a leading directory of `rel` under `workdir` (which ends in
// '/') exists as anything but a real directory: a symlink, a file. A component for which
// `will_be_removed` answers true (a file the caller removes first) is allowed. Missing
// directories are fine: write_worktree_file creates them.
Result<void> check_parents(const std::string& workdir, const std::string& rel,
                           const std::function<bool(const std::string&)>& will_be_removed = {});

// Writes `bytes` as `rel` with git mode `mode` (0100644, 0100755 or 0120000: then `bytes` is
// the link target), atomically. An existing regular file keeps its permission bits except the
// executable bits, which follow `mode`; a new file gets 0666 or 0777 less the umask, as git
// does. Missing parent directories are created; a symlink or file on the way is refused.
Result<void> write_worktree_file(const std::string& workdir, const std::string& rel,
                                 std::string_view bytes, std::uint32_t mode);

// Removes the file or symlink `rel` (absent is fine), then each parent directory it left
// empty, up to but never including the working tree itself.
Result<void> remove_worktree_file(const std::string& workdir, const std::string& rel);

}  // namespace gavel::git
