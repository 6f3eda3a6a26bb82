#pragma once
// Installing and removing gavel's git hooks (docs/cli.md "gavel hook"): `pre-commit` runs
// `gavel hook run` (the gate), `post-commit` runs `gavel hook post-commit` (the audit note), or
// `gavel-hook pre-commit|post-commit` (the fast client, cli/hook_fast.hpp) when that sits next
// to `gavel`.
//
// Where: git::hooks_location (core.hooksPath, else <common dir>/hooks). A hook already there
// that is not gavel's is renamed to NAME.gavel-chained, byte for byte, and gavel's script runs
// it first: when a chained pre-commit fails, the commit fails as before and gavel is not asked.
// Installing again only rewrites gavel's own script; uninstall removes it and renames the
// chained hook back, so the directory is exactly as it was.
//
// Called by cli/hook_command.cpp on the command's thread. Writes only in the hooks directory.

#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::cli {

// The first line after the shebang of every script gavel writes; how a hook is known as ours.
inline constexpr const char* k_hook_marker = "# gavel-managed hook";
inline constexpr const char* k_chained_suffix = ".gavel-chained";
// The fast hook client; the scripts call it instead of `gavel hook ...` when it sits next to
// the `gavel` they were installed for.
inline constexpr const char* k_fast_hook_name = "gavel-hook";

struct HookChange {
  std::filesystem::path path;
  std::string what;  // "installed", "updated", "installed (existing hook chained)", ...
};

// Installs both hooks in the repository containing `dir`; `gavel` is the executable the scripts
// call (falling back to `gavel` in PATH when it is gone).
Result<std::vector<HookChange>> install_hooks(const std::filesystem::path& dir,
                                              const std::filesystem::path& gavel);

// Removes gavel's hooks and restores the chained ones.
Result<std::vector<HookChange>> uninstall_hooks(const std::filesystem::path& dir);

}  // namespace gavel::cli
