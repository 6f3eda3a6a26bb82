// read_staged_change(): the staged snapshot the pre-commit gate judges (git/staged_change.hpp).
#include "git/staged_change.hpp"

namespace gavel::git {

Result<StagedChange> read_staged_change(SnapshotReader& reader,
                                        const std::filesystem::path& index_file) {
  SnapshotOptions options;
  options.kind = review::DiffKind::staged;
  options.index_file = index_file;
  auto snap = reader.take(options);
  if (!snap) return snap.error();
  StagedChange out;
  out.repo = reader.workdir();
  if (!out.repo.empty() && out.repo.back() == '/') out.repo.pop_back();
  out.gitdir = reader.gitdir();
  out.base = snap->changes.base_commit;
  out.fingerprint = snap->changes.fingerprint;
  out.empty = snap->changes.files.empty();
  for (const auto& f : snap->changes.files) {
    if (!f.new_path.empty() && !f.new_id.empty()) out.entries.push_back({f.new_path, f.new_id});
    if (!f.old_path.empty() && f.old_path != f.new_path) out.entries.push_back({f.old_path, ""});
  }
  return out;
}

}  // namespace gavel::git
