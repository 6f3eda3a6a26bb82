#include "git/typechange.hpp"

#include <cstdio>

namespace gavel::git {

namespace {

// libgit2 gives a patch made from buffers mode 100644; put the real one in.
void set_mode_line(std::string& text, std::string_view label, std::uint32_t mode) {
  const std::string from = std::string(label) + "100644\n";
  char to[48];
  std::snprintf(to, sizeof to, "%.*s%o\n", static_cast<int>(label.size()), label.data(), mode);
  if (const auto at = text.find(from); at != std::string::npos) text.replace(at, from.size(), to);
}

Result<RenderedFile> one_side(const char* path, std::string_view content, std::uint32_t mode,
                              bool deleted, const Abbreviator& abbrev) {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INDENT_HEURISTIC;
  opts.context_lines = 3;
  opts.id_abbrev = GIT_OID_SHA1_HEXSIZE;
  git_patch* raw = nullptr;
  const int rc =
      deleted ? git_patch_from_buffers(&raw, content.data(), content.size(), path, nullptr, 0,
                                       path, &opts)
              : git_patch_from_buffers(&raw, nullptr, 0, path, content.data(), content.size(),
                                       path, &opts);
  if (rc < 0 || !raw) return git_failure(Errc::git, std::string("cannot diff ") + path);
  PatchPtr patch(raw);
  auto out = render_patch(raw, abbrev);
  if (!out) return out.error();
  const std::string_view label = deleted ? "deleted file mode " : "new file mode ";
  set_mode_line(out->patch, label, mode);
  set_mode_line(out->full_patch, label, mode);
  if (deleted) out->file.old_mode = mode;
  else out->file.new_mode = mode;
  return out;
}

}  // namespace

bool is_type_change(const git_diff_delta& d) {
  constexpr std::uint32_t k_type = 0170000;
  const bool both = d.status == GIT_DELTA_MODIFIED || d.status == GIT_DELTA_TYPECHANGE;
  return both && (d.old_file.mode & k_type) != (d.new_file.mode & k_type) &&
         d.old_file.mode != GIT_FILEMODE_COMMIT && d.new_file.mode != GIT_FILEMODE_COMMIT;
}

Result<std::pair<RenderedFile, RenderedFile>> render_typechange(const git_diff_delta& delta,
                                                               std::string_view old_content,
                                                               std::string_view new_content,
                                                               const Abbreviator& abbrev) {
  auto gone = one_side(delta.old_file.path, old_content, delta.old_file.mode, true, abbrev);
  if (!gone) return gone.error();
  auto added = one_side(delta.new_file.path, new_content, delta.new_file.mode, false, abbrev);
  if (!added) return added.error();
  return std::make_pair(std::move(*gone), std::move(*added));
}

}  // namespace gavel::git
