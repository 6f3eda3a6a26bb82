#include "bench/daemon/reference.hpp"

#include "bench/snapshot/bench_repo.hpp"
#include "git/snapshot.hpp"

#include <stdexcept>

#include <malloc.h>

namespace gavel::bench {

namespace {

git::Snapshot must(Result<git::Snapshot> r) {
  if (!r) throw std::runtime_error("snapshot: " + r.error().message);
  return std::move(*r);
}

git::SnapshotReader open_reader(const std::filesystem::path& dir, git::ReaderMode mode) {
  auto r = git::SnapshotReader::open(dir, mode);
  if (!r) throw std::runtime_error("open " + dir.string() + ": " + r.error().message);
  return std::move(*r);
}

double malloc_in_use_mb() {
  const struct mallinfo2 m = ::mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / 1e6;
}

}  // namespace

SnapshotReference measure_snapshots(const std::filesystem::path& repo_dir,
                                    const std::string& changed_path, int runs) {
  SnapshotReference ref;
  // As RepoService takes them: whole tree, new files' text loaded.
  git::SnapshotOptions full;
  full.contents = git::SnapshotOptions::Contents::new_text;
  git::SnapshotOptions limited = full;
  limited.paths = {changed_path};

  const double before_mb = malloc_in_use_mb();
  git::SnapshotReader warm = open_reader(repo_dir, git::ReaderMode::long_running);
  ref.changed_files = must(warm.take(full)).changes.files.size();  // warms the reader
  must(warm.take(full));
  ref.reader_mb = malloc_in_use_mb() - before_mb;
  ref.warm_full_ms = median_ms(runs, [&] { must(warm.take(full)); });
  ref.warm_limited_ms = median_ms(runs, [&] { must(warm.take(limited)); });
  ref.cold_full_ms = median_ms(runs, [&] {
    git::SnapshotReader cold = open_reader(repo_dir, git::ReaderMode::one_shot);
    must(cold.take(full));
  });
  const git::SnapshotScope scope = must(warm.take(full)).scope();
  for (auto [mode, out] : {std::pair{git::ReaderMode::long_running, &ref.cold_since_ms},
                           std::pair{git::ReaderMode::one_shot, &ref.cold_since_one_shot_ms}}) {
    *out = median_ms(runs, [&, mode = mode] {
      git::SnapshotReader cold = open_reader(repo_dir, mode);
      must(cold.take_since(scope, {changed_path}, full));
    });
  }
  return ref;
}

}  // namespace gavel::bench
