// Rule family "whitespace": the errors `git diff --check` reports under the default
// core.whitespace (blank-at-eol, space-before-tab, blank-at-eof; cr-at-eol off, so a CR before
// the newline is trailing whitespace), plus a missing final newline (a nit git does not check).
//
// Deliberate differences from git: a file whose every line ends in CRLF gets one "CRLF line
// endings" finding instead of one per line; exactly two trailing spaces in Markdown (a hard
// line break) are allowed; .patch/.diff files are skipped. Runs of consecutive lines with the
// same error make one finding, with a fix that normalises those lines.
#include "agents/builtin_diff_text.hpp"
#include "agents/builtin_rules_detail.hpp"

#include <cctype>
#include <functional>

namespace gavel::agents::rules {
namespace {

using review::Priority;

bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

struct LineCheck {
  bool trailing = false;
  bool space_before_tab = false;
};

// `text` is the line without "\n"; `cr_is_eol` says a final CR belongs to the terminator.
LineCheck check_line(std::string_view text, bool cr_is_eol, bool markdown) {
  if (cr_is_eol && !text.empty() && text.back() == '\r') text.remove_suffix(1);
  LineCheck result;
  std::size_t end = text.size();
  while (end > 0 && is_blank_char(text[end - 1])) --end;
  const std::string_view tail = text.substr(end);
  result.trailing = !tail.empty() && !(markdown && tail == "  " && end > 0);
  bool seen_space = false;
  for (const char c : text) {
    if (c == ' ') {
      seen_space = true;
    } else if (c == '\t') {
      if (seen_space) result.space_before_tab = true;
    } else {
      break;
    }
  }
  return result;
}

// The line fixed: indentation up to its last tab re-emitted as tabs (same width at tab stops of
// 8), trailing blanks removed; `eol` re-appended.
std::string normalise(std::string_view text, bool cr_is_eol, std::string_view eol) {
  if (cr_is_eol && !text.empty() && text.back() == '\r') text.remove_suffix(1);
  std::size_t indent = 0, last_tab = std::string_view::npos;
  while (indent < text.size() && (text[indent] == ' ' || text[indent] == '\t')) {
    if (text[indent] == '\t') last_tab = indent;
    ++indent;
  }
  std::string out;
  std::size_t rest = 0;
  if (last_tab != std::string_view::npos) {
    int column = 0;
    for (std::size_t i = 0; i <= last_tab; ++i) column = text[i] == '\t' ? (column / 8 + 1) * 8 : column + 1;
    out.assign(static_cast<std::size_t>(column / 8), '\t');
    rest = last_tab + 1;
  }
  std::size_t end = text.size();
  while (end > rest && is_blank_char(text[end - 1])) --end;
  out.append(text.substr(rest, end - rest));
  out.append(eol);
  return out;
}

bool all_crlf(const FileView& view) {
  if (view.has_text) {
    if (view.lines.empty()) return false;
    for (const auto line : view.lines) {
      if (line.back() == '\n' && (line.size() < 2 || line[line.size() - 2] != '\r')) return false;
    }
    return view.lines.size() > 1 || view.lines.front().back() == '\n';
  }
  if (view.added.empty()) return false;
  for (const auto* line : view.added) {
    if (line->text.empty() || line->text.back() != '\r') return false;
  }
  return true;
}

}  // namespace

void check_whitespace(const FileView& view, const RulesOptions& options, std::vector<RuleFinding>& out) {
  if (view.ext == "patch" || view.ext == "diff" || view.added.empty()) return;
  const bool markdown = view.ext == "md" || view.ext == "markdown";
  const bool crlf_file = all_crlf(view);
  const bool cr_is_eol = options.cr_at_eol || crlf_file;
  const int cap = options.max_findings_per_rule_per_file;
  const std::string_view file_eol = crlf_file ? "\r\n" : "\n";

  if (crlf_file && !options.cr_at_eol) {
    const int line = view.added.front()->new_line;
    out.push_back(make_finding(
        view, "whitespace.crlf", k_category_whitespace, Priority::p2, 0.6, line, line,
        "CRLF line endings",
        "Every line of `" + view.path + "` ends in CRLF, which `git diff --check` reports as "
        "trailing whitespace on each added line. If the file must keep CRLF (e.g. a .bat or .sln "
        "file), say so in .gitattributes (`" + view.path + " eol=crlf` or `whitespace=cr-at-eol`); "
        "otherwise convert it to LF. Not fixed mechanically: the choice is the project's."));
  }

  // blank-at-eof: trailing blank lines of the new text that this change added, [eof_first, n].
  const int n = static_cast<int>(view.lines.size());
  int eof_first = n + 1;
  if (view.has_text) {
    int first_blank = n + 1;
    while (first_blank > 1) {
      bool blank = true;
      for (const char c : view.text_at(first_blank - 1)) blank = blank && is_blank_char(c);
      if (!blank) break;
      --first_blank;
    }
    for (auto it = view.added.rbegin(); it != view.added.rend(); ++it) {
      if ((*it)->new_line != eof_first - 1 || (*it)->new_line < first_blank) break;
      eof_first = (*it)->new_line;
    }
  }

  // Runs of consecutive added lines sharing one error, each one finding with one fix.
  const auto report_runs = [&](const std::function<bool(const review::DiffLine&)>& bad,
                               const std::string& rule, const std::string& title,
                               const std::string& why) {
    int emitted = 0;
    for (std::size_t i = 0; i < view.added.size() && emitted < cap;) {
      if (!bad(*view.added[i])) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j + 1 < view.added.size() && view.added[j + 1]->new_line == view.added[j]->new_line + 1 &&
             bad(*view.added[j + 1])) {
        ++j;
      }
      const int first = view.added[i]->new_line, last = view.added[j]->new_line;
      auto finding = make_finding(view, rule, k_category_whitespace, Priority::p2, 0.9, first, last,
                                  title, (first == last ? "Line " + std::to_string(first)
                                                        : "Lines " + std::to_string(first) + "-" +
                                                              std::to_string(last)) + why);
      std::vector<std::string> replacement;
      bool fixable = true;
      for (std::size_t k = i; k <= j; ++k) {
        const int line_no = view.added[k]->new_line;
        fixable = fixable && view.text_matches(line_no, view.added[k]->text);
        const std::string_view eol = eol_of(view, line_no);  // "" on a last line: end it too
        if (fixable) replacement.push_back(normalise(view.added[k]->text, cr_is_eol, eol.empty() ? file_eol : eol));
      }
      if (fixable) finding.raised.suggested_fix = make_fix(view, first, last, replacement);
      out.push_back(std::move(finding));
      ++emitted;
      i = j + 1;
    }
  };
  report_runs(
      [&](const review::DiffLine& l) {
        return l.new_line < eof_first && check_line(l.text, cr_is_eol, markdown).trailing;
      },
              "whitespace.trailing", "Trailing whitespace",
              " end in spaces, tabs or a carriage return (`git diff --check`: trailing whitespace). "
              "It makes noisy diffs and fails projects that run the check in CI. Remove it.");
  report_runs(
      [&](const review::DiffLine& l) { return check_line(l.text, cr_is_eol, markdown).space_before_tab; },
      "whitespace.space-before-tab", "Space before tab in indentation",
      " indent with a space followed by a tab (`git diff --check`: space before tab in indent), "
      "which renders differently per tab width. Indent with tabs up to the last tab.");

