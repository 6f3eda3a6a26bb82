#pragma once
// SnapshotView: one snapshot's changed files by path and by identity path, and moving the
// findings and suppressions gavel tracks from one snapshot to the next.
//
// Only changed files carry text (FileDiff::new_text); a file absent from both snapshots equals
// the base in both and so is unchanged. Renames keep identity through the base-side path
// (finding_id.hpp). Owned by the convergence machine; pure, no IO.

#include "review/changeset.hpp"
#include "review/finding.hpp"
#include "review/remap.hpp"
#include "review/suppression.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

class SnapshotView {
 public:
  SnapshotView() = default;
  explicit SnapshotView(Changeset changeset);

  const Changeset& changeset() const { return m_changeset; }
  const std::string& fingerprint() const { return m_changeset.fingerprint; }
  // The new-side text of `path`, when the snapshot carries it.
  const std::string* text(std::string_view path) const;
  // The base-side path of `path` (itself unless renamed or copied).
  std::string identity_path(std::string_view path) const;
  // The current path of the file whose base-side path is `identity`, when it is listed.
  std::optional<std::string> path_for_identity(std::string_view identity) const;
  // Normalised code at `location`; nullopt when this snapshot has no text for it.
  std::optional<std::string> anchor_at(const Location& location) const;

 private:
  Changeset m_changeset;
  std::map<std::string, std::size_t, std::less<>> m_by_path;
  std::map<std::string, std::size_t, std::less<>> m_by_identity;
};

// Where something anchored at `location` (identity `identity_path`, normalised `anchor`) in
// `from` is in `to`. `anchor` is nullopt when the file's text is not known in `to` (reverted
// to the base, or deleted).
struct MovedAnchor {
  Location location;
  RemapStatus status = RemapStatus::unchanged;
  std::optional<std::string> anchor;
};

// Caches one LineMap per file for a pair of snapshots.
class SnapshotMover {
 public:
  SnapshotMover(const SnapshotView& from, const SnapshotView& to) : m_from(from), m_to(to) {}
  MovedAnchor move(const Location& location, std::string_view identity_path,
                   std::string_view anchor);

 private:
  const SnapshotView& m_from;
  const SnapshotView& m_to;
  std::map<std::string, LineMap, std::less<>> m_maps;
};

// Moves every finding and suppression from `from` to `to`: locations and current_anchor are
// updated, suppressions whose code changed lapse. Returns the ids of findings whose anchored
// code changed.
std::vector<std::string> move_all(const SnapshotView& from, const SnapshotView& to,
                                  std::vector<Finding>& findings,
                                  std::vector<Suppression>& suppressions);

}  // namespace gavel::review
