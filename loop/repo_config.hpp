#pragma once
// The configuration a command runs with: defaults < your file < the repository's .gavel.toml as
// committed at HEAD < GAVEL_* environment < `-c` overrides (docs/config.md).
//
// Called by every command that needs settings (review, hook, ...) and by the daemon for each
// repository it serves (again on SIGHUP).

#include "base/error.hpp"
#include "config/config.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::loop {

// `repo_dir` is any directory inside the repository; when it is not in a repository the
// repository layer is skipped (the caller reports that error itself if it needs a repository).
Result<config::Config> load_config(const std::filesystem::path& repo_dir,
                                   const std::vector<std::string>& overrides);

}  // namespace gavel::loop
