#include "review/remap.hpp"

#include "review/finding_id.hpp"

#include <algorithm>

namespace gavel::review {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

// Myers' O(ND) diff of a[0..n) and b[0..m); marks the lines kept on each side. Returns false
// when more than `max_d` steps would be needed.
bool myers_keep(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                int max_d, std::vector<char>& keep_a, std::vector<char>& keep_b) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int offset = n + m + 1;
  std::vector<int> v(2 * static_cast<std::size_t>(offset) + 1, 0);
  std::vector<std::vector<int>> trace;  // trace[d][k + d] = furthest x on diagonal k
  int found_d = -1;
  for (int d = 0; d <= std::min(max_d, n + m) && found_d < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + offset] < v[k + 1 + offset]))
                  ? v[k + 1 + offset]
                  : v[k - 1 + offset] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + offset] = x;
      if (x >= n && y >= m) found_d = d;
    }
    trace.emplace_back(v.begin() + offset - d, v.begin() + offset + d + 1);
  }
  if (found_d < 0) return false;
  keep_a.assign(n, 0);
  keep_b.assign(m, 0);
  int x = n;
  int y = m;
  for (int d = found_d; d > 0; --d) {
    const auto& prev = trace[d - 1];
    auto at = [&](int k) { return prev[k + d - 1]; };
    int k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    int prev_k = down ? k + 1 : k - 1;
    int prev_x = at(prev_k);
    int prev_y = prev_x - prev_k;
    int mid_x = down ? prev_x : prev_x + 1;
    while (x > mid_x) keep_a[--x] = 1, keep_b[--y] = 1;  // the snake after the step
    x = prev_x;
    y = prev_y;
  }
  while (x > 0) keep_a[--x] = 1, keep_b[--y] = 1;
  return true;
}

}  // namespace

LineMap LineMap::from_texts(std::string_view old_text, std::string_view new_text,
                            int max_edits) {
  LineMap map;
  auto a = split_lines(old_text);
  auto b = split_lines(new_text);
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<std::string_view> mid_a(a.begin() + prefix, a.end() - suffix);
  std::vector<std::string_view> mid_b(b.begin() + prefix, b.end() - suffix);
  if (mid_a.empty() && mid_b.empty()) return map;
  const int base = static_cast<int>(prefix) + 1;
  std::vector<char> keep_a;
  std::vector<char> keep_b;
  if (!myers_keep(mid_a, mid_b, max_edits, keep_a, keep_b)) {
    map.m_edits.push_back({base, static_cast<int>(mid_a.size()), base,
                           static_cast<int>(mid_b.size())});
    return map;
  }
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < mid_a.size() || j < mid_b.size()) {
    if (i < mid_a.size() && j < mid_b.size() && keep_a[i] && keep_b[j]) {
      ++i, ++j;
      continue;
    }
    LineEdit e{base + static_cast<int>(i), 0, base + static_cast<int>(j), 0};
    while (i < mid_a.size() && !keep_a[i]) ++i, ++e.old_count;
    while (j < mid_b.size() && !keep_b[j]) ++j, ++e.new_count;
    map.m_edits.push_back(e);
  }
  return map;
}

LineMap LineMap::from_hunks(const std::vector<Hunk>& hunks) {
  LineMap map;
  for (const auto& hunk : hunks) {
    // git writes the line before an empty side's position; we want the line it precedes.
    int next_old = hunk.old_count == 0 ? hunk.old_start + 1 : hunk.old_start;
    int next_new = hunk.new_count == 0 ? hunk.new_start + 1 : hunk.new_start;
    std::optional<LineEdit> run;
    auto flush = [&] {
      if (run && (run->old_count > 0 || run->new_count > 0)) map.m_edits.push_back(*run);
      run.reset();
    };
    for (const auto& line : hunk.lines) {
      if (line.origin != LineOrigin::added && line.old_line > 0) next_old = line.old_line;
      if (line.origin != LineOrigin::removed && line.new_line > 0) next_new = line.new_line;
      if (line.origin == LineOrigin::context) {
        flush();
        ++next_old;
        ++next_new;
        continue;
      }
      if (!run) run = LineEdit{next_old, 0, next_new, 0};
      if (line.origin == LineOrigin::removed) {
        ++run->old_count;
        ++next_old;
      } else {
        ++run->new_count;
        ++next_new;
      }
    }
    flush();
  }
  std::sort(map.m_edits.begin(), map.m_edits.end(),
            [](const LineEdit& l, const LineEdit& r) { return l.old_start < r.old_start; });
  return map;
}

std::optional<int> LineMap::map_line(int line) const {
  int delta = 0;
  for (const auto& e : m_edits) {
    if (e.old_start > line) break;
    if (line < e.old_start + e.old_count) return std::nullopt;
    delta += e.new_count - e.old_count;
  }
  return line + delta;
}

Remapped remap(const LineMap& map, LineRange range) {
  bool touched = false;
  bool all_removed = true;
  bool replaced = false;
  for (const auto& e : map.edits()) {
    int e_end = e.old_start + e.old_count;  // exclusive
    if (e.old_count == 0) {
      // An insertion between two anchored lines splits the block.
      if (e.old_start > range.start && e.old_start <= range.end) touched = replaced = true;
      continue;
    }
    if (e.old_start <= range.end && e_end > range.start) {
      touched = true;
      if (e.new_count > 0) replaced = true;
    }
  }
  Remapped out;
  auto edit_containing = [&](int line) -> const LineEdit* {
    for (const auto& e : map.edits()) {
      if (e.old_count > 0 && line >= e.old_start && line < e.old_start + e.old_count) return &e;
    }
    return nullptr;
  };
  auto start = map.map_line(range.start);
  auto end = map.map_line(range.end);
  for (int l = range.start; l <= range.end && all_removed; ++l) all_removed = !map.map_line(l);
  if (!start) start = edit_containing(range.start)->new_start;
  if (!end) {
    const LineEdit* e = edit_containing(range.end);
    end = e->new_count > 0 ? e->new_start + e->new_count - 1 : e->new_start - 1;
  }
  out.range.start = std::max(1, *start);
  out.range.end = std::max(out.range.start, *end);
  if (!touched) {
    out.status = out.range.start == range.start ? RemapStatus::unchanged : RemapStatus::moved;
  } else {
    out.status = all_removed && !replaced ? RemapStatus::deleted : RemapStatus::changed;
  }
  return out;
}

std::optional<LineRange> find_anchor(std::string_view text, std::string_view anchor) {
  if (anchor.empty()) return std::nullopt;
  std::vector<std::string_view> want = split_lines(anchor);
  // Normalised non-blank lines of `text`, each with its 1-based line number.
  std::vector<std::string> norm;
  std::vector<int> number;
  int n = 0;
  for (auto line : split_lines(text)) {
    ++n;
    std::string nl = normalise_code(line);
    if (nl.empty()) continue;
    norm.push_back(std::move(nl));
    number.push_back(n);
  }
  std::optional<LineRange> hit;
  for (std::size_t i = 0; i + want.size() <= norm.size(); ++i) {
    bool same = std::equal(want.begin(), want.end(), norm.begin() + static_cast<long>(i));
    if (!same) continue;
    if (hit) return std::nullopt;  // ambiguous
    hit = LineRange{number[i], number[i + want.size() - 1]};
  }
  return hit;
}

}  // namespace gavel::review
