// RepoWatcher's lifecycle on real repositories with real inotify: degraded mode at the watch
// limit, a repository deleted or moved, stop(), destruction, the scan on a thread pool, and the
// cost (watches) of a 1,000-directory tree. Event semantics are in watcher_test.cpp.

#include "tests/unit/daemon/watcher_test_support.hpp"

#include <boost/asio/thread_pool.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace gavel::daemon::testing {
namespace {

TEST_F(WatcherTest, WatchLimitDegradesOnceAndPollingStillReportsChanges) {
  repo.write("a.txt", "a\n");
  repo.write("src/b.txt", "b\n");
  repo.commit_all();
  RepoWatcherOptions o = options();
  o.max_watches = 1;
  start(o);
  ASSERT_TRUE(wait_for([&] { return !degraded.empty(); }));
  EXPECT_TRUE(watcher->degraded());
  EXPECT_EQ(watcher->watch_count(), 0u);  // every watch given back
  EXPECT_NE(degraded[0].find("limit"), std::string::npos) << degraded[0];
  quiet();
  EXPECT_TRUE(changes.empty()) << "an unchanged tree must not be reported by polling";

  repo.write("src/b.txt", "changed\n");
  const WatchChange polled = next_change();
  EXPECT_TRUE(polled.full);
  repo.git({"add", "src/b.txt"});
  EXPECT_TRUE(next_change().git_state_changed);
  repo.write("new/c.txt", "c\n");
  EXPECT_TRUE(next_change().full);
  quiet();
  EXPECT_EQ(degraded.size(), 1u);
  EXPECT_TRUE(gone.empty());
}

TEST_F(WatcherTest, DeletedRepositoryIsGoneOnceAndSilentAfterwards) {
  repo.write("a.txt", "a\n");
  repo.write("src/b.txt", "b\n");
  repo.commit_all();
  start();
  repo.write("a.txt", "pending edit\n");  // a batch settling when the tree vanishes
  std::filesystem::remove_all(repo.path());
  ASSERT_TRUE(wait_for([&] { return !gone.empty(); }));
  quiet();
  EXPECT_EQ(gone.size(), 1u);
  EXPECT_TRUE(changes.empty());
  EXPECT_TRUE(watcher->stopped());
  EXPECT_EQ(watcher->watch_count(), 0u);
}

TEST_F(WatcherTest, MovedRepositoryIsGone) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  std::filesystem::rename(repo.path(), repo.root() / "moved");
  ASSERT_TRUE(wait_for([&] { return !gone.empty(); }));
  EXPECT_NE(gone[0].find("moved"), std::string::npos) << gone[0];
  std::ofstream(repo.root() / "moved" / "a.txt") << "after move\n";
  quiet();
  EXPECT_EQ(gone.size(), 1u);
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, DeletedGitDirectoryIsGone) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  std::filesystem::remove_all(repo.path() / ".git");
  ASSERT_TRUE(wait_for([&] { return !gone.empty(); }));
  repo.write("a.txt", "b\n");
  quiet();
  EXPECT_EQ(gone.size(), 1u);
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, DegradedWatcherNoticesDeletedRepository) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  RepoWatcherOptions o = options();
  o.max_watches = 1;
  start(o);
  std::filesystem::remove_all(repo.path());
  ASSERT_TRUE(wait_for([&] { return !gone.empty(); }));
  quiet();
  EXPECT_EQ(gone.size(), 1u);
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, StopSilencesEvenASettlingBatchAndIsIdempotent) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  repo.write("a.txt", "b\n");
  io.run_for(20ms);  // the event is read; the batch is settling
  watcher->stop();
  watcher->stop();
  EXPECT_TRUE(watcher->stopped());
  EXPECT_EQ(watcher->watch_count(), 0u);
  repo.write("a.txt", "c\n");
  quiet();
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, DestroyingWithoutStopIsSafe) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  start();
  repo.write("a.txt", "b\n");
  io.run_for(20ms);
  watcher.reset();  // pending read and timer complete as cancelled
  repo.write("a.txt", "c\n");
  quiet();
  EXPECT_TRUE(changes.empty());
}

TEST_F(WatcherTest, StopInsideCallbackIsSafe) {
  repo.write("a.txt", "a\n");
  repo.commit_all();
  RepoWatcherCallbacks cb;
  cb.on_change = [this](WatchChange c) {
    changes.push_back(std::move(c));
    watcher.reset();  // the daemon may unregister from inside the callback
  };
  watcher = std::make_unique<RepoWatcher>(io.get_executor(), repo.path(), options(), cb);
  ASSERT_TRUE(watcher->start());
  repo.write("a.txt", "b\n");
  ASSERT_TRUE(wait_for([&] { return !changes.empty(); }));
  quiet();
  EXPECT_EQ(changes.size(), 1u);
  EXPECT_FALSE(watcher);
}

TEST_F(WatcherTest, ScanOnThreadPoolThenWatchOnIoThread) {
  repo.write("a.txt", "a\n");
  for (int i = 0; i < 50; ++i) repo.write("d" + std::to_string(i) + "/f.txt", "f\n");
  repo.commit_all();
  boost::asio::thread_pool pool(1);
  RepoWatcherOptions o = options();
  o.scan_executor = pool.get_executor();
  start(o);
  EXPECT_EQ(watcher->watch_count(), 51u + 3u);  // work dirs + .git, refs/heads, info
  repo.write("d7/f.txt", "g\n");
  EXPECT_EQ(next_change().paths, std::vector<std::string>{"d7/f.txt"});
  watcher.reset();
  quiet(1);  // the cancelled handlers run and free the watcher before the pool goes
  pool.join();
}

TEST_F(WatcherTest, StopWhileScanningOnThreadPool) {
  for (int i = 0; i < 200; ++i) repo.write("d" + std::to_string(i) + "/f.txt", "f\n");
  repo.commit_all();
  boost::asio::thread_pool pool(1);
  RepoWatcherOptions o = options();
  o.scan_executor = pool.get_executor();
  RepoWatcher w(io.get_executor(), repo.path(), o, {});
  ASSERT_TRUE(w.start());
  w.stop();  // the scan finishes on the pool; its result is dropped and the fd closed
  pool.join();
  quiet(2);
  EXPECT_TRUE(w.stopped());
  EXPECT_EQ(w.watch_count(), 0u);
}

// Cost, printed not asserted: one watch per directory (plus 3 in .git); set-up time.
TEST_F(WatcherTest, WatchCountForThousandDirectoryTree) {
  for (int i = 0; i < 10; ++i) {
    for (int j = 0; j < 99; ++j) {
      repo.write("t" + std::to_string(i) + "/d" + std::to_string(j) + "/f.txt", "f\n");
    }
  }
  repo.commit_all();
  const auto t0 = std::chrono::steady_clock::now();
  start();
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  std::cout << "[ cost     ] 1,001 directories: " << watcher->watch_count()
            << " inotify watches, 1 fd, start-up scan " << ms.count() << " ms\n";
  EXPECT_GE(watcher->watch_count(), 1001u);
}

}  // namespace
}  // namespace gavel::daemon::testing
