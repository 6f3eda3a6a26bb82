#pragma once
// Where a raised finding points, judged against the snapshot it was raised on.
//
// Called by the convergence loop right after review/report_parser.hpp, for every finding of a
// review round; pure apart from the SnapshotFiles it is given (which it only stat()s: the text of
// a finding's target is never read here). Rules, in order (DESIGN.md, "Loop rules: Locations"):
//   1. path syntax, decided before any SnapshotFiles call: empty, absolute (outside the root:
//      the parser already made paths under the root relative), a ".." component, a ".git"
//      component (any case, also ".git." / ".git " / "git~1" spellings), control characters
//      -> rejected;
//   2. the snapshot: a path through a symlinked directory, a symlink, a missing file, a
//      directory or a submodule -> rejected;
//   3. the range: ending past the last line of the file -> rejected (a 1-1 range is allowed
//      on an empty or binary file: it names the file as a whole);
//   4. more than k_adjacent_distance lines from every changed line and outside every hunk
//      (context included), or in a file the change does not touch -> adjacent (reported, never
//      blocking);
//   5. otherwise accepted (in the diff).
// Rejected findings never block, never reach the implementer and are never moved to another file.

#include "base/error.hpp"
#include "review/changeset.hpp"
#include "review/finding.hpp"
#include "review/report.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// A finding further than this many lines from every changed line is adjacent.
inline constexpr int k_adjacent_distance = 3;

enum class Placement { in_diff, adjacent, rejected };

struct LocationVerdict {
  Placement placement = Placement::rejected;
  std::string reason;  // why rejected (or adjacent); empty when in the diff
  std::string path;    // the normalised repository-relative path ("./a//b" -> "a/b")
};

// The findings of one round, sorted by placement. `in_diff` and `adjacent` carry normalised
// paths; `rejected` keeps the finding exactly as raised, with the reason.
struct CheckedFindings {
  std::vector<RaisedFinding> in_diff;
  std::vector<RaisedFinding> adjacent;
  std::vector<RejectedFinding> rejected;
};

// Checks the syntax of a finding's `path` (rule 1) without looking at any file: the normalised
// repository-relative path, or Errc::invalid_argument with the rejection reason.
Result<std::string> normalize_finding_path(std::string_view path);

// Classifies one finding. `change` is the diff the reviewer saw; `files` the snapshot.
LocationVerdict check_location(const RaisedFinding& finding, const Changeset& change,
                               const SnapshotFiles& files);

// Classifies every finding of a round, in order.
CheckedFindings check_locations(const std::vector<RaisedFinding>& findings,
                                const Changeset& change, const SnapshotFiles& files);

// Whether new-side lines [`start`, `end`] of `file` lie within the diff: inside a hunk (context
// included) or within k_adjacent_distance lines of a changed line.
bool in_diff(const FileDiff& file, int start, int end);

}  // namespace gavel::review
