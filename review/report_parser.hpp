#pragma once
// Agent output -> validated reports: the only way text written by an agent becomes data.
//
// Called by agents/ (and the builtin agents) on the final message of a round, on whatever thread
// ran the agent; pure functions, no state, no IO. The reviewer's output is Codex-review
// compatible (see docs/findings-format.md, "Agent output"); the implementer's is the
// {"patch", "responses", "summary"} object of DESIGN.md.
//
// Tolerant about where the JSON is: the whole text, a ```json fence, or an object inside prose
// with chatter before and after. Every balanced {...} object in the text is a candidate; the
// LAST candidate that validates wins (agents echo examples before their answer, never after).
// An object nested inside a candidate (e.g. Claude's {"structured_output": {...}}) is tried too.
//
// Strict about what it accepts: types, ranges (priority 0..3, confidences 0..1, line start >= 1,
// end >= start) and required keys. Unknown keys are ignored. Malformed output is an Error with
// Errc::parse whose message carries the reason and a bounded, UTF-8-safe excerpt of the
// offending text; it is never read as an empty review. An empty "findings" array in valid JSON
// is a clean review.
//
// Priority: the numeric "priority" field wins. A "[P0]".."[P3]" tag at the start of a title is
// always stripped from the title; it supplies the priority only when the field is absent or null.
// A finding with neither is malformed.
//
// Paths: an absolute "absolute_file_path" under `repo_root` becomes repository-relative; one
// outside the root is kept as given (absolute) so that review/location_check.hpp rejects it with
// a reason; a relative path is taken as repository-relative. Nothing here resolves "..", touches
// the file system or decides whether a path is acceptable: that is location_check's job.

#include "base/error.hpp"
#include "review/report.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace gavel::review {

// Largest agent output the parser looks at; longer text is refused as malformed.
inline constexpr std::size_t k_max_agent_output_bytes = 8u * 1024u * 1024u;
// Largest excerpt of offending text carried in a parse failure.
inline constexpr std::size_t k_max_excerpt_bytes = 400;

struct ParseOptions {
  // Absolute path of the repository's working tree (or of the scratch worktree the agent saw),
  // used to turn absolute finding paths into repository-relative ones. May be empty.
  std::string repo_root;
};

// Why agent output was refused: `reason` for a person (and for the retry prompt fed back to the
// agent), `excerpt` a bounded piece of the text that failed (valid UTF-8, <= k_max_excerpt_bytes
// plus an ellipsis).
struct ParseFailure {
  std::string reason;
  std::string excerpt;
};

// The Error carried by a failed parse: Errc::parse, message "<reason> (near: <excerpt>)", both
// bounded and made valid UTF-8 (a JSON reply can always carry it).
Error to_error(const ParseFailure& failure);

// Parses a reviewer's final message. Never throws.
Result<ReviewReport> parse_review_report(std::string_view text, const ParseOptions& options = {});

// Parses an implementer's final message. Never throws.
Result<ImplementerReport> parse_implementer_report(std::string_view text);

// JSON Schemas (draft 2020-12 subset, OpenAI strict-schema compatible: every object has
// additionalProperties false and lists all its properties as required; optional values are
// nullable through type arrays) for `codex exec --output-schema FILE` and
// `claude -p --json-schema TEXT`. The parser accepts everything these schemas allow, and more
// (missing optional keys, unknown keys, prose around the JSON).
const std::string& reviewer_output_schema();
const std::string& implementer_output_schema();

// Returns the repository-relative form of `path` when it is absolute and lies under
// `repo_root` (lexically, no file system access); otherwise `path` unchanged.
std::string relativize_path(std::string_view path, std::string_view repo_root);

// Strips a leading "[P0]".."[P3]" tag (and the whitespace after it) from `title`; returns the
// tag's priority level 0..3, or -1 when there is none.
int strip_priority_tag(std::string& title);

}  // namespace gavel::review
