#pragma once
// Git notes and commit checks for the audit trail: the pre-commit gate's review record is
// attached to the new commit under refs/notes/gavel (docs/cli.md "gavel hook", "gavel log").
//
// The Repository overloads spare a caller that has one open the re-opening (each open reads
// the git config files). Called by git/pending_note.cpp (write_note, commit_matches, for
// `gavel hook post-commit` and gaveld's note.attach) and `gavel log` (read_note), blocking.
// write_note creates a notes commit with libgit2 (git_note_create) and replaces an existing
// note on the same commit; nothing else here writes.

#include "base/error.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::git {

class Repository;

inline constexpr std::string_view k_gavel_notes_ref = "refs/notes/gavel";

// The commit `rev` names ("HEAD", a branch, an id...) in the repository containing `dir`, as
// full hex. Errc::not_found when it names no commit.
Result<std::string> resolve_commit(const std::filesystem::path& dir, std::string_view rev);
Result<std::string> resolve_commit(Repository& repo, std::string_view rev);

// Attaches `text` to commit `rev` under `notes_ref` (replacing any note there). The notes
// commit's signature is the repository's user.name/user.email, else "gavel".
Result<void> write_note(const std::filesystem::path& dir, std::string_view rev,
                        std::string_view text, std::string_view notes_ref = k_gavel_notes_ref);
Result<void> write_note(Repository& repo, std::string_view rev, std::string_view text,
                        std::string_view notes_ref = k_gavel_notes_ref);

// The note on `rev` under `notes_ref`; nullopt when it has none.
Result<std::optional<std::string>> read_note(const std::filesystem::path& dir,
                                             std::string_view rev,
                                             std::string_view notes_ref = k_gavel_notes_ref);

// One path of a staged change and the blob it had (`id` empty: deleted).
struct StagedEntry {
  std::string path;
  std::string id;
};

// True when commit `rev`'s first parent is `base` (empty: `rev` has no parent) and its tree
// holds exactly `entries` at their paths: the commit records the change that was checked.
Result<bool> commit_matches(const std::filesystem::path& dir, std::string_view rev,
                            std::string_view base, const std::vector<StagedEntry>& entries);
Result<bool> commit_matches(Repository& repo, std::string_view rev, std::string_view base,
                            const std::vector<StagedEntry>& entries);

}  // namespace gavel::git
