#include "review/snapshot_view.hpp"

#include "review/finding_id.hpp"

namespace gavel::review {

SnapshotView::SnapshotView(Changeset changeset) : m_changeset(std::move(changeset)) {
  for (std::size_t i = 0; i < m_changeset.files.size(); ++i) {
    const FileDiff& f = m_changeset.files[i];
    if (f.new_path.empty()) continue;
    m_by_path.emplace(f.new_path, i);
    m_by_identity.emplace(review::identity_path(m_changeset, f.new_path), i);
  }
}

const std::string* SnapshotView::text(std::string_view path) const {
  auto it = m_by_path.find(path);
  if (it == m_by_path.end()) return nullptr;
  const auto& t = m_changeset.files[it->second].new_text;
  return t ? &*t : nullptr;
}

std::string SnapshotView::identity_path(std::string_view path) const {
  return review::identity_path(m_changeset, path);
}

std::optional<std::string> SnapshotView::path_for_identity(std::string_view identity) const {
  auto it = m_by_identity.find(identity);
  if (it == m_by_identity.end()) return std::nullopt;
  return m_changeset.files[it->second].new_path;
}

std::optional<std::string> SnapshotView::anchor_at(const Location& location) const {
  const std::string* t = text(location.path);
  if (!t) return std::nullopt;
  return anchor_of(*t, location.lines);
}

MovedAnchor SnapshotMover::move(const Location& location, std::string_view identity_path,
                                std::string_view anchor) {
  MovedAnchor out;
  out.location = location;
  if (auto renamed = m_to.path_for_identity(identity_path)) out.location.path = *renamed;
  const std::string* old_text = m_from.text(location.path);
  const std::string* new_text = m_to.text(out.location.path);
  bool renamed = out.location.path != location.path;
  if (!old_text && !new_text) {
    // Equal to the base in both snapshots.
    out.status = renamed ? RemapStatus::moved : RemapStatus::unchanged;
    out.anchor = std::string(anchor);
    return out;
  }
  if (!new_text) {
    // Reverted to the base or deleted: the text is not known here.
    out.status = RemapStatus::changed;
    return out;
  }
  if (old_text) {
    auto it = m_maps.find(out.location.path);
    if (it == m_maps.end()) {
      it = m_maps.emplace(out.location.path, LineMap::from_texts(*old_text, *new_text)).first;
    }
    Remapped r = remap(it->second, location.lines);
    out.location.lines = r.range;
    out.status = r.status;
    if (renamed && r.status == RemapStatus::unchanged) out.status = RemapStatus::moved;
  }
  out.anchor = anchor_of(*new_text, out.location.lines);
  if (*out.anchor == anchor) {
    if (!old_text) out.status = RemapStatus::unchanged;
    return out;
  }
  // The lines there differ: the block may have moved as a whole (a function moved).
  if (auto found = find_anchor(*new_text, anchor)) {
    out.location.lines = *found;
    out.anchor = std::string(anchor);
    out.status = RemapStatus::moved;
    return out;
  }
  if (out.status == RemapStatus::unchanged || out.status == RemapStatus::moved) {
    out.status = RemapStatus::changed;
  }
  return out;
}

std::vector<std::string> move_all(const SnapshotView& from, const SnapshotView& to,
                                  std::vector<Finding>& findings,
                                  std::vector<Suppression>& suppressions) {
  SnapshotMover mover(from, to);
  std::vector<std::string> changed;
  for (auto& f : findings) {
    MovedAnchor m = mover.move(f.raised.location, f.identity_path, f.current_anchor);
    f.raised.location = m.location;
    std::string now = m.anchor.value_or(std::string());
    if (now != f.current_anchor) changed.push_back(f.id);
    f.current_anchor = std::move(now);
  }
  for (auto& s : suppressions) {
    if (s.state != SuppressionState::active) continue;
    MovedAnchor m = mover.move(s.raised.location, s.identity_path, s.anchor);
    update_suppression(s, m.location, m.anchor);
  }
  return changed;
}

}  // namespace gavel::review