  if (eof_first <= n) {
    auto finding = make_finding(
        view, "whitespace.blank-at-eof", k_category_whitespace, Priority::p2, 0.9, eof_first, n,
        "Blank lines at end of file",
        "This change adds blank lines at the end of `" + view.path +
            "` (`git diff --check`: new blank line at EOF). Remove them; one final newline is "
            "enough.");
    finding.raised.suggested_fix = make_fix(view, eof_first, n, {});
    out.push_back(std::move(finding));
  }

  const review::DiffLine* last = view.added.back();
  if (last->no_newline_at_eof && last->new_line == n && last->new_line < eof_first &&
      view.text_matches(last->new_line, last->text)) {
    auto finding = make_finding(
        view, "whitespace.no-final-newline", k_category_whitespace, Priority::p3, 0.8,
        last->new_line, last->new_line, "No newline at end of file",
        "The last line of `" + view.path + "` has no terminating newline, so the next line "
        "appended to it shows as a change to this one and some tools drop or mangle the line. "
        "End the file with a newline.");
    finding.raised.suggested_fix =
        make_fix(view, last->new_line, last->new_line,
                 {normalise(last->text, cr_is_eol, file_eol)});
    out.push_back(std::move(finding));
  }
}

}  // namespace gavel::agents::rules
