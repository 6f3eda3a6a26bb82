// bench_snapshot: how long gavel takes to see an uncommitted change, next to the git CLI.
//
//   bench_snapshot [--files N] [--dirs D] [--runs R] [--dir PATH] [--keep]
//
// Generates a repository (default 100,000 files in 5,000 directories), then for each scenario
// (one file modified; 50 files; one file plus one untracked file; 5,000 files touched only)
// prints medians of: `git diff HEAD`, `git status --porcelain`, `gavel snapshot` as a process
// (cold), and SnapshotReader::take in this process (warm: repository and index loaded), for the
// whole repository and limited to the changed paths; then ratios. Results: docs/performance.md.
#include "bench/snapshot/bench_repo.hpp"

#include "git/snapshot.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdlib.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using gavel::bench::BenchRepo;
using gavel::bench::median_ms;
using gavel::bench::run_quiet;

namespace {

struct Scenario {
  std::string name;
  std::vector<int> modified;  // file indexes whose content changes
  bool untracked = false;     // plus one new untracked file
  int touched = 0;            // files whose mtime changes, content unchanged
};

struct Args {
  int files = 100000;
  int dirs = 5000;
  int runs = 7;
  fs::path dir;
  bool keep = false;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (s == "--files") a.files = std::stoi(next());
    else if (s == "--dirs") a.dirs = std::stoi(next());
    else if (s == "--runs") a.runs = std::stoi(next());
    else if (s == "--dir") a.dir = next();
    else if (s == "--keep") a.keep = true;
    else {
      std::cerr << "usage: bench_snapshot [--files N] [--dirs D] [--runs R] [--dir PATH] [--keep]\n";
      std::exit(64);
    }
  }
  return a;
}

gavel::git::Snapshot must(gavel::Result<gavel::git::Snapshot> r) {
  if (!r) {
    std::cerr << "snapshot failed: " << r.error().message << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  if (args.dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "gavel-bench-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) return 1;
    args.dir = tmpl;
  }
  const fs::path repo_dir = args.dir / "repo";
  std::printf("generating %d files in %d directories under %s ...\n", args.files, args.dirs,
              repo_dir.c_str());
  std::fflush(stdout);
  const BenchRepo repo = BenchRepo::create(repo_dir, args.files, args.dirs);

  auto reader_r = gavel::git::SnapshotReader::open(repo_dir);
  if (!reader_r) {
    std::cerr << reader_r.error().message << "\n";
    return 1;
  }
  gavel::git::SnapshotReader reader = std::move(*reader_r);
  const std::string clean_fp = must(reader.take()).changes.fingerprint;

  const int n = args.files;
  std::vector<Scenario> scenarios{{"1 file modified", {n / 2}, false, 0},
                                  {"50 files modified", {}, false, 0},
                                  {"1 file + 1 untracked", {n / 3}, true, 0},
                                  {"5000 files touched", {}, false, 5000}};
  for (int i = 0; i < 50; ++i) scenarios[1].modified.push_back((i * 1999 + 7) % n);
  scenarios[3].touched = std::min(5000, n);

  std::printf("\n%-22s %9s %9s %9s | %9s %9s | %9s %9s %9s | %7s %7s\n", "scenario (ms, median)",
              "git diff", "git stat", "git sum", "gavel", "gavel lim", "warm 1st", "warm", "warm lim",
              "cold/git", "fp ok");
  const std::string gavel = GAVEL_CLI_PATH;
  bool all_fp_ok = true;
  for (const Scenario& sc : scenarios) {
    std::vector<std::string> paths;
    for (int i : sc.modified) {
      repo.write(i, repo.content_of(i) + "an added line\n");
      paths.push_back(repo.path_of(i));
    }
    if (sc.untracked) {
      std::ofstream(repo_dir / "d0001" / "untracked.txt") << "new\n";
      paths.push_back("d0001/untracked.txt");
    }
    for (int i = 0; i < sc.touched; ++i) repo.touch((i * 20 + 3) % n);
    if (sc.touched) paths.push_back(repo.path_of(3));

    // gavel warm first: the daemon sees the change before anyone refreshes the index.
    gavel::git::Snapshot first;
    const double warm_first = median_ms(1, [&] { first = must(reader.take()); });
    const double warm = median_ms(args.runs, [&] { must(reader.take()); });
    gavel::git::SnapshotOptions limited;
    limited.paths = paths;
    const double warm_lim = median_ms(args.runs, [&] { must(reader.take(limited)); });
    const bool fp_ok = sc.touched ? first.changes.fingerprint == clean_fp
                                  : first.changes.fingerprint != clean_fp;
    all_fp_ok = all_fp_ok && fp_ok;

    std::vector<std::string> cold{gavel, "snapshot", "--patch", "-C", repo_dir.string()};
    const double gavel_cold = median_ms(args.runs, [&] { run_quiet(cold, repo_dir); });
    std::vector<std::string> cold_lim = cold;
    cold_lim.push_back("--");
    cold_lim.insert(cold_lim.end(), paths.begin(), paths.end());
    const double gavel_cold_lim = median_ms(args.runs, [&] { run_quiet(cold_lim, repo_dir); });
    const double git_diff = median_ms(args.runs, [&] { run_quiet({"git", "diff", "HEAD"}, repo_dir); });
    const double git_status =
        median_ms(args.runs, [&] { run_quiet({"git", "status", "--porcelain"}, repo_dir); });
    const double git_sum = git_diff + git_status;
    std::printf("%-22s %9.2f %9.2f %9.2f | %9.2f %9.2f | %9.2f %9.2f %9.3f | %7.2f %7s\n",
                sc.name.c_str(), git_diff, git_status, git_sum, gavel_cold, gavel_cold_lim,
                warm_first, warm, warm_lim, gavel_cold / git_sum, fp_ok ? "yes" : "NO");
    std::fflush(stdout);

    for (int i : sc.modified) repo.write(i, repo.content_of(i));
    if (sc.untracked) fs::remove(repo_dir / "d0001" / "untracked.txt");
  }
  const auto stats = reader.stats();
  std::printf("\nreader: %zu index reloads, %zu files hashed, %zu stat entries refreshed\n",
              stats.index_reloads, stats.files_hashed, stats.stats_refreshed);
  std::printf("columns: git sum = git diff HEAD + git status --porcelain; gavel = `gavel snapshot "
              "--patch` process (whole repo), gavel lim = same limited to the changed paths; "
              "warm = SnapshotReader::take in-process (warm 1st = first look after the change), "
              "warm lim = limited to the changed paths; fp ok = fingerprint changed for an edit, "
              "unchanged for touch-only\n");
  if (!args.keep) fs::remove_all(args.dir);
  else std::printf("kept %s\n", args.dir.c_str());
  return all_fp_ok ? 0 : 1;
}
