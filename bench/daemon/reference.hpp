#pragma once
// The same run's reference for the latency: what the snapshots gaveld takes between a settled
// change and the reviewer's start cost on this machine, measured in this process on one of the
// benchmark's repositories (with its uncommitted edit), as the daemon takes them:
//   - warm full: a long-running reader's whole-tree snapshot (RepoService after the settle);
//   - warm limited: the same, limited to the one changed path (what the 1.3-2.9 ms
//     figure measured);
//   - cold full: open a one-shot reader and take a whole-tree snapshot (`gavel snapshot`);
//   - cold since: open a long-running reader and take_since the last snapshot's scope with the
//     changed path; also with a one-shot reader, which is what gaveld's SnapshotSource does on
//     a change once its reader was dropped.
// Medians of `runs`, in ms. And the memory a warm long-running reader of that repository keeps
// (malloc's in-use bytes, mallinfo2, before opening it and after two snapshots, the reader
// alive): gaveld keeps one such reader per registered repository.

#include <filesystem>
#include <string>

namespace gavel::bench {

struct SnapshotReference {
  double warm_full_ms = 0;
  double warm_limited_ms = 0;
  double cold_full_ms = 0;
  double cold_since_ms = 0;
  double cold_since_one_shot_ms = 0;
  double reader_mb = 0;           // 10^6 bytes
  std::size_t changed_files = 0;  // in the snapshot, as a check
};

SnapshotReference measure_snapshots(const std::filesystem::path& repo_dir,
                                    const std::string& changed_path, int runs);

}  // namespace gavel::bench
