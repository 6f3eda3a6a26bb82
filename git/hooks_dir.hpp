#pragma once
// Where git looks for this repository's hooks: core.hooksPath when set (a relative value is
// taken from the top of the working tree, as git runs hooks there; `~/` is expanded), else
// <common dir>/hooks, shared by every linked worktree.
//
// Called by `gavel hook install|uninstall` (cli/hook_install.cpp) on the command's thread.
// Reads the repository configuration through libgit2; never writes anything.

#include "base/error.hpp"

#include <filesystem>
#include <string>

namespace gavel::git {

struct HooksLocation {
  std::filesystem::path dir;      // absolute; may not exist yet
  bool from_config = false;       // true when core.hooksPath chose it
  std::filesystem::path workdir;  // top of the working tree
  std::filesystem::path gitdir;   // this worktree's private directory (.git, .git/worktrees/X)
};

// The hooks directory of the repository containing `dir`. Errors as Repository::open.
Result<HooksLocation> hooks_location(const std::filesystem::path& dir);

}  // namespace gavel::git
