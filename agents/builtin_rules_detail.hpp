#pragma once
// Internal to the builtin rules reviewer: the per-file view every rule family reads, the rule
// family entry points (one .cpp each) and the helpers they share. Included only by
// agents/builtin_rules*.cpp; not part of the agents/ interface.

#include "agents/builtin_rules.hpp"
#include "review/changeset.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents::rules {

// One changed file as the rules see it. Built once per file by run_rules; borrowed views into
// the changeset, which outlives it.
struct FileView {
  const review::FileDiff* file = nullptr;
  std::string path;       // new-side, repository-relative
  std::string ext;        // lower-case extension without the dot ("py"), "" when none
  std::string base;       // file name without directories
  bool test_path = false; // under test/, tests/, fixtures/, testdata/, examples/, ...
  bool has_text = false;  // new_text is known
  std::vector<std::string_view> lines;         // new_text split, terminators kept
  std::vector<const review::DiffLine*> added;  // added lines in order, new_line > 0

  // New-side line `n` (1-based) without terminator; "" when unknown.
  std::string_view text_at(int n) const;
  // True when the snapshot text of line `n` is exactly `text` (fixes are built only then).
  bool text_matches(int n, std::string_view text) const;
};

// The rule families, each appending to `out`. Each is in builtin_rules_<family>.cpp.
void check_secrets(const FileView& view, const RulesOptions& options, std::vector<RuleFinding>& out);
void check_conflict_markers(const FileView& view, const RulesOptions& options,
                            std::vector<RuleFinding>& out);
void check_whitespace(const FileView& view, const RulesOptions& options,
                      std::vector<RuleFinding>& out);
void check_debug_leftovers(const FileView& view, const RulesOptions& options,
                           std::vector<RuleFinding>& out);
void check_files(const FileView& view, const RulesOptions& options, std::vector<RuleFinding>& out);

// Categories the rules emit (the "category" field); judge_prior only judges these.
inline constexpr std::string_view k_category_secret = "secret";
inline constexpr std::string_view k_category_conflict = "conflict-marker";
inline constexpr std::string_view k_category_whitespace = "whitespace";
inline constexpr std::string_view k_category_debug = "debug-leftover";
inline constexpr std::string_view k_category_large_file = "large-file";
inline constexpr std::string_view k_category_binary_file = "binary-file";
bool is_rules_category(std::string_view category);

// A finding at new-side lines [`first`, `last`] of `view`.
RuleFinding make_finding(const FileView& view, std::string rule, std::string_view category,
                         review::Priority priority, double confidence, int first, int last,
                         std::string title, std::string body);

// A suggested fix replacing new-side lines [`first`, `last`] by `replacement` (lines with
// terminators), as a unified diff against the snapshot; nullopt without text or on no change.
std::optional<std::string> make_fix(const FileView& view, int first, int last,
                                    const std::vector<std::string>& replacement);

// The terminator of new-side line `n` ("\n", "\r\n" or ""), "\n" when unknown.
std::string_view eol_of(const FileView& view, int n);

// Shannon entropy of `s` in bits per character (0 for an empty string).
double shannon_entropy(std::string_view s);

// "ghp_…(40 chars)": enough to find it, never the secret itself.
std::string redact(std::string_view secret);

}  // namespace gavel::agents::rules
