#include "review/location_check.hpp"

#include <algorithm>
#include <cctype>

namespace gavel::review {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// ".git", or a spelling that some file system folds to it: trailing dots or spaces (NTFS),
// the 8.3 short name "git~1".
bool is_git_dir_name(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) {
    if (iequals(name, ".git")) return true;
    name.remove_suffix(1);
  }
  return iequals(name, ".git") || iequals(name, "git~1");
}

std::string range_text(const LineRange& r) {
  return r.start == r.end ? "line " + std::to_string(r.start)
                          : "lines " + std::to_string(r.start) + "-" + std::to_string(r.end);
}

const FileDiff* find_file(const Changeset& change, std::string_view path) {
  for (const FileDiff& f : change.files) {
    if (!f.new_path.empty() && f.new_path == path) return &f;
  }
  return nullptr;
}

LocationVerdict rejected(std::string path, std::string reason) {
  return {Placement::rejected, std::move(reason), std::move(path)};
}

}  // namespace

Result<std::string> normalize_finding_path(std::string_view path) {
  if (path.empty()) return fail(Errc::invalid_argument, "empty path");
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return fail(Errc::invalid_argument, "path contains a control character");
    }
  }
  if (path.front() == '/') {
    return fail(Errc::invalid_argument, "absolute path outside the repository");
  }
  std::string out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") return fail(Errc::invalid_argument, "path leaves the repository (\"..\")");
    if (is_git_dir_name(part)) return fail(Errc::invalid_argument, "path enters .git");
    if (!out.empty()) out += '/';
    out.append(part);
  }
  if (out.empty()) return fail(Errc::invalid_argument, "path names the repository root");
  return out;
}

bool in_diff(const FileDiff& file, int start, int end) {
  for (const Hunk& h : file.hunks) {
    // The hunk's new-side span, context included; a pure deletion sits between two lines.
    int first = h.new_start;
    int last = h.new_count > 0 ? h.new_start + h.new_count - 1 : h.new_start + 1;
    if (start <= last && end >= first) return true;
    // git numbers an empty new side by the line before it
    int previous_new = h.new_count == 0 ? h.new_start : std::max(0, h.new_start - 1);
    for (const DiffLine& line : h.lines) {
      int changed_first = 0;
      int changed_last = 0;
      if (line.origin == LineOrigin::added) {
        changed_first = changed_last = line.new_line;
      } else if (line.origin == LineOrigin::removed) {
        changed_first = previous_new;  // the lines on both sides of the deletion point
        changed_last = previous_new + 1;
      } else {
        previous_new = line.new_line;
        continue;
      }
      if (line.origin == LineOrigin::added) previous_new = line.new_line;
      if (start <= changed_last + k_adjacent_distance &&
          end >= changed_first - k_adjacent_distance) {
        return true;
      }
    }
  }
  return false;
}

LocationVerdict check_location(const RaisedFinding& finding, const Changeset& change,
                               const SnapshotFiles& files) {
  const LineRange& range = finding.location.lines;
  auto normal = normalize_finding_path(finding.location.path);
  if (!normal) return rejected(finding.location.path, normal.error().message);
  const std::string& path = *normal;
  if (range.start < 1 || range.end < range.start) {
    return rejected(path, "invalid line range " + std::to_string(range.start) + "-" +
                              std::to_string(range.end));
  }

  SnapshotFiles::Info info = files.stat(path);
  if (info.through_symlink) return rejected(path, "path passes through a symlink");
  switch (info.kind) {
    case SnapshotFiles::Kind::missing: return rejected(path, "file not in the snapshot");
    case SnapshotFiles::Kind::symlink: return rejected(path, "file is a symlink");
    case SnapshotFiles::Kind::directory: return rejected(path, "path is a directory");
    case SnapshotFiles::Kind::submodule: return rejected(path, "path is a submodule");
    case SnapshotFiles::Kind::regular: break;
  }
  bool whole_file = range.start == 1 && range.end == 1;
  if (info.binary && !whole_file) {
    return rejected(path, range_text(range) + " given for a binary file");
  }
  if (!info.binary && static_cast<std::size_t>(range.end) > info.line_count &&
      !(whole_file && info.line_count == 0)) {
    return rejected(path, range_text(range) + " runs past the end of the file (" +
                              std::to_string(info.line_count) + " lines)");
  }

  const FileDiff* diff = find_file(change, path);
  if (diff == nullptr) {
    return {Placement::adjacent, "file is not part of the change", path};
  }
  if (diff->binary || in_diff(*diff, range.start, range.end)) {
    return {Placement::in_diff, {}, path};
  }
  return {Placement::adjacent,
          range_text(range) + " more than " + std::to_string(k_adjacent_distance) +
              " lines from every change",
          path};
}

CheckedFindings check_locations(const std::vector<RaisedFinding>& findings,
                                const Changeset& change, const SnapshotFiles& files) {
  CheckedFindings out;
  for (const RaisedFinding& f : findings) {
    LocationVerdict v = check_location(f, change, files);
    if (v.placement == Placement::rejected) {
      out.rejected.push_back({f, std::move(v.reason)});
      continue;
    }
    RaisedFinding normal = f;
    normal.location.path = std::move(v.path);
    (v.placement == Placement::in_diff ? out.in_diff : out.adjacent).push_back(std::move(normal));
  }
  return out;
}

}  // namespace gavel::review
