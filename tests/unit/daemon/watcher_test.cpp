// RepoWatcher on real repositories with real inotify: what triggers a change, what does not,
// and how changes are batched. Degraded mode, "gone", stop and costs are in
// watcher_lifecycle_test.cpp.

#include "tests/unit/daemon/watcher_test_support.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace gavel::daemon::testing {
namespace {

using Paths = std::vector<std::string>;

TEST_F(WatcherTest, BurstOfWritesToThreeFilesGivesOneSortedCallback) {
  repo.write("z.txt", "z\n");
  repo.write("src/b.txt", "b\n");
  repo.write("src/deep/a.txt", "a\n");
  repo.commit_all();
  start();
  for (int i = 0; i < 20; ++i) {
    const char* file = i % 3 == 0 ? "z.txt" : i % 3 == 1 ? "src/b.txt" : "src/deep/a.txt";
    repo.write(file, "edit " + std::to_string(i) + "\n");
  }
  const WatchChange change = next_change();
  quiet();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(change.paths, (Paths{"src/b.txt", "src/deep/a.txt", "z.txt"}));
  EXPECT_FALSE(change.git_state_changed);
  EXPECT_FALSE(change.full);
}

TEST_F(WatcherTest, WritesToIgnoredFilesDoNotTrigger) {
  repo.write(".gitignore", "build/\n*.o\n");
  repo.write("src/main.c", "int main;\n");
  repo.write("build/old.bin", "x");
  repo.commit_all();
  start();
  repo.write("build/out.bin", "1");
  repo.write("build/sub/deeper.o", "1");
  repo.write("src/main.o", "1");
  repo.write("top.o", "1");
  quiet();
  EXPECT_TRUE(changes.empty());
  // The watcher is alive: a real change right after is reported, alone.
  repo.write("src/main.c", "int main(void);\n");
  EXPECT_EQ(next_change().paths, (Paths{"src/main.c"}));
}

TEST_F(WatcherTest, ForceAddedFileInIgnoredDirectoryTriggers) {
  repo.write(".gitignore", "vendor/\n");
  repo.write("vendor/lib.c", "1\n");
  repo.git({"add", "-f", "vendor/lib.c"});
  repo.commit_all();
  start();
  repo.write("vendor/lib.c", "2\n");
  EXPECT_EQ(next_change().paths, (Paths{"vendor/lib.c"}));
}

TEST_F(WatcherTest, WritesInsideGitObjectsAndLogsDoNotTrigger) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  repo.write(".git/objects/ab/cdef0123", "blob");
  repo.write(".git/objects/pack/tmp_pack_x", "pack");
  repo.write(".git/logs/HEAD", "log line\n");
  repo.write(".git/COMMIT_EDITMSG", "msg\n");
  repo.write(".git/index.lock", "");
  repo.remove(".git/index.lock");
  quiet();
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, GitAddReportsGitStateChange) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  repo.write("a.txt", "b\n");
  WatchChange edit = next_change();
  EXPECT_EQ(edit.paths, (Paths{"a.txt"}));
  EXPECT_FALSE(edit.git_state_changed);
  repo.git({"add", "a.txt"});
  WatchChange staged = next_change();
  EXPECT_TRUE(staged.git_state_changed);
  EXPECT_TRUE(staged.paths.empty());
  repo.git({"commit", "-q", "-m", "second"});  // refs/heads/main moves
  EXPECT_TRUE(next_change().git_state_changed);
}

TEST_F(WatcherTest, InProgressMarkersReportGitStateChange) {
  repo.write("a.txt", "a\n");
  const std::string head = repo.commit_all();
  start();
  repo.write(".git/MERGE_HEAD", head + "\n");
  EXPECT_TRUE(next_change().git_state_changed);
  std::filesystem::create_directory(repo.path() / ".git" / "rebase-merge");
  EXPECT_TRUE(next_change().git_state_changed);
  std::filesystem::remove_all(repo.path() / ".git" / "rebase-merge");
  repo.remove(".git/MERGE_HEAD");
  EXPECT_TRUE(next_change().git_state_changed);
}

TEST_F(WatcherTest, NewSubdirectoryIsPickedUpAndWatched) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  const std::size_t before = watcher->watch_count();
  repo.write("fresh/inner/f.txt", "f\n");  // creates both directories, then the file
  const WatchChange created = next_change();
  EXPECT_NE(std::find(created.paths.begin(), created.paths.end(), "fresh/inner/f.txt"),
            created.paths.end());
  EXPECT_EQ(watcher->watch_count(), before + 2);
  repo.write("fresh/inner/g.txt", "g\n");
  EXPECT_EQ(next_change().paths, (Paths{"fresh/inner/g.txt"}));
}

