// The rules reviewer's core: builds a FileView per changed file and runs the rule families
// (builtin_rules_<family>.cpp) over it. Rendering and the Agent wrapper are in
// builtin_rules_report.cpp.
#include "agents/builtin_rules.hpp"

#include "agents/builtin_diff_text.hpp"
#include "agents/builtin_rules_detail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <tuple>

namespace gavel::agents {
namespace rules {
namespace {

constexpr std::array<std::string_view, 10> k_test_dirs = {
    "test", "tests", "testdata", "test_data", "fixtures", "__tests__",
    "spec", "examples", "example", "testing"};

bool under_test_dir(std::string_view path) {
  std::size_t pos = 0;
  while (true) {
    const std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) return false;
    const std::string_view dir = path.substr(pos, slash - pos);
    if (std::find(k_test_dirs.begin(), k_test_dirs.end(), dir) != k_test_dirs.end()) return true;
    pos = slash + 1;
  }
}

FileView make_view(const review::FileDiff& file) {
  FileView view;
  view.file = &file;
  view.path = file.path();
  const std::size_t slash = view.path.rfind('/');
  view.base = slash == std::string::npos ? view.path : view.path.substr(slash + 1);
  const std::size_t dot = view.base.rfind('.');
  if (dot != std::string::npos && dot > 0) {
    view.ext = view.base.substr(dot + 1);
    for (char& c : view.ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  view.test_path = under_test_dir(view.path) || view.base.find("_test.") != std::string::npos ||
                   view.base.find(".test.") != std::string::npos ||
                   view.base.find(".spec.") != std::string::npos ||
                   view.base.rfind("test_", 0) == 0;
  if (file.new_text) {
    view.has_text = true;
    view.lines = difftext::split_lines(*file.new_text);
  }
  for (const auto& hunk : file.hunks) {
    for (const auto& line : hunk.lines) {
      if (line.origin == review::LineOrigin::added && line.new_line > 0) view.added.push_back(&line);
    }
  }
  return view;
}

}  // namespace

std::string_view FileView::text_at(int n) const {
  if (n < 1 || n > static_cast<int>(lines.size())) return {};
  std::string_view line = lines[static_cast<std::size_t>(n - 1)];
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line;  // a CR of CRLF stays, as in DiffLine::text
}

bool FileView::text_matches(int n, std::string_view text) const {
  return has_text && n >= 1 && n <= static_cast<int>(lines.size()) && text_at(n) == text;
}

bool is_rules_category(std::string_view category) {
  return category == k_category_secret || category == k_category_conflict ||
         category == k_category_whitespace || category == k_category_debug ||
         category == k_category_large_file || category == k_category_binary_file;
}

RuleFinding make_finding(const FileView& view, std::string rule, std::string_view category,
                         review::Priority priority, double confidence, int first, int last,
                         std::string title, std::string body) {
  RuleFinding f;
  f.rule = std::move(rule);
  f.raised.title = std::move(title);
  f.raised.body = std::move(body);
  f.raised.priority = priority;
  f.raised.confidence = confidence;
  f.raised.location.path = view.path;
  f.raised.location.lines = {std::max(1, first), std::max({1, first, last})};
  f.raised.location.side = review::Side::new_side;
  f.raised.category = std::string(category);
  return f;
}

std::optional<std::string> make_fix(const FileView& view, int first, int last,
                                    const std::vector<std::string>& replacement) {
  if (!view.has_text) return std::nullopt;
  std::string diff = difftext::replacement_diff(view.path, view.lines, first, last, replacement);
  if (diff.empty()) return std::nullopt;
  return diff;
}

std::string_view eol_of(const FileView& view, int n) {
  if (n < 1 || n > static_cast<int>(view.lines.size())) return "\n";
  const std::string_view line = view.lines[static_cast<std::size_t>(n - 1)];
  if (line.size() >= 2 && line.substr(line.size() - 2) == "\r\n") return "\r\n";
  if (!line.empty() && line.back() == '\n') return "\n";
  return "";
}

double shannon_entropy(std::string_view s) {
  if (s.empty()) return 0.0;
  std::array<int, 256> counts{};
  for (const char c : s) ++counts[static_cast<unsigned char>(c)];
  double bits = 0.0;
  const double n = static_cast<double>(s.size());
  for (const int c : counts) {
    if (c == 0) continue;
    const double p = c / n;
    bits -= p * std::log2(p);
  }
  return bits;
}

std::string redact(std::string_view secret) {
  const std::size_t shown = std::min<std::size_t>(4, secret.size() / 4);
  return std::string(secret.substr(0, shown)) + "\u2026 (" + std::to_string(secret.size()) +
         " chars)";
}

}  // namespace rules

std::vector<RuleFinding> run_rules(const review::Changeset& changeset, const RulesOptions& options) {
  std::vector<RuleFinding> out;
  for (const auto& file : changeset.files) {
    if (file.status == review::FileStatus::deleted || file.submodule) continue;
    const rules::FileView view = rules::make_view(file);
    if (options.file_checks) rules::check_files(view, options, out);
    if (file.binary || file.new_mode == review::k_mode_symlink) continue;
    if (options.secrets) rules::check_secrets(view, options, out);
    if (options.conflict_markers) rules::check_conflict_markers(view, options, out);
    if (options.whitespace) rules::check_whitespace(view, options, out);
    if (options.debug_leftovers) rules::check_debug_leftovers(view, options, out);
  }
  std::stable_sort(out.begin(), out.end(), [](const RuleFinding& a, const RuleFinding& b) {
    return std::tie(a.raised.priority, a.raised.location.path, a.raised.location.lines.start,
                    a.rule) < std::tie(b.raised.priority, b.raised.location.path,
                                       b.raised.location.lines.start, b.rule);
  });
  return out;
}

}  // namespace gavel::agents
