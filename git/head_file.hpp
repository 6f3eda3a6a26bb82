#pragma once
// The content of a file as committed at HEAD, for settings that must not follow uncommitted
// edits: gavel reads a repository's `.gavel.toml` from HEAD, so a change under review (perhaps
// written by an agent) cannot lower the bar of its own review.
//
// Called by the CLI and the daemon when they load a repository's configuration; synchronous,
// any thread. Never writes.

#include "base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace gavel::git {

// The bytes of `path` (repository-relative, '/'-separated) in HEAD's tree of the repository
// containing `dir`; nullopt when HEAD is unborn or has no such regular file. Errors: those of
// Repository::open, and corrupt when HEAD's commit or the blob cannot be read.
Result<std::optional<std::string>> read_head_file(const std::filesystem::path& dir,
                                                  const std::string& path);

}  // namespace gavel::git
