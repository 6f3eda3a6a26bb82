#pragma once
// Shared by tests/unit/daemon/watcher*_test.cpp: a fixture running a real RepoWatcher on a
// real temp repository with real inotify, its io_context driven from the test thread.
//
// Waiting is by deadline, never by fixed sleeps that must be "long enough": wait_for() runs
// the io_context until a condition holds (or a generous deadline passes), and quiet() runs it
// for several settle periods so that "exactly one" and "none" are checked after the watcher
// had every chance to call again.

#include "daemon/watcher.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gavel::daemon::testing {

using namespace std::chrono_literals;

class WatcherTest : public ::testing::Test {
 protected:
  static constexpr std::chrono::milliseconds k_settle{150};
  static constexpr std::chrono::seconds k_deadline{20};  // a loaded 2-core machine, ASan

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
  test::TempGitRepo repo;
  std::vector<WatchChange> changes;
  std::vector<std::string> degraded;
  std::vector<std::string> gone;
  std::unique_ptr<RepoWatcher> watcher;

  RepoWatcherOptions options() const {
    RepoWatcherOptions o;
    o.settle = k_settle;
    o.poll_interval = 200ms;
    return o;
  }

  // Creates and starts the watcher on `dir` (default: the repository) and waits until ready.
  void start(RepoWatcherOptions o, const std::filesystem::path& dir = {}) {
    RepoWatcherCallbacks cb;
    cb.on_change = [this](WatchChange c) { changes.push_back(std::move(c)); };
    cb.on_degraded = [this](const std::string& m) { degraded.push_back(m); };
    cb.on_gone = [this](const std::string& r) { gone.push_back(r); };
    watcher = std::make_unique<RepoWatcher>(io.get_executor(), dir.empty() ? repo.path() : dir,
                                            std::move(o), std::move(cb));
    auto started = watcher->start();
    ASSERT_TRUE(started) << started.error().message;
    ASSERT_TRUE(wait_for([&] { return watcher->ready(); }));
  }
  void start() { start(options()); }

  // Runs the io_context until `done()` or the deadline; returns done().
  bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit = k_deadline) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < until) io.run_for(10ms);
    return done();
  }
  // Runs the io_context for `periods` settle periods.
  void quiet(int periods = 6) {
    const auto until = std::chrono::steady_clock::now() + periods * k_settle;
    while (std::chrono::steady_clock::now() < until) io.run_for(10ms);
  }
  // Waits for the next change callback and returns it (an empty change on timeout, with a
  // test failure).
  WatchChange next_change() {
    const std::size_t seen = changes.size();
    if (!wait_for([&] { return changes.size() > seen; })) {
      ADD_FAILURE() << "no change reported within the deadline";
      return {};
    }
    return changes[seen];
  }
};

}  // namespace gavel::daemon::testing
