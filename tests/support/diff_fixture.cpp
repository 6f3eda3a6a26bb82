// Test support: see diff_fixture.hpp.
#include "tests/support/diff_fixture.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gavel::test {
namespace {

using review::DiffLine;
using review::FileDiff;
using review::LineOrigin;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::string header_path(std::string_view s) {
  if (s == "/dev/null") return {};
  if (starts_with(s, "a/") || starts_with(s, "b/")) s.remove_prefix(2);
  return std::string(s);
}

int number(std::string_view& s) {
  int n = 0;
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') n = n * 10 + (s[i++] - '0');
  if (i == 0) throw std::runtime_error("diff_fixture: bad hunk header");
  s.remove_prefix(i);
  return n;
}

void parse_range(std::string_view& s, int& start, int& count) {
  start = number(s);
  count = 1;
  if (!s.empty() && s.front() == ',') {
    s.remove_prefix(1);
    count = number(s);
  }
}

std::uint32_t octal(std::string_view s) {
  std::uint32_t mode = 0;
  for (char c : s) {
    if (c < '0' || c > '7') break;
    mode = mode * 8 + static_cast<std::uint32_t>(c - '0');
  }
  return mode;
}

}  // namespace

std::string unobfuscate(std::string text) {
  for (auto pos = text.find(k_join_marker); pos != std::string::npos;
       pos = text.find(k_join_marker, pos)) {
    text.erase(pos, k_join_marker.size());
  }
  return text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("diff_fixture: cannot read " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

review::Changeset changeset_from_diff(std::string_view diff,
                                      const std::map<std::string, std::string>& new_texts) {
  review::Changeset changeset;
  const auto lines = lines_of(diff);
  FileDiff* file = nullptr;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (starts_with(line, "diff --git ")) {
      file = &changeset.files.emplace_back();
      file->old_mode = file->new_mode = review::k_mode_file;
    } else if (!file) {
      continue;
    } else if (starts_with(line, "new file mode ")) {
      file->status = review::FileStatus::added;
      file->old_mode = review::k_mode_absent;
      file->new_mode = octal(line.substr(14));
    } else if (starts_with(line, "deleted file mode ")) {
      file->status = review::FileStatus::deleted;
      file->new_mode = review::k_mode_absent;
    } else if (starts_with(line, "old mode ")) {
      file->old_mode = octal(line.substr(9));
    } else if (starts_with(line, "new mode ")) {
      file->new_mode = octal(line.substr(9));
    } else if (starts_with(line, "Binary files ")) {
      file->binary = true;
      const auto and_pos = line.find(" and ");
      const auto differ = line.rfind(" differ");
      if (and_pos == std::string_view::npos || differ == std::string_view::npos) {
        throw std::runtime_error("diff_fixture: bad binary line");
      }
      file->old_path = header_path(line.substr(13, and_pos - 13));
      file->new_path = header_path(line.substr(and_pos + 5, differ - and_pos - 5));
    } else if (starts_with(line, "--- ")) {
      file->old_path = header_path(line.substr(4));
    } else if (starts_with(line, "+++ ")) {
      file->new_path = header_path(line.substr(4));
    } else if (starts_with(line, "@@ -")) {
      review::Hunk& hunk = file->hunks.emplace_back();
      hunk.header = std::string(line);
      std::string_view h = line.substr(4);
      parse_range(h, hunk.old_start, hunk.old_count);
      if (!starts_with(h, " +")) throw std::runtime_error("diff_fixture: bad hunk header");
      h.remove_prefix(2);
      parse_range(h, hunk.new_start, hunk.new_count);
      int old_line = hunk.old_start, new_line = hunk.new_start;
      int old_left = hunk.old_count, new_left = hunk.new_count;
      while ((old_left > 0 || new_left > 0 ||
              (i + 1 < lines.size() && starts_with(lines[i + 1], "\\"))) &&
             ++i < lines.size()) {
        const std::string_view body = lines[i];
        if (starts_with(body, "\\")) {
          if (hunk.lines.empty()) throw std::runtime_error("diff_fixture: stray marker");
          hunk.lines.back().no_newline_at_eof = true;
          continue;
        }
        DiffLine dl;
        dl.text = std::string(body.empty() ? body : body.substr(1));
        const char tag = body.empty() ? ' ' : body.front();
        if (tag == ' ') {
          dl.origin = LineOrigin::context;
          dl.old_line = old_line++;
          dl.new_line = new_line++;
          --old_left;
          --new_left;
        } else if (tag == '-') {
          dl.origin = LineOrigin::removed;
          dl.old_line = old_line++;
          --old_left;
        } else if (tag == '+') {
          dl.origin = LineOrigin::added;
          dl.new_line = new_line++;
          --new_left;
        } else {
          throw std::runtime_error("diff_fixture: bad hunk line: " + std::string(body));
        }
        hunk.lines.push_back(std::move(dl));
      }
    }
  }
  for (auto& f : changeset.files) {
    if (f.old_path.empty()) f.status = review::FileStatus::added;
    if (f.new_path.empty()) f.status = review::FileStatus::deleted;
    if (f.binary || f.new_path.empty()) continue;
    if (const auto it = new_texts.find(f.new_path); it != new_texts.end()) {
      f.new_text = it->second;
    } else if (f.status == review::FileStatus::added) {
      std::string text;
      for (const auto& hunk : f.hunks) {
        for (const auto& l : hunk.lines) {
          text += l.text;
          if (!l.no_newline_at_eof) text += '\n';
        }
      }
      f.new_text = std::move(text);
    }
  }
  return changeset;
}

std::vector<RulesCase> load_rules_corpus(const std::filesystem::path& root) {
  std::vector<RulesCase> cases;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "change.diff")) continue;
    RulesCase c;
    c.name = entry.path().filename().string();
    c.dir = entry.path();
    const auto after = entry.path() / "after";
    if (std::filesystem::is_directory(after)) {
      for (const auto& f : std::filesystem::recursive_directory_iterator(after)) {
        if (!f.is_regular_file()) continue;
        c.after.emplace(f.path().lexically_relative(after).generic_string(),
                        unobfuscate(read_file(f.path())));
      }
    }
    const std::string diff = unobfuscate(read_file(entry.path() / "change.diff"));
    c.diff_bytes = diff.size();
    c.changeset = changeset_from_diff(diff, c.after);
    if (std::filesystem::exists(entry.path() / "expected")) {
      std::istringstream in(read_file(entry.path() / "expected"));
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line.front() == '#') continue;
        std::istringstream fields(line);
        ExpectedFinding e;
        std::string range;
        if (!(fields >> e.rule >> e.path >> range)) {
          throw std::runtime_error("diff_fixture: bad expected line in " + c.name + ": " + line);
        }
        const auto dash = range.find('-');
        e.start = std::stoi(range.substr(0, dash));
        e.end = dash == std::string::npos ? e.start : std::stoi(range.substr(dash + 1));
        c.expected.push_back(std::move(e));
      }
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(),
            [](const RulesCase& a, const RulesCase& b) { return a.name < b.name; });
  return cases;
}

}  // namespace gavel::test