TEST_F(WatcherTest, DeletedDirectoryIsReportedAndForgotten) {
  repo.write("a.txt", "a\n");
  repo.write("old/x.txt", "x\n");
  repo.write("old/sub/y.txt", "y\n");
  repo.commit_all();
  start();
  const std::size_t before = watcher->watch_count();
  std::filesystem::remove_all(repo.path() / "old");
  const WatchChange removed = next_change();
  EXPECT_NE(std::find(removed.paths.begin(), removed.paths.end(), "old"), removed.paths.end());
  EXPECT_EQ(watcher->watch_count(), before - 2);
  EXPECT_TRUE(gone.empty());
  repo.write("a.txt", "b\n");
  EXPECT_EQ(next_change().paths, (Paths{"a.txt"}));
}

TEST_F(WatcherTest, GitignoreChangeAsksForFullSnapshotAndWatchesNewlyUnignoredDirs) {
  repo.write(".gitignore", "gen/\n");
  repo.write("gen/a.txt", "a\n");
  repo.write("keep.txt", "k\n");
  repo.commit_all();
  start();
  repo.write(".gitignore", "# nothing ignored\n");
  const WatchChange rules = next_change();
  EXPECT_TRUE(rules.full);
  repo.write("gen/a.txt", "b\n");  // gen/ is watched now
  EXPECT_EQ(next_change().paths, (Paths{"gen/a.txt"}));
}

TEST_F(WatcherTest, LinkedWorktreeIsWatchedWithItsOwnGitDirectory) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  const auto wt = repo.root() / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt.string()});
  start(options(), wt);
  repo.write("../wt/a.txt", "changed\n");
  EXPECT_EQ(next_change().paths, (Paths{"a.txt"}));
  repo.git({"add", "a.txt"}, wt);  // writes .git/worktrees/wt/index
  EXPECT_TRUE(next_change().git_state_changed);
  repo.write("a.txt", "main worktree edit\n");  // another worktree: not ours
  quiet();
  EXPECT_EQ(changes.size(), 2u);
}

// Latency, printed not asserted (a loaded machine would make an assertion flaky): the time
// from a write to the callback should be the settle period plus a few milliseconds.
TEST_F(WatcherTest, LatencyFromWriteToCallbackIsAboutTheSettlePeriod) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  RepoWatcherCallbacks cb;
  std::chrono::steady_clock::time_point called;
  cb.on_change = [&](WatchChange c) {
    called = std::chrono::steady_clock::now();
    changes.push_back(std::move(c));
  };
  watcher = std::make_unique<RepoWatcher>(io.get_executor(), repo.path(), options(), cb);
  ASSERT_TRUE(watcher->start());
  for (int i = 0; i < 3; ++i) {
    const std::size_t seen = changes.size();
    repo.write("a.txt", "edit " + std::to_string(i) + "\n");
    const auto written = std::chrono::steady_clock::now();
    ASSERT_TRUE(wait_for([&] { return changes.size() > seen; }));
    const std::chrono::duration<double, std::milli> extra = called - written - k_settle;
    std::cout << "[ latency  ] write -> callback: settle + " << extra.count() << " ms\n";
  }
}

TEST_F(WatcherTest, ChangesThatNeverPauseAreReportedAfterTheMaxWait) {
  repo.write("app.log", "0\n");
  repo.commit_all();
  RepoWatcherOptions o = options();
  o.max_wait = 600ms;
  start(o);
  const auto began = std::chrono::steady_clock::now();
  std::string text;
  // Appends every 40 ms, well inside the settle period: only the max wait can end the batch.
  while (changes.empty() && std::chrono::steady_clock::now() - began < 10s) {
    text += "line\n";
    repo.write("app.log", text);
    io.run_for(40ms);
  }
  const auto waited = std::chrono::steady_clock::now() - began;
  ASSERT_FALSE(changes.empty()) << "a file appended to without a pause was never reported";
  EXPECT_EQ(changes[0].paths, (Paths{"app.log"}));
  EXPECT_GE(waited, 500ms);
}

}  // namespace
}  // namespace gavel::daemon::testing
