#pragma once
// RepoWatcher: tells the daemon when one registered working tree has changed and settled.
//
// Who calls it: the daemon's repository registry creates one per registered repository and
// hands each WatchChange to the scheduler, which takes a snapshot (reading only
// WatchChange::paths and the files already changed, or the whole tree) and decides whether to
// review. The watcher decides nothing
// about reviews: in particular it does not hold changes back during a rebase, merge,
// cherry-pick or bisect; it reports the in-progress markers appearing and disappearing
// (git_state_changed), and the scheduler reads git::RepoState::busy() before reviewing.
//
// Threads: everything runs on `io`, the daemon's single io_context thread: construct, start,
// stop, destroy and read the accessors there; the callbacks are called there. Only the initial
// scan of the tree and degraded-mode polls may run on RepoWatcherOptions::scan_executor (a
// thread pool), and they post their result back to `io`.
//
// What it owns: one inotify descriptor (read through asio's stream_descriptor; no thread, no
// busy loop), one watch per watched directory, two timers, and an IgnoreRules (libgit2). It
// never writes to the repository and never takes a git lock. See docs/daemon.md "Watching".

#include "base/error.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gavel::daemon {

// One settled batch of changes.
struct WatchChange {
  // Repository-relative, '/'-separated, sorted, no duplicates. A path may name a directory
  // (created with many files, deleted or moved): the snapshot covers everything beneath it.
  std::vector<std::string> paths;
  // HEAD, the index, refs/heads or packed-refs, or an in-progress marker (MERGE_HEAD,
  // rebase-merge/, rebase-apply/, CHERRY_PICK_HEAD, REVERT_HEAD, BISECT_LOG) changed.
  bool git_state_changed = false;
  // The changed paths are unknown (inotify queue overflow, ignore rules changed, too many
  // paths, or a degraded-mode poll): take a full snapshot. `paths` may still list some.
  bool full = false;
};

struct RepoWatcherOptions {
  // Quiet time after the last relevant event before on_change is called.
  std::chrono::milliseconds settle{1500};
  // Longest a batch waits after its first change: changes that never pause for `settle` (a
  // log appended to every second) are still reported, this long after the first.
  std::chrono::milliseconds max_wait{30000};
  // Degraded mode: how often the tree is stat()ed instead.
  std::chrono::milliseconds poll_interval{2000};
  // Most inotify watches this watcher may hold; 0: only the kernel's limit. (Tests use it to
  // reach the limit without exhausting fs.inotify.max_user_watches.)
  std::size_t max_watches = 0;
  // Where the whole-tree walks run (initial scan, polls). Empty: inline on `io` (a 1,000-dir
  // tree takes a few ms; a 13,000-dir tree about 0.2 s, so the daemon passes its pool).
  std::optional<boost::asio::any_io_executor> scan_executor;
};

struct RepoWatcherCallbacks {
  std::function<void(WatchChange)> on_change;
  // Once: the initial scan is done and every directory is watched, so a snapshot taken from
  // now on misses no later change (a write before the watches existed raises no event). Not
  // called when the watcher polls instead (on_degraded is).
  std::function<void()> on_ready;
  // Once per watcher: the watch limit was reached (or no inotify instance was available);
  // the watcher now polls. The message says why and how to raise the limit.
  std::function<void(const std::string& message)> on_degraded;
  // Once: the working tree or its git directory was deleted or moved. The watcher has stopped
  // itself; the daemon unregisters the repository. No callback follows.
  std::function<void(const std::string& reason)> on_gone;
};

class WatcherCore;

class RepoWatcher {
 public:
  RepoWatcher(boost::asio::any_io_executor io, std::filesystem::path workdir,
              RepoWatcherOptions options, RepoWatcherCallbacks callbacks);
  RepoWatcher(const RepoWatcher&) = delete;
  RepoWatcher& operator=(const RepoWatcher&) = delete;
  // Stops (see stop()).
  ~RepoWatcher();

  // Opens the repository (for its ignore rules and git directory) and starts watching; with a
  // scan_executor the tree is scanned there and ready() turns true later. Errors:
  // not_a_repository, bare_repository, git, io (no inotify for another reason than limits),
  // invalid_argument (started twice).
  Result<void> start();

  // Closes the inotify descriptor (which drops every watch) and cancels the timers; no
  // callback is called afterwards, even from a batch already settling. Safe to call twice,
  // and from inside a callback.
  void stop();

  // The initial scan is done (watching or polling).
  bool ready() const noexcept;
  // Polling instead of inotify.
  bool degraded() const noexcept;
  // stop() was called, or the repository is gone.
  bool stopped() const noexcept;
  // inotify watches held now (0 when degraded).
  std::size_t watch_count() const noexcept;
  // The working tree, ending in '/' (after start()).
  const std::string& workdir() const noexcept;

 private:
  std::shared_ptr<WatcherCore> m_core;
};

}  // namespace gavel::daemon
