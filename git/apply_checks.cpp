// Checks a parsed patch before worktree_apply.cpp writes anything; see apply_checks.hpp.
#include "git/apply_checks.hpp"

#include <cctype>
#include <set>
#include <vector>

namespace gavel::git {

namespace {

// `s` split at every '/', empty parts included.
std::vector<std::string_view> components(std::string_view s) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t end = s.find('/', start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// A deletion must remove exactly what the file holds.
Result<void> check_deletions(git_diff* diff, const std::map<std::string, TreeFile>& pre) {
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    const auto at = pre.find(d->old_file.path ? d->old_file.path : "");
    if (d->status != GIT_DELTA_DELETED || at == pre.end()) continue;
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff, i) != 0) return git_failure(Errc::parse, "read patch");
    PatchPtr patch(raw);
    std::string removed;
    bool last_deleted_newline = false;
    for (std::size_t h = 0; h < git_patch_num_hunks(raw); ++h) {
      for (int l = 0, lines = git_patch_num_lines_in_hunk(raw, h); l < lines; ++l) {
        const git_diff_line* line = nullptr;
        if (git_patch_get_line_in_hunk(&line, raw, h, static_cast<std::size_t>(l)) != 0) {
          return git_failure(Errc::parse, "read patch");
        }
        // "\ No newline at end of file" applies to the line before it; libgit2's parser
        // does not say which side it is on (it reports ADD_EOFNL even after a deletion).
        const bool eofnl = line->origin == GIT_DIFF_LINE_DEL_EOFNL ||
                           line->origin == GIT_DIFF_LINE_ADD_EOFNL ||
                           line->origin == GIT_DIFF_LINE_CONTEXT_EOFNL;
        if (eofnl && last_deleted_newline) removed.pop_back();
        last_deleted_newline = line->origin == GIT_DIFF_LINE_DELETION && line->content_len > 0 &&
                               line->content[line->content_len - 1] == '\n';
        if (line->origin == GIT_DIFF_LINE_DELETION) removed.append(line->content, line->content_len);
      }
    }
    bool same = false;
    if (d->flags & GIT_DIFF_FLAG_BINARY) {
      same = d->old_file.id_abbrev >= 7 && git_oid_ncmp(&d->old_file.id, &at->second.id, d->old_file.id_abbrev) == 0;
    } else {
      git_oid id{};
      same = git_odb_hash(&id, removed.data(), removed.size(), GIT_OBJECT_BLOB) == 0 &&
             git_oid_equal(&id, &at->second.id);
    }
    if (!same) {
      return fail(Errc::conflict, "the patch does not apply cleanly: " + at->first +
                                      " does not hold what the patch deletes; nothing was written");
    }
  }
  return {};
}

}  // namespace

Result<void> check_creations_and_deletions(git_diff* diff, const std::map<std::string, TreeFile>& pre) {
  // A file the patch creates must not exist, unless the patch also removes it (a type change).
  std::set<std::string> created, removed;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_ADDED || d->status == GIT_DELTA_RENAMED || d->status == GIT_DELTA_COPIED) {
      created.insert(d->new_file.path);
    }
    if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_RENAMED) removed.insert(d->old_file.path);
  }
  for (const std::string& p : created) {
    if (pre.count(p) && !removed.count(p)) {
      return fail(Errc::conflict, "the patch does not apply cleanly: " + p +
                                      " already exists in the working tree; nothing was written");
    }
  }
  return check_deletions(diff, pre);
}

Result<void> check_link_target(const std::string& path, std::string_view target) {
  auto refuse = [&](const std::string& where) {
    return fail(Errc::invalid_argument, "patch makes a symlink pointing " + where + ": " + path + " -> " +
                                            std::string(target) + "; nothing was written");
  };
  if (target.empty() || target.front() == '/') return refuse("outside the working tree");
  const std::size_t slash = path.rfind('/');
  std::vector<std::string_view> at;  // where the target leads, from the root: the link's directory
  if (slash != std::string::npos) at = components(std::string_view(path).substr(0, slash));
  bool named = false;  // a name came before: a later ".." may climb out of a symlink
  for (const std::string_view part : components(target)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      // "up/../.." through a link `up` the same patch makes would escape what is judged here:
      // only leading ".." parts are allowed.
      if (named) return refuse("outside the working tree: \"..\" after a name (only leading \"..\" is allowed)");
      if (at.empty()) return refuse("outside the working tree");
      at.pop_back();
      continue;
    }
    std::string lower(part);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == ".git") return refuse("into .git");
    named = true;
    at.push_back(part);
  }
  if (at.empty()) return refuse("at the root of the working tree");
  return {};
}

}  // namespace gavel::git
