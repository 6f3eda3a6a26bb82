#pragma once
// ScratchTree: a private copy of a snapshot for an implementer agent to edit, so that the
// developer's working tree is never touched (DESIGN.md "Safety rules").
//
// It is a new repository in a directory of its own that borrows the developer's objects
// read-only through git alternates: its HEAD is detached at the snapshot's base commit (or
// unborn), the base tree is checked out, and the snapshot's changes are written over it.
// Nothing is ever written to the developer's repository or working tree; objects the scratch
// creates go to its own object database. The directory is removed when the ScratchTree dies.
// Called from one thread at a time (the session runner's); synchronous.
//
// An agent edits the scratch tree with its own tools and may also edit its .git; what gavel
// reads back (open_reader) must still be this tree, or the reviewer would review one tree
// while changes_since_created offers another.

#include "base/error.hpp"
#include "git/snapshot.hpp"
#include "review/changeset.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace gavel::git {

class ScratchTree {
 public:
  // Creates the scratch copy of `snapshot` (a worktree Changeset taken with contents) of the
  // repository whose working tree is `source_workdir`, in a new directory under `parent`.
  // Binary files' bytes are copied from the source working tree.
  static Result<ScratchTree> create(const std::filesystem::path& source_workdir,
                                    const review::Changeset& snapshot,
                                    const std::filesystem::path& parent);

  ScratchTree(ScratchTree&&) noexcept;
  ScratchTree& operator=(ScratchTree&&) noexcept;
  ~ScratchTree();

  const std::filesystem::path& workdir() const noexcept;

  enum class ApplyMode { apply, check_only };
  // Applies a unified diff to the scratch working tree. Refused, with nothing written, when a
  // path in it is absolute, climbs out with "..", enters .git, or the patch does not apply.
  Result<void> apply_patch(const std::string& patch, ApplyMode mode);

  // The implementer's work so far: the diff from the snapshot as created to the scratch
  // working tree now, as patch text (empty when nothing changed).
  Result<std::string> changes_since_created() const;

  // A one-shot reader of the scratch tree (git/scratch_reader.cpp). Errc::invalid_argument when
  // the repository it opens is no longer this one: its working tree or git directory resolves
  // elsewhere (core.worktree set in .git/config, .git replaced by a symlink or a gitfile), or
  // its HEAD moved (the agent committed, reset or checked out: the snapshot would then hide
  // changes that changes_since_created() offers).
  Result<SnapshotReader> open_reader() const;

 private:
  // HEAD is still where create() put it: detached at the base commit, or unborn.
  Result<void> check_head() const;

  struct Impl;
  explicit ScratchTree(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// Whether `path` (repository-relative, as in a patch) is safe to write: not absolute, no ".."
// component, no ".git" component (any case). Exposed for tests.
bool is_confined_path(const std::string& path);

}  // namespace gavel::git
