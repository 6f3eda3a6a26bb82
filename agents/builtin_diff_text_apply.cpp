// Reading unified diffs and applying them in memory: see builtin_diff_text.hpp.
#include "agents/builtin_diff_text.hpp"

#include <algorithm>
#include <charconv>

namespace gavel::agents::difftext {
namespace {

using Lines = std::vector<std::string>;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "a/src/x.cpp\t2024-..." -> "src/x.cpp"; "/dev/null" -> ""; nullopt for quoted names.
std::optional<std::string> header_path(std::string_view rest) {
  rest = strip_eol(rest);
  if (const auto tab = rest.find('\t'); tab != std::string_view::npos) rest = rest.substr(0, tab);
  if (rest.empty() || rest.front() == '"') return std::nullopt;
  if (rest == "/dev/null") return std::string();
  if (starts_with(rest, "a/") || starts_with(rest, "b/")) rest.remove_prefix(2);
  return std::string(rest);
}

// Parses "-a[,b]" or "+c[,d]" at `s`; advances `s`.
bool parse_range(std::string_view& s, char sign, int& start, int& count) {
  if (s.empty() || s.front() != sign) return false;
  s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), start);
  if (ec != std::errc()) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  count = 1;
  if (!s.empty() && s.front() == ',') {
    s.remove_prefix(1);
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), count);
    if (ec2 != std::errc()) return false;
    s.remove_prefix(static_cast<std::size_t>(q - s.data()));
  }
  return true;
}

bool parse_hunk_header(std::string_view line, PatchHunk& hunk) {
  line.remove_prefix(3);  // "@@ "
  if (!parse_range(line, '-', hunk.old_start, hunk.old_count)) return false;
  if (line.empty() || line.front() != ' ') return false;
  line.remove_prefix(1);
  return parse_range(line, '+', hunk.new_start, hunk.new_count) && starts_with(line, " @@");
}

// Position of `block` in `lines`, nearest to `expected`, at or after `floor`.
std::optional<std::size_t> find_block(const Lines& lines, const Lines& block, long expected,
                                      std::size_t floor) {
  if (block.size() > lines.size()) return std::nullopt;
  const long last = static_cast<long>(lines.size() - block.size());
  const auto matches = [&](long pos) {
    return pos >= static_cast<long>(floor) && pos <= last &&
           std::equal(block.begin(), block.end(), lines.begin() + pos);
  };
  for (long d = 0; d <= last + std::abs(expected) + 1; ++d) {
    if (matches(expected + d)) return static_cast<std::size_t>(expected + d);
    if (d > 0 && matches(expected - d)) return static_cast<std::size_t>(expected - d);
  }
  return std::nullopt;
}

// Applies the hunks of `patch`, from the old side to the new side when `forward`, else checks
// the new side is already there. nullopt when some hunk does not match.
std::optional<Lines> run_hunks(Lines work, const FilePatch& patch, bool forward) {
  long delta = 0;
  std::size_t floor = 0;
  for (const auto& hunk : patch.hunks) {
    Lines from, to;
    for (const auto& [tag, text] : hunk.lines) {
      if (tag != '+') (forward ? from : to).push_back(text);
      if (tag != '-') (forward ? to : from).push_back(text);
    }
    std::size_t lead = 0, trail = 0;
    while (lead < hunk.lines.size() && hunk.lines[lead].first == ' ') ++lead;
    while (trail < hunk.lines.size() - lead && hunk.lines[hunk.lines.size() - 1 - trail].first == ' ')
      ++trail;
    const int start = forward ? hunk.old_start : hunk.new_start;
    bool placed = false;
    for (std::size_t fuzz = 0; fuzz <= std::max(lead, trail) && !placed; ++fuzz) {
      const std::size_t front = std::min(fuzz, lead), back = std::min(fuzz, trail);
      if (front + back > from.size()) break;
      // An empty block anchors nowhere: only a hunk with no old lines at all may trust its
      // line number, and only when applying (a vanished deletion proves nothing).
      if (front + back == from.size() && (fuzz > 0 || !forward)) break;
      const Lines f(from.begin() + static_cast<long>(front), from.end() - static_cast<long>(back));
      const Lines t(to.begin() + static_cast<long>(front), to.end() - static_cast<long>(back));
      const long natural = f.empty() ? start : start - 1 + static_cast<long>(front);
      std::optional<std::size_t> pos;
      if (!f.empty()) {
        pos = find_block(work, f, natural + delta, floor);
      } else if (natural + delta >= static_cast<long>(floor) &&
                 natural + delta <= static_cast<long>(work.size())) {
        pos = static_cast<std::size_t>(natural + delta);  // pure insertion: trust the number
      }
      if (!pos) continue;
      work.erase(work.begin() + static_cast<long>(*pos),
                 work.begin() + static_cast<long>(*pos + f.size()));
      work.insert(work.begin() + static_cast<long>(*pos), t.begin(), t.end());
      delta = static_cast<long>(*pos) - natural + static_cast<long>(t.size()) -
              static_cast<long>(f.size());
      floor = *pos + t.size();
      placed = true;
    }
    if (!placed) return std::nullopt;
  }
  return work;
}

}  // namespace

