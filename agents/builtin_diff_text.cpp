// Writing unified diffs: see builtin_diff_text.hpp. Reading and applying is in
// builtin_diff_text_apply.cpp.
#include "agents/builtin_diff_text.hpp"

#include <algorithm>

namespace gavel::agents::difftext {
namespace {

// Appends one patch line; a line without terminator gets git's "\ No newline" marker.
void emit(std::string& out, char tag, std::string_view line) {
  out += tag;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

std::string range(int start, int count) {
  // A zero-length range names the line before it, as diff does.
  return std::to_string(count == 0 ? start - 1 : start) + "," + std::to_string(count);
}

}  // namespace

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

std::string_view strip_eol(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string replacement_diff(std::string_view path, const std::vector<std::string_view>& lines,
                             int first, int last, const std::vector<std::string>& replacement,
                             int context) {
  const int n = static_cast<int>(lines.size());
  if (first < 1 || first > n + 1 || last < first - 1 || last > n || context < 0) return {};
  if (last - first + 1 == static_cast<int>(replacement.size()) &&
      std::equal(replacement.begin(), replacement.end(), lines.begin() + (first - 1))) {
    return {};
  }
  // A line without terminator may only be last: context after it would be invalid.
  for (std::size_t i = 0; i + 1 < replacement.size(); ++i) {
    if (replacement[i].empty() || replacement[i].back() != '\n') return {};
  }
  if (!replacement.empty() &&
      (replacement.back().empty() || (replacement.back().back() != '\n' && last < n))) {
    return {};
  }

  const int ctx_first = std::max(1, first - context);
  const int ctx_last = std::min(n, last + context);
  const int old_count = ctx_last - ctx_first + 1;
  const int new_count =
      (first - ctx_first) + static_cast<int>(replacement.size()) + (ctx_last - last);

  std::string out;
  out += "diff --git a/";
  out.append(path);
  out += " b/";
  out.append(path);
  out += "\n--- a/";
  out.append(path);
  out += "\n+++ b/";
  out.append(path);
  out += "\n@@ -" + range(ctx_first, old_count) + " +" + range(ctx_first, new_count) + " @@\n";
  for (int i = ctx_first; i < first; ++i) emit(out, ' ', lines[static_cast<std::size_t>(i - 1)]);
  for (int i = first; i <= last; ++i) emit(out, '-', lines[static_cast<std::size_t>(i - 1)]);
  for (const auto& line : replacement) emit(out, '+', line);
  for (int i = last + 1; i <= ctx_last; ++i) emit(out, ' ', lines[static_cast<std::size_t>(i - 1)]);
  return out;
}

std::string diff_texts(std::string_view path, std::string_view old_text, std::string_view new_text,
                       int context) {
  if (old_text == new_text) return {};
  const auto old_lines = split_lines(old_text);
  const auto new_lines = split_lines(new_text);
  std::size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() &&
         old_lines[prefix] == new_lines[prefix]) {
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < old_lines.size() - prefix && suffix < new_lines.size() - prefix &&
         old_lines[old_lines.size() - 1 - suffix] == new_lines[new_lines.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<std::string> replacement(new_lines.begin() + static_cast<std::ptrdiff_t>(prefix),
                                       new_lines.end() - static_cast<std::ptrdiff_t>(suffix));
  const int first = static_cast<int>(prefix) + 1;
  const int last = static_cast<int>(old_lines.size() - suffix);
  return replacement_diff(path, old_lines, first, last, replacement, context);
}

}  // namespace gavel::agents::difftext
