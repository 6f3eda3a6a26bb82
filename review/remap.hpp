#pragma once
// Re-mapping a line range from one snapshot of a file to the next, through the diff between
// them, and saying whether the anchored lines themselves were touched.
//
// A LineMap is the list of changed regions between an old and a new text, built either from
// both texts (a Myers line diff, common prefix/suffix trimmed first) or from a file's hunks.
// remap() moves a finding's range: lines inserted or deleted above shift it ("moved"); an edit
// that removes, replaces or splits one of its lines makes it "changed"; removing all of them with
// nothing in their place makes it "deleted". When a block was moved elsewhere (a function moved
// down), find_anchor() relocates it by its normalised code. Pure functions on values.

#include "review/changeset.hpp"
#include "review/finding.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace gavel::review {

// Old lines [old_start, old_start + old_count) became new lines [new_start, new_start +
// new_count); 1-based. A pure insertion has old_count 0 and old_start the old line it precedes.
struct LineEdit {
  int old_start = 1;
  int old_count = 0;
  int new_start = 1;
  int new_count = 0;
};

class LineMap {
 public:
  // No change at all.
  LineMap() = default;
  // The line diff of `old_text` to `new_text`. A diff that would need more than `max_edits`
  // single-line steps is given up and reported as one region replacing the differing middle.
  static LineMap from_texts(std::string_view old_text, std::string_view new_text,
                            int max_edits = 4000);
  // The changed regions of `hunks` (a FileDiff's hunks, in order).
  static LineMap from_hunks(const std::vector<Hunk>& hunks);

  const std::vector<LineEdit>& edits() const { return m_edits; }
  // Where old `line` is in the new text; nullopt when it was removed or replaced.
  std::optional<int> map_line(int line) const;

 private:
  std::vector<LineEdit> m_edits;  // sorted by old_start, non-overlapping
};

enum class RemapStatus {
  unchanged,  // same lines, same numbers
  moved,      // same lines, shifted by edits elsewhere
  changed,    // some anchored line was edited, removed, or lines were inserted inside
  deleted     // every anchored line was removed and nothing took their place
};

struct Remapped {
  LineRange range;  // best new place; for "deleted", where the lines used to be
  RemapStatus status = RemapStatus::unchanged;
};

// Where `range` of the old text is in the new text, and whether its lines were touched.
Remapped remap(const LineMap& map, LineRange range);

// The unique range of `text` whose normalised lines equal normalised `anchor` (as from
// anchor_of()); nullopt when absent, ambiguous or `anchor` is empty.
std::optional<LineRange> find_anchor(std::string_view text, std::string_view anchor);

}  // namespace gavel::review
