#pragma once
// Reading a working-tree file the way git stores it: content after the "clean" filters
// (.gitattributes eol/text, core.autocrlf), blob ids computed without writing any object.
//
// Internal to git/; called on the snapshot thread. Never writes to the object database.

#include "git/libgit2.hpp"

#include "base/error.hpp"

#include <string>

#include <sys/stat.h>

namespace gavel::git {

// The blob id git would give the working-tree file `rel` (repository-relative) whose lstat
// is `st`: a symlink hashes its target text, a regular file its filtered content.
Result<git_oid> hash_worktree_file(git_repository* repo, const std::string& workdir,
                                   const std::string& rel, const struct stat& st);

// The filtered content of the regular working-tree file `rel`, or of a symlink's target text.
Result<std::string> read_worktree_file(git_repository* repo, const std::string& workdir,
                                       const std::string& rel);

}  // namespace gavel::git
