// Rendering Changeset values back to unified-diff text, and splitting an oversize hunk.
#include "review/chunk.hpp"

#include <cstdio>

namespace gavel::review {

namespace {

std::string mode_text(std::uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", static_cast<unsigned>(mode));
  return buf;
}

char prefix(LineOrigin origin) {
  switch (origin) {
    case LineOrigin::added: return '+';
    case LineOrigin::removed: return '-';
    case LineOrigin::context: return ' ';
  }
  return ' ';
}

std::string range_text(int start, int count) {
  if (count == 1) return std::to_string(start);
  return std::to_string(start) + "," + std::to_string(count);
}

// The section heading after the second "@@" of `header`, with its leading space, or "".
std::string section_of(const std::string& header) {
  std::size_t second = header.find("@@", 2);
  return second == std::string::npos ? std::string() : header.substr(second + 2);
}

std::string render_line(const DiffLine& line) {
  std::string out;
  out.reserve(line.text.size() + 2);
  out += prefix(line.origin);
  out += line.text;
  out += '\n';
  if (line.no_newline_at_eof) out += "\\ No newline at end of file\n";
  return out;
}

}  // namespace

std::string render_file_header(const FileDiff& file) {
  const std::string& a = file.old_path.empty() ? file.new_path : file.old_path;
  const std::string& b = file.new_path.empty() ? file.old_path : file.new_path;
  std::string out = "diff --git a/" + a + " b/" + b + "\n";
  if (file.status == FileStatus::added || file.old_mode == k_mode_absent) {
    out += "new file mode " + mode_text(file.new_mode) + "\n";
  } else if (file.status == FileStatus::deleted || file.new_mode == k_mode_absent) {
    out += "deleted file mode " + mode_text(file.old_mode) + "\n";
  } else if (file.old_mode != file.new_mode) {
    out += "old mode " + mode_text(file.old_mode) + "\nnew mode " + mode_text(file.new_mode) + "\n";
  }
  if (file.status == FileStatus::renamed || file.status == FileStatus::copied) {
    const char* verb = file.status == FileStatus::renamed ? "rename" : "copy";
    out += "similarity index " + std::to_string(file.similarity) + "%\n";
    out += std::string(verb) + " from " + file.old_path + "\n";
    out += std::string(verb) + " to " + file.new_path + "\n";
  }
  if (file.submodule) {
    out += "Submodule " + b + " " + file.old_id.substr(0, 12) + ".." + file.new_id.substr(0, 12) +
           "\n";
  } else if (file.binary) {
    out += "Binary files " + (file.old_path.empty() ? std::string("/dev/null") : "a/" + a) +
           " and " + (file.new_path.empty() ? std::string("/dev/null") : "b/" + b) + " differ\n";
  } else if (!file.hunks.empty()) {
    out += "--- " + (file.old_path.empty() ? std::string("/dev/null") : "a/" + a) + "\n";
    out += "+++ " + (file.new_path.empty() ? std::string("/dev/null") : "b/" + b) + "\n";
  }
  return out;
}

std::string render_hunk(const Hunk& hunk) {
  std::string out = hunk.header.empty() ? "@@ -" + range_text(hunk.old_start, hunk.old_count) +
                                              " +" + range_text(hunk.new_start, hunk.new_count) +
                                              " @@"
                                        : hunk.header;
  out += '\n';
  for (const DiffLine& line : hunk.lines) out += render_line(line);
  return out;
}

std::string render_patch(const Changeset& change) {
  std::string out;
  for (const FileDiff& file : change.files) {
    out += render_file_header(file);
    if (file.binary || file.submodule) continue;
    for (const Hunk& h : file.hunks) out += render_hunk(h);
  }
  return out;
}

std::vector<Hunk> split_hunk(const Hunk& hunk, std::size_t max_bytes) {
  std::vector<Hunk> parts;
  std::string section = section_of(hunk.header);
  int old_line = hunk.old_count == 0 ? hunk.old_start + 1 : hunk.old_start;
  int new_line = hunk.new_count == 0 ? hunk.new_start + 1 : hunk.new_start;
  Hunk current;
  std::size_t current_bytes = 0;
  auto flush = [&] {
    if (current.lines.empty()) return;
    // git writes the line before an empty side as its start
    if (current.old_count == 0) --current.old_start;
    if (current.new_count == 0) --current.new_start;
    current.header = "@@ -" + range_text(current.old_start, current.old_count) + " +" +
                     range_text(current.new_start, current.new_count) + " @@" + section;
    parts.push_back(std::move(current));
    current = Hunk{};
    current_bytes = 0;
  };
  constexpr std::size_t k_header_allowance = 48;  // "@@ -a,b +c,d @@" with large numbers
  for (const DiffLine& line : hunk.lines) {
    std::size_t bytes = line.text.size() + 2 + (line.no_newline_at_eof ? 29 : 0);
    if (!current.lines.empty() &&
        current_bytes + bytes + k_header_allowance + section.size() > max_bytes) {
      flush();
    }
    if (current.lines.empty()) {
      current.old_start = old_line;
      current.new_start = new_line;
    }
    current.lines.push_back(line);
    current_bytes += bytes;
    if (line.origin != LineOrigin::added) ++current.old_count, ++old_line;
    if (line.origin != LineOrigin::removed) ++current.new_count, ++new_line;
  }
  flush();
  return parts;
}

bool chunk_covers(const Chunk& chunk, std::string_view path) {
  for (const std::string& f : chunk.files) {
    if (f == path) return true;
  }
  return false;
}

}  // namespace gavel::review
