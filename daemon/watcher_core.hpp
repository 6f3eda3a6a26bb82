#pragma once
// WatcherCore: the state behind RepoWatcher (daemon/watcher.hpp), shared with its pending
// asio operations so that a handler finishing after RepoWatcher is gone finds live memory.
// Internal to daemon/watcher*.cpp.
//
// Split by concern: watcher.cpp (lifecycle: start, scan, stop, gone), watcher_events.cpp
// (reading and interpreting inotify events, settling, flushing), watcher_poll.cpp (degraded
// mode). Runs on the io executor only, except scan and poll jobs on the scan executor, which
// touch only m_rules and the descriptor's number while the io side leaves them alone
// (m_job_running).

#include "daemon/watcher.hpp"
#include "daemon/watcher_tree.hpp"
#include "git/ignore.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/types.h>

#include <map>
#include <set>
#include <unordered_map>

namespace gavel::daemon {

// inotify read buffer: many events per read; one event is at most 16 + NAME_MAX + 1 bytes.
inline constexpr std::size_t k_event_buffer = 16 * 1024;

class WatcherCore : public std::enable_shared_from_this<WatcherCore> {
 public:
  enum class State { created, scanning, watching, polling, stopped };
  // What a watched directory is, which decides how its events are read.
  enum class DirKind { work, gitdir, commondir, refs, info };

  WatcherCore(boost::asio::any_io_executor io, std::filesystem::path workdir,
              RepoWatcherOptions options, RepoWatcherCallbacks callbacks);

  Result<void> start();
  void stop();

  State state() const noexcept { return m_state; }
  std::size_t watch_count() const noexcept { return m_dirs.size(); }
  const std::string& workdir() const noexcept;

 private:
  struct Dir {
    std::string rel;  // work: repository-relative; refs: relative to the common dir
    DirKind kind = DirKind::work;
  };
  // Result of walking (part of) the tree and adding watches; built off the io thread.
  struct ScanResult {
    std::vector<std::pair<int, std::string>> added;  // (wd, rel)
    std::vector<std::string> files;                  // files found, when asked for
    bool limit = false;                              // the watch limit stopped the walk
    int error = 0;                                   // errno that stopped it
  };

  // watcher.cpp
  ScanResult scan(const std::string& start_rel, bool collect_files, std::size_t held);
  void finish_initial_scan(ScanResult result);
  bool add_git_watches();
  bool add_refs_watches(const std::string& rel);
  // Adds a watch on a git directory; false when the limit was hit (now polling).
  bool add_watch_checked(const std::string& abs, DirKind kind, const std::string& rel);
  int add_watch(const std::string& abs, std::uint32_t mask, int* err);
  void register_scan(const ScanResult& result);
  void remove_subtree(const std::string& rel);
  void forget(int wd);
  // Closes the descriptor and forgets every watch (stop(), or the end of a job after stop()).
  void release();
  void gone(const std::string& reason);
  std::string limit_message(std::size_t held, int err) const;

  // watcher_events.cpp
  void read_events();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void handle_event(int wd, std::uint32_t mask, std::string_view name);
  void handle_work_event(const Dir& dir, int wd, std::uint32_t mask, std::string_view name);
  void handle_git_event(const Dir& dir, std::uint32_t mask, std::string_view name);
  void new_directory(const std::string& rel);
  void note(std::string path);
  void touch();
  void arm_settle_timer();
  void flush();

  // watcher_poll.cpp
  void enter_polling(const std::string& message);
  void schedule_poll();
  void run_poll(bool baseline);
  void finish_poll(const watch::PollSample& sample, bool baseline);

  boost::asio::any_io_executor m_io;
  std::filesystem::path m_workdir_arg;
  RepoWatcherOptions m_options;
  RepoWatcherCallbacks m_callbacks;
  State m_state = State::created;
  bool m_job_running = false;  // a scan or poll is out on the scan executor
  std::unique_ptr<git::IgnoreRules> m_rules;
  ino_t m_root_ino = 0;

  boost::asio::posix::stream_descriptor m_inotify;
  std::unique_ptr<char[]> m_buffer;
  std::unordered_map<int, Dir> m_dirs;       // wd -> directory
  std::map<std::string, int> m_work_dirs;    // rel -> wd, for work dirs (ordered: subtrees)
  int m_root_wd = -1;

  // The batch being settled.
  std::set<std::string> m_paths;
  bool m_git_changed = false;
  bool m_full = false;
  bool m_rescan = false;  // ignore rules changed or the queue overflowed: add missing watches
  bool m_pending = false;
  std::chrono::steady_clock::time_point m_deadline;
  std::chrono::steady_clock::time_point m_batch_started;  // first change of the batch
  bool m_timer_armed = false;
  boost::asio::steady_timer m_settle_timer;

  // Degraded mode.
  bool m_degraded_reported = false;
  watch::PollSample m_last_sample;
  boost::asio::steady_timer m_poll_timer;
};

}  // namespace gavel::daemon
