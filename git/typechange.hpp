#pragma once
// A type change (regular file <-> symlink, in either direction) rendered the way git prints it:
// the deletion of the old side followed by the addition of the new one. libgit2 prints a single
// entry instead, and its diff merge mis-pairs the two halves when asked not to detect type
// changes, so gavel diffs with GIT_DIFF_INCLUDE_TYPECHANGE and splits here.
//
// Internal to git/; called by SnapshotReader on its thread. Pure over the given contents.

#include "git/abbrev.hpp"
#include "git/patch_text.hpp"

#include <string_view>
#include <utility>

namespace gavel::git {

// True when `delta` changes the kind of a path (regular file <-> symlink), whatever status
// libgit2 gave it (git_diff_merge may call it MODIFIED). Gitlinks are never split.
bool is_type_change(const git_diff_delta& delta);

// `old_content`/`new_content`: the two sides as git stores them (a symlink's target text).
Result<std::pair<RenderedFile, RenderedFile>> render_typechange(const git_diff_delta& delta,
                                                               std::string_view old_content,
                                                               std::string_view new_content,
                                                               const Abbreviator& abbrev);

}  // namespace gavel::git