std::optional<std::vector<FilePatch>> parse_unified_diff(std::string_view text) {
  const auto lines = split_lines(text);
  std::vector<FilePatch> files;
  bool fresh_header = false;  // "diff --git" seen, "---" not yet
  for (std::size_t i = 0; i < lines.size();) {
    const std::string_view line = lines[i];
    if (starts_with(line, "diff --git ")) {
      files.emplace_back();
      fresh_header = true;
      ++i;
    } else if (starts_with(line, "GIT binary patch") || starts_with(line, "Binary files ")) {
      return std::nullopt;
    } else if (starts_with(line, "--- ") && i + 1 < lines.size() &&
               starts_with(lines[i + 1], "+++ ")) {
      if (!fresh_header) files.emplace_back();
      fresh_header = false;
      auto old_path = header_path(line.substr(4));
      auto new_path = header_path(lines[i + 1].substr(4));
      if (!old_path || !new_path) return std::nullopt;
      files.back().old_path = std::move(*old_path);
      files.back().new_path = std::move(*new_path);
      i += 2;
    } else if (starts_with(line, "@@ ")) {
      if (files.empty()) return std::nullopt;
      PatchHunk hunk;
      if (!parse_hunk_header(strip_eol(line), hunk)) return std::nullopt;
      int old_left = hunk.old_count, new_left = hunk.new_count;
      ++i;
      while ((old_left > 0 || new_left > 0) && i < lines.size()) {
        std::string_view body = lines[i];
        const char tag = body.empty() || body == "\n" || body == "\r\n" ? ' ' : body.front();
        if (tag == '\\') {
          if (hunk.lines.empty()) return std::nullopt;
          auto& prev = hunk.lines.back().second;
          if (!prev.empty() && prev.back() == '\n') prev.pop_back();
          ++i;
          continue;
        }
        if (tag != ' ' && tag != '-' && tag != '+') return std::nullopt;
        std::string content(body.empty() || body.front() == '\n' || body.front() == '\r'
                                ? body
                                : body.substr(1));
        if (content.empty() || content.back() != '\n') content += '\n';
        if (tag != '+') --old_left;
        if (tag != '-') --new_left;
        if (old_left < 0 || new_left < 0) return std::nullopt;
        hunk.lines.emplace_back(tag, std::move(content));
        ++i;
      }
      if (old_left > 0 || new_left > 0) return std::nullopt;
      while (i < lines.size() && starts_with(lines[i], "\\")) {  // marker after the last line
        auto& prev = hunk.lines.back().second;
        if (!prev.empty() && prev.back() == '\n') prev.pop_back();
        ++i;
      }
      files.back().hunks.push_back(std::move(hunk));
    } else {
      ++i;  // index, mode, similarity lines, prose around the patch
    }
  }
  std::erase_if(files, [](const FilePatch& f) { return f.hunks.empty(); });
  if (files.empty()) return std::nullopt;
  return files;
}

ApplyResult apply_file_patch(std::string_view text, const FilePatch& patch) {
  const auto split = split_lines(text);
  const Lines lines(split.begin(), split.end());
  if (auto out = run_hunks(lines, patch, /*forward=*/true)) {
    ApplyResult result{ApplyOutcome::applied, {}};
    for (const auto& line : *out) result.text += line;
    return result;
  }
  if (run_hunks(lines, patch, /*forward=*/false)) {
    return {ApplyOutcome::already_applied, std::string(text)};
  }
  return {ApplyOutcome::mismatch, {}};
}

}  // namespace gavel::agents::difftext
