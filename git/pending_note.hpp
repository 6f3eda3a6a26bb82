#pragma once
// The audit trail's hand-over between the two git hooks: on `pass` the pre-commit gate saves the
// review record as <git dir>/gavel/pending-note.json; after the commit, attach_pending_note()
// attaches it to HEAD as a note under refs/notes/gavel (git/notes.hpp), but only when HEAD
// records exactly the change that was checked, and removes the file either way.
//
// Writers: `gavel hook run` (cli/hook_gate.cpp) and gaveld on an index-form gate.check
// (daemon/staged_gate.cpp). Attachers: `gavel hook post-commit` (cli/hook_note.cpp) and gaveld's
// note.attach (the post-commit hook's fast path). Blocking file and git I/O.

#include "git/staged_change.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace gavel::git {

// Saves `record` for post-commit, with what it was checked against (base, fingerprint, entries).
void save_pending_note(const StagedChange& change, const nlohmann::json& record);
// Removes any saved record: every gate run starts with it, so a stale one is never attached.
void clear_pending_note(const std::string& gitdir);

struct NoteOutcome {
  bool attached = false;
  std::string commit;   // HEAD, when attached
  std::string message;  // why not, when there was a record but it was not attached
};

// Attaches the saved record of the repository containing `dir` to HEAD (see above). No record,
// or no repository: not attached, no message (post-commit can change nothing; stay quiet).
NoteOutcome attach_pending_note(const std::filesystem::path& dir);

}  // namespace gavel::git
