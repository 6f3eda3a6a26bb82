// Differential test: gavel's snapshots against the git CLI on seeded random repositories.
//
// For each case: `git diff HEAD` (or against the empty tree on an unborn branch) must equal the
// tracked part of gavel's worktree patch byte for byte; every untracked file gavel reports must
// equal `git diff --no-index /dev/null <file>` and the set must equal `git ls-files -o
// --exclude-standard`; `git diff --cached` must equal the staged patch; `--name-status` must
// equal the file list. GAVEL_DIFF_CASES (default 300) and GAVEL_DIFF_SEED change the run; a
// mismatch prints the seed, the case and the steps that built it, and keeps its directory.
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"
#include "tests/unit/git/repo_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gavel::git {
namespace {

using test::RepoGenerator;
using test::TempGitRepo;

constexpr const char* k_empty_tree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::vector<std::string> split_z(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const std::size_t end = s.find('\0', pos);
    out.push_back(s.substr(pos, end - pos));
    pos = end == std::string::npos ? s.size() : end + 1;
  }
  return out;
}

// git's C-style quoting of a path (core.quotepath on), as in raw diff output.
std::string quote(const std::string& path) {
  bool needs = false;
  for (unsigned char c : path) needs = needs || c < 0x20 || c == '"' || c == '\\' || c >= 0x7f;
  if (!needs) return path;
  std::string out = "\"";
  for (unsigned char c : path) {
    const char* esc = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '"' ? "\\\"" : c == '\\' ? "\\\\" : nullptr;
    if (esc) {
      out += esc;
    } else if (c < 0x20 || c >= 0x7f) {
      char oct[5];
      std::snprintf(oct, sizeof oct, "\\%03o", c);
      out += oct;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Splits `git diff --patch-with-raw` output into "<status>\t<paths>" entries and the patch.
std::pair<std::vector<std::string>, std::string> split_raw(const std::string& out) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < out.size() && out[pos] == ':') {
    const std::size_t end = out.find('\n', pos);
    const std::string line = out.substr(pos, end - pos);
    const std::size_t tab = line.find('\t');
    const std::size_t sp = line.rfind(' ', tab);
    names.push_back(line.substr(sp + 1, tab - sp - 1) + line.substr(tab));
    pos = end + 1;
  }
  if (pos < out.size() && out[pos] == '\n') ++pos;  // blank line between raw and patch
  return {names, out.substr(pos)};
}

std::vector<std::string> gavel_name_status(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& f : s.changes.files) {
    if (f.untracked) continue;
    std::string e;
    auto score = [&](char letter) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%c%03d", letter, f.similarity);
      return std::string(buf) + "\t" + quote(f.old_path) + "\t" + quote(f.new_path);
    };
    switch (f.status) {
      case review::FileStatus::added: e = "A\t" + quote(f.new_path); break;
      case review::FileStatus::deleted: e = "D\t" + quote(f.old_path); break;
      case review::FileStatus::renamed: e = score('R'); break;
      case review::FileStatus::copied: e = score('C'); break;
      case review::FileStatus::type_changed: e = "T\t" + quote(f.new_path); break;
      default: e = "M\t" + quote(f.new_path); break;
    }
    // git's patch splits a type change (file <-> symlink) into a deletion and an addition,
    // as gavel reports it; the raw format calls the pair "T".
    if (e.starts_with("A\t") && !out.empty() && out.back() == "D\t" + quote(f.new_path)) {
      out.back() = "T\t" + quote(f.new_path);
      continue;
    }
    out.push_back(e);
  }
  return out;
}

std::string tracked_patch(const Snapshot& s) {
  std::string out;
  for (std::size_t i = 0; i < s.changes.files.size(); ++i) {
    if (!s.changes.files[i].untracked) out += s.file_patches[i];
  }
  return out;
}

