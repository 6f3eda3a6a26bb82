#pragma once
// One diff delta as gavel's values: the structured FileDiff and its patch text, both as
// git 2.39 prints it (`git diff`) and with full object ids (what the fingerprint hashes).
//
// Internal to git/; called by SnapshotReader on its thread. Reads blobs and, for working-tree
// deltas, working-tree files through libgit2; writes nothing.

#include "git/abbrev.hpp"
#include "git/libgit2.hpp"

#include "review/changeset.hpp"

#include <string>
#include <string_view>

namespace gavel::git {

struct RenderedFile {
  review::FileDiff file;
  std::string patch;       // byte-identical to git's output for this file
  std::string full_patch;  // the same with 40-hex object ids on the "index" line
};

// Renders delta `index` of `diff` (which was made with id_abbrev 40).
Result<RenderedFile> render_delta(git_diff* diff, std::size_t index, const Abbreviator& abbrev);
// The same for a patch made any other way (e.g. from buffers, see typechange.hpp).
Result<RenderedFile> render_patch(git_patch* patch, const Abbreviator& abbrev);

// Rewrites libgit2's per-file patch header into git's form: object ids abbreviated by
// `abbrev`, and a TAB after a "---"/"+++" name that contains a space (git does so to keep such
// names parseable). Exposed for tests.
std::string to_git_header(std::string_view full_patch, const Abbreviator* abbrev);

// `path` as git prints it with core.quotepath on: unchanged, or C-quoted in double quotes when
// it holds a control character, '"', '\\', DEL or a byte >= 0x80.
std::string quote_path(std::string_view path);

// Joins a deletion and an addition of two symlinks with the same target into the exact rename
// git reports (libgit2 never considers symlinks for renames). Returns the text git prints.
std::string symlink_rename_patch(const std::string& old_path, const std::string& new_path);

}  // namespace gavel::git
