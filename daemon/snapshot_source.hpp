#pragma once
// SnapshotSource: the snapshots of one watched repository, each read only where the tree may
// have changed, with a reader that is kept only while the repository is active.
//
// The watcher's changes accumulate here (changed()); take() reads them on the pool. A snapshot
// is always whole-tree in content (its fingerprint identifies the whole uncommitted change), but
// once one whole snapshot was taken, the next is read with git::SnapshotReader::take_since:
// only the paths the watcher named plus those the last snapshot listed. The whole tree is read
// again when the watcher cannot name the paths (WatchChange::full), when git state changed
// (HEAD, the index, refs, an operation marker), and after a failed snapshot.
//
// The reader (a one_shot git::SnapshotReader: an open repository and its loaded index,
// megabytes on a large tree) is opened on the pool when a snapshot needs it. It is dropped, and
// the memory handed back to the system, right after a snapshot no change caused (the first,
// say). daemon.quiet_read_ms (60 s) after the last snapshot a change caused, one whole read is
// asked for (on_quiet) and the reader dropped after it. So an idle repository holds only its
// scope (a path per changed file), and what the watcher cannot see (a file newly tracked under
// an ignored directory, a config edit) is caught soon after the repository's last activity.
// See docs/daemon.md "Scheduling" and "Costs".
//
// Thread: the io thread, except the reading itself, which runs on the pool; one snapshot at a
// time (take() while one is in flight is a programming error, refused). Lifetime: destroy on
// the io thread; a snapshot in flight then completes without calling back.

#include "base/error.hpp"
#include "daemon/watcher.hpp"
#include "git/snapshot.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace gavel::daemon {

class SnapshotSource {
 public:
  // `on_quiet`: called (on io) `quiet` after the last snapshot a change caused
  // (daemon.quiet_read_ms), with the next snapshot set to read the whole tree; the caller takes
  // it (then the reader is dropped). It catches what the watcher cannot see (docs/daemon.md
  // "Scheduling").
  SnapshotSource(boost::asio::any_io_executor io, boost::asio::any_io_executor pool,
                 std::string workdir, std::chrono::milliseconds quiet,
                 std::function<void()> on_quiet);
  // After a configuration reload; applies from the next change on.
  void set_quiet(std::chrono::milliseconds quiet) noexcept { m_quiet = quiet; }
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;
  ~SnapshotSource();

  // A settled batch from the watcher: read its paths next time, or the whole tree.
  void changed(const WatchChange& change);
  // The next snapshot reads the whole tree (the watcher just became ready, or degraded).
  void read_whole_next() noexcept { m_pending_full = true; }

  using Done = std::function<void(Result<git::Snapshot>)>;
  // Takes a snapshot on the pool (with new_text contents) and calls `done` on the io thread.
  void take(Done done);
  bool in_flight() const noexcept { return m_in_flight; }

 private:
  struct Request;
  void finish(std::shared_ptr<git::SnapshotReader> reader, Result<git::Snapshot> result,
              bool caused_by_change, const Done& done);
  void drop_reader();

  boost::asio::any_io_executor m_io;
  boost::asio::any_io_executor m_pool;
  std::string m_workdir;
  std::chrono::milliseconds m_quiet;
  std::function<void()> m_on_quiet;
  std::set<std::string> m_pending;  // paths changed since the last snapshot started
  bool m_pending_full = true;       // the next snapshot reads the whole tree
  bool m_pending_change = false;    // a watcher change is pending (keeps the reader warm)
  std::optional<git::SnapshotScope> m_scope;  // of the last successful snapshot
  std::shared_ptr<git::SnapshotReader> m_reader;  // between snapshots; the pool's meanwhile
  boost::asio::steady_timer m_drop_timer;
  std::uint64_t m_timer_generation = 0;  // of the drop timer's latest arming
  bool m_in_flight = false;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace gavel::daemon