// `diff -u` of two texts, for a readable mismatch report.
std::string text_diff(const TempGitRepo& repo, const std::string& label, const std::string& git,
                      const std::string& gavel) {
  const auto dir = repo.root();
  const std::string a = (dir / (label + ".git")).string(), b = (dir / (label + ".gavel")).string();
  std::ofstream(a, std::ios::binary) << git;
  std::ofstream(b, std::ios::binary) << gavel;
  return label + " differs (diff -u git gavel):\n" +
         test::run_process({"diff", "-u", a, b}, dir, repo.env()).out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

// Runs one case; returns an empty string when gavel and git agree, else what differed.
std::string run_case(TempGitRepo& repo, std::uint64_t seed, std::vector<std::string>& steps) {
  RepoGenerator gen(repo, seed);
  struct Keep {
    RepoGenerator& g;
    std::vector<std::string>& out;
    ~Keep() { out = g.steps(); }
  } keep{gen, steps};
  const bool born = gen.make_base();
  // Odd cases read like `gavel snapshot` (one_shot), even ones like the daemon (long_running).
  const ReaderMode mode = seed % 2 ? ReaderMode::one_shot : ReaderMode::long_running;
  auto reader = SnapshotReader::open(repo.path(), mode);
  if (!reader) return "open failed: " + reader.error().message;
  if (born && !reader->take()) return "warm-up snapshot failed";  // exercise the warm path
  gen.edit();

  std::ostringstream problems;
  auto worktree = reader->take();
  SnapshotOptions staged_opts;
  staged_opts.kind = review::DiffKind::staged;
  auto staged = reader->take(staged_opts);
  if (!worktree) return "worktree snapshot failed: " + worktree.error().message;
  if (!staged) return "staged snapshot failed: " + staged.error().message;

  const std::string base = born ? "HEAD" : k_empty_tree;
  auto git_diff = [&](std::vector<std::string> args, const std::vector<std::string>& extra_env = {}) {
    std::vector<std::string> argv{"git", "-c", "core.abbrev=auto", "diff", "--no-color",
                                  "--no-ext-diff", "--patch-with-raw"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env = repo.env();
    env.push_back("GIT_OPTIONAL_LOCKS=0");  // like gavel, git must not refresh the index
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    return test::run_process(argv, repo.path(), env);
  };
  const auto wt = git_diff({base});
  const auto cached = git_diff({"--cached"});
  if (wt.status != 0 || cached.status != 0) return "git diff failed: " + wt.err + cached.err;
  const auto [wt_names, wt_patch] = split_raw(wt.out);
  const auto [cached_names, cached_patch] = split_raw(cached.out);
  if (tracked_patch(*worktree) != wt_patch) {
    problems << text_diff(repo, "worktree-patch", wt_patch, tracked_patch(*worktree));
  }
  if (staged->patch() != cached_patch) {
    problems << text_diff(repo, "staged-patch", cached_patch, staged->patch());
  }
  if (wt_names != gavel_name_status(*worktree)) {
    problems << "worktree file list differs\n--- git\n" << join(wt_names) << "--- gavel\n"
             << join(gavel_name_status(*worktree));
  }
  if (cached_names != gavel_name_status(*staged)) {
    problems << "staged file list differs\n--- git\n" << join(cached_names) << "--- gavel\n"
             << join(gavel_name_status(*staged));
  }

  // Untracked files: the set must equal `git ls-files -o --exclude-standard`, and their patch
  // must equal what git shows once they are added to a throwaway copy of the index (the
  // repository's own index is never touched).
  auto others = split_z(repo.git({"ls-files", "-z", "--others", "--exclude-standard"}));
  std::sort(others.begin(), others.end());
  std::vector<std::string> ours;
  std::string untracked_patch;
  for (std::size_t i = 0; i < worktree->changes.files.size(); ++i) {
    const auto& f = worktree->changes.files[i];
    if (!f.untracked) continue;
    ours.push_back(f.new_path);
    untracked_patch += worktree->file_patches[i];
  }
  if (ours != others) {
    problems << "untracked files differ\n--- git ls-files -o\n" << join(others) << "--- gavel\n"
             << join(ours);
  } else if (!ours.empty()) {
    const auto index = repo.path() / ".git" / "index";
    const auto scratch = repo.root() / "scratch-index";
    std::error_code ec;
    std::filesystem::copy_file(index, scratch, std::filesystem::copy_options::overwrite_existing, ec);
    const std::string scratch_env = "GIT_INDEX_FILE=" + scratch.string();
    std::vector<std::string> add{"git", "--literal-pathspecs", "add", "--"};
    add.insert(add.end(), ours.begin(), ours.end());
    std::vector<std::string> env = repo.env();
    env.push_back(scratch_env);
    const auto added = test::run_process(add, repo.path(), env);
    // Against the empty tree: an untracked file may have a namesake in HEAD (git rm --cached).
    std::vector<std::string> args{"--literal-pathspecs", "--cached", "--no-renames", k_empty_tree, "--"};
    args.insert(args.end(), ours.begin(), ours.end());
    // `git diff` options go after "diff"; --literal-pathspecs is a git option: use the env.
    args.erase(args.begin());
    const auto diff = git_diff(args, {scratch_env, "GIT_LITERAL_PATHSPECS=1"});
    if (added.status != 0 || diff.status != 0) {
      problems << "git add to a scratch index failed: " << added.err << diff.err;
    } else if (split_raw(diff.out).second != untracked_patch) {
      problems << text_diff(repo, "untracked-patch", split_raw(diff.out).second, untracked_patch);
    }
  }
  // A snapshot limited to one changed path shows exactly that file as the full one does
  // (renames excepted: their other half may lie outside the limit).
  for (std::size_t i = 0, checked = 0; i < worktree->changes.files.size() && checked < 3; ++i) {
    const auto& f = worktree->changes.files[i];
    if (f.status == review::FileStatus::renamed || f.status == review::FileStatus::copied) continue;
    ++checked;
    SnapshotOptions limit;
    limit.paths = {f.path()};
    auto limited = reader->take(limit);
    std::string expected;
    for (std::size_t j = 0; j < worktree->changes.files.size(); ++j) {
      if (worktree->changes.files[j].path() == f.path()) expected += worktree->file_patches[j];
    }
    if (!limited || limited->patch() != expected) {
      problems << text_diff(repo, "limited-" + std::to_string(i), expected,
                            limited ? limited->patch() : limited.error().message);
    }
  }
  auto again = reader->take();
  if (!again || again->changes.fingerprint != worktree->changes.fingerprint) {
    problems << "fingerprint not stable across two snapshots\n";
  }
  return problems.str();
}

TEST(Differential, MatchesGitCli) {
  const std::uint64_t cases = env_number("GAVEL_DIFF_CASES", 300);
  const std::uint64_t seed = env_number("GAVEL_DIFF_SEED", 20261125);
  // Cases are independent repositories: run them on two threads (process start-up dominates).
  std::atomic<std::uint64_t> next{0};
  std::atomic<int> failures{0};
  std::mutex report_mutex;
  std::vector<std::string> reports;
  auto worker = [&] {
    for (std::uint64_t i = next++; i < cases && failures < 5; i = next++) {
      TempGitRepo repo;
      repo.set_keep(TempGitRepo::Keep::never);
      const std::uint64_t case_seed = seed + i;
      std::vector<std::string> steps;
      const std::string problems = run_case(repo, case_seed, steps);
      if (problems.empty()) continue;
      ++failures;
      repo.set_keep(TempGitRepo::Keep::always);
      std::ostringstream report;
      report << "mismatch: reproduce with GAVEL_DIFF_SEED=" << case_seed
             << " GAVEL_DIFF_CASES=1 (case " << i << " of seed " << seed << ")\n"
             << "repository kept at " << repo.path().string() << "\n"
             << "steps:\n" << join(steps) << problems;
      std::lock_guard lock(report_mutex);
      reports.push_back(report.str());
    }
  };
  std::thread second(worker);
  worker();
  second.join();
  for (const auto& r : reports) ADD_FAILURE() << r;
  RecordProperty("cases", static_cast<int>(std::min<std::uint64_t>(cases, next)));
}

}  // namespace
}  // namespace gavel::git
