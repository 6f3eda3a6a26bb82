// Rule family "conflict-marker": merge conflict markers left in added lines, as git's own
// check recognises them (diff.c is_conflict_marker): exactly seven '<', '=', '>' or '|' at the
// start of the line, followed by whitespace or the end of the line.
//
// Deliberate difference from git: "=======" and "|||||||" alone are also a Markdown/RST
// heading underline, so they are reported only when a "<<<<<<<" or ">>>>>>>" marker is among
// the file's added lines too. No suggested fix: choosing a side needs judgement.
#include "agents/builtin_rules_detail.hpp"

#include <cctype>

namespace gavel::agents::rules {
namespace {

constexpr std::size_t k_marker_size = 7;

// The marker character of `text` ('<', '=', '>', '|') or 0.
char marker_of(std::string_view text) {
  if (text.size() < k_marker_size) return 0;
  const char c = text.front();
  if (c != '<' && c != '=' && c != '>' && c != '|') return 0;
  for (std::size_t i = 1; i < k_marker_size; ++i) {
    if (text[i] != c) return 0;
  }
  // git counts the newline as the whitespace that ends a bare marker.
  return text.size() == k_marker_size || std::isspace(static_cast<unsigned char>(text[k_marker_size]))
             ? c
             : 0;
}

struct Marker {
  int line = 0;
  char kind = 0;
};

std::string describe(int first, int last) {
  return first == last ? "Line " + std::to_string(first)
                       : "Lines " + std::to_string(first) + "-" + std::to_string(last);
}

}  // namespace

void check_conflict_markers(const FileView& view, const RulesOptions& options,
                            std::vector<RuleFinding>& out) {
  std::vector<Marker> markers;
  bool strong = false;
  for (const review::DiffLine* line : view.added) {
    if (const char kind = marker_of(line->text)) {
      markers.push_back({line->new_line, kind});
      strong |= kind == '<' || kind == '>';
    }
  }
  if (!strong) return;
  int emitted = 0;
  for (std::size_t i = 0; i < markers.size();) {
    // A block runs from "<<<<<<<" through the next ">>>>>>>" (or a lone marker).
    std::size_t j = i;
    if (markers[i].kind == '<') {
      while (j + 1 < markers.size() && markers[j + 1].kind != '<' && markers[j].kind != '>') ++j;
    }
    const int first = markers[i].line, last = markers[j].line;
    if (emitted++ < options.max_findings_per_rule_per_file) {
      out.push_back(make_finding(
          view, "conflict.marker", k_category_conflict, review::Priority::p0,
          markers[i].kind == '=' || markers[i].kind == '|' ? 0.8 : 0.95, first, last,
          "Unresolved merge conflict markers",
          describe(first, last) + " of `" + view.path +
              "` contain git conflict markers (<<<<<<<, =======, >>>>>>>) left over from a merge, "
              "rebase or stash pop. The file now holds both sides of the conflict and will not "
              "build or parse as intended. Resolve the conflict: keep the intended side (or a "
              "combination), delete every marker line, and re-run the tests."));
    }
    i = j + 1;
  }
}

}  // namespace gavel::agents::rules
