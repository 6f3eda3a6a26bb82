#pragma once
// The uncommitted change as plain values: what git/ produces and review/ reasons about.
//
// git/ builds a Changeset from libgit2 (see git/snapshot.hpp); tests build them by hand. Nothing
// here does IO. Paths are repository-relative, '/'-separated, never absolute, never under .git/.
// Line numbers are 1-based; 0 means "not on this side".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// Git file modes as they appear in trees and patches.
inline constexpr std::uint32_t k_mode_absent = 0;
inline constexpr std::uint32_t k_mode_file = 0100644;
inline constexpr std::uint32_t k_mode_executable = 0100755;
inline constexpr std::uint32_t k_mode_symlink = 0120000;
inline constexpr std::uint32_t k_mode_gitlink = 0160000;  // submodule entry

enum class FileStatus { added, deleted, modified, renamed, copied, type_changed };

enum class LineOrigin { context, added, removed };

struct DiffLine {
  LineOrigin origin = LineOrigin::context;
  int old_line = 0;  // 0 for an added line
  int new_line = 0;  // 0 for a removed line
  std::string text;  // without its line terminator ("\r" of a CRLF line is kept)
  bool no_newline_at_eof = false;  // "\ No newline at end of file" follows this line
};

struct Hunk {
  int old_start = 0;
  int old_count = 0;
  int new_start = 0;
  int new_count = 0;
  std::string header;  // the full "@@ -a,b +c,d @@ section" line, without newline
  std::vector<DiffLine> lines;
};

struct FileDiff {
  std::string old_path;  // empty for an added file
  std::string new_path;  // empty for a deleted file
  FileStatus status = FileStatus::modified;
  std::uint32_t old_mode = k_mode_absent;
  std::uint32_t new_mode = k_mode_absent;
  std::string old_id;  // full hex object id, empty when absent
  std::string new_id;  // full hex object id, empty when absent or not computed
  int similarity = 0;  // percent, for renames and copies
  bool binary = false;
  bool submodule = false;  // a gitlink: reported, never descended
  bool untracked = false;  // worktree diff only: file git does not track (shown as added)
  std::vector<Hunk> hunks;
  // New-side text of a non-binary file that exists after the change, when the snapshot was
  // taken with contents; what findings anchor to.
  std::optional<std::string> new_text;

  // The path a person would name: the new path, or the old one for a deletion.
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
};

enum class DiffKind {
  worktree,  // HEAD (or the empty tree) vs working tree, index and untracked files included
  staged,    // HEAD (or the empty tree) vs index: what a commit would contain
};

struct Changeset {
  DiffKind kind = DiffKind::worktree;
  std::string base_commit;  // hex id of HEAD's commit; empty on an unborn branch
  std::vector<FileDiff> files;
  std::string fingerprint;  // hex; equal exactly when base and diff content are equal
};

// What review/ may ask about any file of a snapshot, changed or not: whether a finding's
// location names a real file and which text it anchors to. Implemented over a repository by
// git/ and in memory by tests. Never follows a path outside the repository.
class SnapshotFiles {
 public:
  enum class Kind { missing, regular, symlink, submodule, directory };
  struct Info {
    Kind kind = Kind::missing;
    bool through_symlink = false;  // some leading directory of the path is a symlink
    std::size_t line_count = 0;    // for a regular text file
    bool binary = false;
  };

  virtual ~SnapshotFiles() = default;
  virtual Info stat(std::string_view path) const = 0;
  // The text of a regular, non-binary file; nullopt otherwise.
  virtual std::optional<std::string> text(std::string_view path) const = 0;
};

}  // namespace gavel::review
