#pragma once
// Creates a small repository with one commit, for `gavel demo` (a throwaway repository with a
// realistic project in it) and for tests that want a repository made by gavel's own git layer.
//
// Called from the CLI's demo, synchronously. Writes only inside `dir`, which must not exist yet
// or be empty.

#include "base/error.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace gavel::git {

struct NewFile {
  std::string path;  // repository-relative, '/'-separated
  std::string content;
};

// `git init` (branch `main`) in `dir`, writes `files`, stages and commits them as
// "gavel demo <demo@gavel.invalid>" with `message`. Errors: io, git.
Result<void> create_repository(const std::filesystem::path& dir, const std::vector<NewFile>& files,
                               const std::string& message);

}  // namespace gavel::git
