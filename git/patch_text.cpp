#include "git/patch_text.hpp"

namespace gavel::git {

namespace {

using review::FileStatus;
using review::LineOrigin;

bool is_hex40(std::string_view s) {
  if (s.size() != GIT_OID_SHA1_HEXSIZE) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string abbreviate_hex(std::string_view hex40, const Abbreviator& abbrev) {
  git_oid id{};
  if (git_oid_fromstrn(&id, hex40.data(), hex40.size()) < 0) return std::string(hex40);
  return abbrev.abbreviate(id);
}

// "index <a>..<b>[ <mode>]" with full ids -> git's abbreviated form.
std::string rewrite_index_line(std::string_view line, const Abbreviator& abbrev) {
  constexpr std::string_view k_prefix = "index ";
  const std::string_view rest = line.substr(k_prefix.size());
  const std::size_t dots = rest.find("..");
  if (dots == std::string_view::npos) return std::string(line);
  const std::string_view a = rest.substr(0, dots);
  const std::size_t b_end = rest.find(' ', dots + 2);
  const std::string_view b = rest.substr(dots + 2, b_end == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : b_end - dots - 2);
  if (!is_hex40(a) || !is_hex40(b)) return std::string(line);
  std::string out(k_prefix);
  out += abbreviate_hex(a, abbrev);
  out += "..";
  out += abbreviate_hex(b, abbrev);
  if (b_end != std::string_view::npos) out += rest.substr(b_end);
  return out;
}

FileStatus status_of(git_delta_t s) {
  switch (s) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED: return FileStatus::added;
    case GIT_DELTA_DELETED: return FileStatus::deleted;
    case GIT_DELTA_RENAMED: return FileStatus::renamed;
    case GIT_DELTA_COPIED: return FileStatus::copied;
    case GIT_DELTA_TYPECHANGE: return FileStatus::type_changed;
    default: return FileStatus::modified;
  }
}

std::string_view strip_newline(const char* p, std::size_t n) {
  std::string_view s(p, n);
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

Result<void> fill_hunks(git_patch* patch, review::FileDiff& out) {
  const std::size_t hunks = git_patch_num_hunks(patch);
  for (std::size_t h = 0; h < hunks; ++h) {
    const git_diff_hunk* gh = nullptr;
    std::size_t nlines = 0;
    if (git_patch_get_hunk(&gh, &nlines, patch, h) < 0) {
      return git_failure(Errc::git, "cannot read hunk of " + out.path());
    }
    review::Hunk hunk;
    hunk.old_start = gh->old_start;
    hunk.old_count = gh->old_lines;
    hunk.new_start = gh->new_start;
    hunk.new_count = gh->new_lines;
    hunk.header = std::string(strip_newline(gh->header, gh->header_len));
    for (std::size_t l = 0; l < nlines; ++l) {
      const git_diff_line* gl = nullptr;
      if (git_patch_get_line_in_hunk(&gl, patch, h, l) < 0) {
        return git_failure(Errc::git, "cannot read diff line of " + out.path());
      }
      switch (gl->origin) {
        case GIT_DIFF_LINE_CONTEXT_EOFNL:
        case GIT_DIFF_LINE_ADD_EOFNL:
        case GIT_DIFF_LINE_DEL_EOFNL:
          if (!hunk.lines.empty()) hunk.lines.back().no_newline_at_eof = true;
          continue;
        default: break;
      }
      review::DiffLine line;
      line.origin = gl->origin == GIT_DIFF_LINE_ADDITION   ? LineOrigin::added
                    : gl->origin == GIT_DIFF_LINE_DELETION ? LineOrigin::removed
                                                           : LineOrigin::context;
      line.old_line = gl->old_lineno > 0 ? gl->old_lineno : 0;
      line.new_line = gl->new_lineno > 0 ? gl->new_lineno : 0;
      line.text = std::string(strip_newline(gl->content, gl->content_len));
      hunk.lines.push_back(std::move(line));
    }
    out.hunks.push_back(std::move(hunk));
  }
  return {};
}

// libgit2 prints "old mode"/"new mode" after the rename lines; git prints them first.
std::string mode_lines_first(std::string text) {
  const std::size_t sim = text.find("\nsimilarity index ");
  const std::size_t mode = text.find("\nold mode ");
  if (sim == std::string::npos || mode == std::string::npos || mode < sim) return text;
  const std::size_t new_mode = text.find("\nnew mode ", mode + 1);
  if (new_mode == std::string::npos) return text;
  const std::size_t end = text.find('\n', new_mode + 1);
  if (end == std::string::npos) return text;
  const std::string modes = text.substr(mode, end - mode);  // "\nold mode ...\nnew mode ..."
  text.erase(mode, end - mode);
  text.insert(sim, modes);
  return text;
}

}  // namespace

std::string quote_path(std::string_view path) {
  bool needs = false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) needs = true;
  }
  if (!needs) return std::string(path);
  std::string out = "\"";
  for (unsigned char c : path) {
    switch (c) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\v': out += "\\v"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          const char oct[] = {'\\', static_cast<char>('0' + (c >> 6)),
                              static_cast<char>('0' + ((c >> 3) & 7)),
                              static_cast<char>('0' + (c & 7)), 0};
          out += oct;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string symlink_rename_patch(const std::string& old_path, const std::string& new_path) {
  return "diff --git " + quote_path("a/" + old_path) + " " + quote_path("b/" + new_path) +
         "\nsimilarity index 100%\nrename from " + quote_path(old_path) + "\nrename to " +
         quote_path(new_path) + "\n";
}

std::string to_git_header(std::string_view full, const Abbreviator* abbrev) {
  std::string out;
  out.reserve(full.size());
  std::size_t pos = 0;
  bool in_header = true;
  // git prints "---"/"+++" only above hunks; libgit2 also prints them for an empty file.
  const bool has_hunks = full.starts_with("@@") || full.find("\n@@") != std::string_view::npos;
  while (pos < full.size()) {
    std::size_t end = full.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? full.size() : end + 1;
    if (end == std::string_view::npos) end = full.size();
    const std::string_view line = full.substr(pos, end - pos);
    if (in_header && line.starts_with("@@")) in_header = false;
    if (in_header && abbrev && line.starts_with("index ")) {
      out += rewrite_index_line(line, *abbrev);
      out += full.substr(end, next - end);
    } else if (in_header && !has_hunks && (line.starts_with("--- ") || line.starts_with("+++ "))) {
      // dropped, see has_hunks
    } else if (in_header && (line.starts_with("--- ") || line.starts_with("+++ ")) &&
               line.find(' ', 4) != std::string_view::npos) {
      out += line;
      out += '\t';
      out += full.substr(end, next - end);
    } else {
      out += full.substr(pos, next - pos);
    }
    if (in_header && line.starts_with("+++ ")) in_header = false;
    pos = next;
  }
  return out;
}

Result<RenderedFile> render_patch(git_patch* patch, const Abbreviator& abbrev) {
  const git_diff_delta* d = git_patch_get_delta(patch);
  RenderedFile out;
  review::FileDiff& f = out.file;
  f.status = status_of(d->status);
  f.untracked = d->status == GIT_DELTA_UNTRACKED;
  if (f.status != FileStatus::added) f.old_path = d->old_file.path;
  if (f.status != FileStatus::deleted) f.new_path = d->new_file.path;
  f.old_mode = f.status == FileStatus::added ? review::k_mode_absent : d->old_file.mode;
  f.new_mode = f.status == FileStatus::deleted ? review::k_mode_absent : d->new_file.mode;
  f.old_id = hex(d->old_file.id);
  f.new_id = hex(d->new_file.id);
  f.similarity = d->similarity;
  f.binary = (d->flags & GIT_DIFF_FLAG_BINARY) != 0;
  f.submodule = f.old_mode == review::k_mode_gitlink || f.new_mode == review::k_mode_gitlink;

  if (auto hunks = fill_hunks(patch, f); !hunks) return hunks.error();
  Buf text;
  if (git_patch_to_buf(text.get(), patch) < 0) {
    return git_failure(Errc::git, "cannot print the patch of " + f.path());
  }
  std::string printed(text.view());
  if (f.binary && !f.old_id.empty() && f.old_id == f.new_id) {
    // Same content (a pure rename or mode change): git shows no "Binary files" line.
    if (const auto at = printed.find("Binary files "); at != std::string::npos) {
      const auto end = printed.find('\n', at);
      printed.erase(at, end == std::string::npos ? std::string::npos : end - at + 1);
    }
  }
  printed = mode_lines_first(std::move(printed));
  out.full_patch = to_git_header(printed, nullptr);
  out.patch = to_git_header(printed, &abbrev);
  return out;
}

Result<RenderedFile> render_delta(git_diff* diff, std::size_t index, const Abbreviator& abbrev) {
  git_patch* raw = nullptr;
  if (git_patch_from_diff(&raw, diff, index) < 0 || !raw) {
    return git_failure(Errc::git, "cannot compute the patch of a changed file");
  }
  PatchPtr patch(raw);
  return render_patch(raw, abbrev);
}

}  // namespace gavel::git
