#pragma once
// Test support: Changesets from unified diffs, and the builtin rules corpus
// (tests/data/rules/<case>/{change.diff, after/, expected}).
//
// Used by tests/unit/agents/builtin_*_test.cpp and bench/rules (which compiles this file in
// directly, so it must not depend on GoogleTest). Reads files; no git, no processes. The reader
// understands what `git diff` prints (new/deleted file, modes, binary, "\ No newline"), not
// renames, copies or quoted paths: the corpus is generated with --no-renames.

#include "review/changeset.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::test {

// The corpus keeps vendor-format tokens split by this marker so that secret scanners (and
// push protection) do not fire on the repository itself; loaders remove it.
inline constexpr std::string_view k_join_marker = "%JOIN%";
std::string unobfuscate(std::string text);

// Parses `diff` (git diff output) into a Changeset (kind worktree). Each file's new_text comes
// from `new_texts` (by new path) when given there, else, for an added text file, is rebuilt
// from its added lines; otherwise it stays unset. Throws std::runtime_error on malformed input.
review::Changeset changeset_from_diff(std::string_view diff,
                                      const std::map<std::string, std::string>& new_texts = {});

// One expected finding of a corpus case: "RULE PATH START[-END]" in `expected`.
struct ExpectedFinding {
  std::string rule;
  std::string path;
  int start = 0;
  int end = 0;
};

struct RulesCase {
  std::string name;
  std::filesystem::path dir;
  review::Changeset changeset;
  std::map<std::string, std::string> after;  // new-side contents by path (unobfuscated)
  std::vector<ExpectedFinding> expected;     // empty for a clean case
  std::size_t diff_bytes = 0;                // size of change.diff
};

// Every case directory under `root` (sorted by name). Throws std::runtime_error on a bad case.
std::vector<RulesCase> load_rules_corpus(const std::filesystem::path& root);

// Reads a whole file as bytes; throws std::runtime_error when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace gavel::test
