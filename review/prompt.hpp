#pragma once
// What the reviewer and the implementer are told, rendered from templates users can override.
//
// Called by agents/ when it starts a round (one prompt per chunk, see review/chunk.hpp); pure,
// no IO: a user's template file is read by the caller and passed in as text. A template is plain
// text with {{name}} placeholders, each replaced in one pass by a rendered section (inserted text
// is never scanned again, so a diff that contains "{{intent}}" stays as it is). An unknown
// placeholder, or a template without the sections its role cannot do without, is an Error with
// Errc::config, so a typo in a user's template is caught when it is loaded.
//
// Placeholders (docs/prompts.md):
//   {{role}}          "reviewer" or "implementer"      {{round}}        the round number
//   {{repo_root}}     root the agent's paths are under  {{chunk}}        which part of the diff
//   {{intent}}        the story / spec text             {{diff}}         the patch, fenced
//   {{prior_findings}} earlier findings: id, priority, state, location, text and the other
//                     side's answer (implementer's response / reviewer's verdict)
//   {{suppressions}}  dismissed findings not to raise again: reason and anchored code
//   {{output_format}} how to answer, with {{schema}}: the JSON Schema of the answer
// Agent-written text (diff, intent, finding bodies) is fenced as data.

#include "base/error.hpp"
#include "review/finding.hpp"
#include "review/report.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

enum class PromptRole { reviewer, implementer };

// A dismissed finding the reviewer must not raise again (from review/suppression.hpp's records).
struct PromptSuppression {
  std::string title;
  std::string path;
  std::string anchor;  // the code the dismissal is anchored to
  std::string reason;  // the human's reason
};

struct PromptInputs {
  int round = 1;
  std::string repo_root;    // absolute root of the tree the agent sees; may be empty
  std::string patch;        // unified diff of this request (one chunk of the change)
  std::string chunk_label;  // e.g. "request 2 of 3: src/a.cpp (some hunks)"; empty: whole diff
  std::string intent;       // story or spec text; may be empty
  // Findings of earlier rounds the agent must answer (the caller chooses: for a chunk, those in
  // its files; for the implementer, those it must fix or dispute).
  std::vector<Finding> prior;
  std::vector<FindingResponse> responses;  // the implementer's answers, shown to the reviewer
  std::vector<PriorVerdict> verdicts;      // the reviewer's verdicts, shown to the implementer
  std::vector<PromptSuppression> suppressions;
};

// The built-in template of `role`.
std::string_view default_template(PromptRole role);

// Checks `text` as a template for `role`: known placeholders only, and {{diff}} (reviewer) or
// {{prior_findings}} (implementer) and {{output_format}} present.
Result<void> validate_template(PromptRole role, std::string_view text);

// Renders the prompt for `role` from `template_text` (empty: the built-in template).
Result<std::string> render_prompt(PromptRole role, const PromptInputs& inputs,
                                  std::string_view template_text = {});

// Replaces every {{name}} of `text` found in `names`/`values` (parallel lists) in one pass; an
// unknown name is an Errc::config error.
Result<std::string> substitute(std::string_view text, const std::vector<std::string>& names,
                               const std::vector<std::string>& values);

// `text` inside a Markdown code fence longer than any backtick run in it.
std::string fence(std::string_view text, std::string_view info = {});

}  // namespace gavel::review
