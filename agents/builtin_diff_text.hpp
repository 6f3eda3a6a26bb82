#pragma once
// Unified-diff text for the builtin agents: writing the small patches the rules reviewer
// suggests, and reading/re-basing patches for the patch implementer.
//
// Pure functions over strings: no IO, no git. Lines are handled WITH their terminators ("\n",
// "\r\n" or none for a last line without newline), so CRLF files and "\ No newline at end of
// file" round-trip exactly. Called by agents/builtin_rules*.cpp and agents/builtin_patch*.cpp
// only (and their tests); other adapters never need it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents::difftext {

// Splits `text` into lines that keep their terminator; the last one may have none.
std::vector<std::string_view> split_lines(std::string_view text);

// `line` without its "\n" / "\r\n" terminator.
std::string_view strip_eol(std::string_view line);

// A git-style unified diff for one file `path` that replaces lines [`first`, `last`] (1-based,
// inclusive) of `lines` by `replacement` (each with its own terminator), with up to `context`
// lines around it. `last == first - 1` inserts before `first`. Returns "" when the range is
// invalid or the replacement changes nothing.
std::string replacement_diff(std::string_view path, const std::vector<std::string_view>& lines,
                             int first, int last, const std::vector<std::string>& replacement,
                             int context = 3);

// The diff from `old_text` to `new_text` of file `path` as one hunk around the changed middle
// (common leading and trailing lines are context). "" when the texts are equal.
std::string diff_texts(std::string_view path, std::string_view old_text, std::string_view new_text,
                       int context = 3);

// One hunk of a parsed patch: each line is its tag (' ', '-', '+') and its text with terminator.
struct PatchHunk {
  int old_start = 0;
  int old_count = 0;
  int new_start = 0;
  int new_count = 0;
  std::vector<std::pair<char, std::string>> lines;
};

struct FilePatch {
  std::string old_path;  // without "a/"; empty for /dev/null
  std::string new_path;  // without "b/"; empty for /dev/null
  std::vector<PatchHunk> hunks;
};

// Reads a unified diff (git or plain). nullopt when it is malformed or has no hunk. Binary
// patches, mode-only changes and quoted paths are not understood (nullopt).
std::optional<std::vector<FilePatch>> parse_unified_diff(std::string_view text);

enum class ApplyOutcome { applied, already_applied, mismatch };

struct ApplyResult {
  ApplyOutcome outcome = ApplyOutcome::mismatch;
  std::string text;  // the patched text when `applied`
};

// Applies `patch` to `text` in memory the way `patch` does: each hunk is looked for at its
// line number shifted by earlier hunks, then anywhere after the previous hunk, then with
// context lines dropped at each end, one more each time (the nearest match wins). When it does
// not apply but every hunk's result is already present, reports `already_applied`.
ApplyResult apply_file_patch(std::string_view text, const FilePatch& patch);

}  // namespace gavel::agents::difftext
