#pragma once
// What `git commit` would record right now, as the pre-commit gate checks it: HEAD against the
// index git names for this commit (GIT_INDEX_FILE: the repository's index, or a temporary one
// for `git commit -a` / `git commit PATHS`), with its fingerprint and the blobs it stages.
//
// One code path for both askers: `gavel hook run` (cli/hook_gate.cpp, its own one-shot reader)
// and gaveld answering an index-form gate.check (daemon/staged_gate.cpp, on its pool). Reads
// only, through SnapshotReader (SnapshotOptions::index_file); blocking.

#include "git/notes.hpp"
#include "git/snapshot.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::git {

struct StagedChange {
  std::string repo;         // top of the working tree, no trailing '/'
  std::string gitdir;
  std::string base;         // HEAD commit hex; empty on an unborn branch
  std::string fingerprint;
  std::vector<StagedEntry> entries;  // paths the commit changes, with their staged blob
  bool empty = true;        // nothing staged
};

// The staged change of `reader`'s repository; `index_file` empty: the repository's own index.
Result<StagedChange> read_staged_change(SnapshotReader& reader,
                                        const std::filesystem::path& index_file);

}  // namespace gavel::git
