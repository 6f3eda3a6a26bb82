#pragma once
// Internals of run_child (agents/process_child.hpp), shared by process_child.cpp (supervision)
// and process_child_launch.cpp (fork/exec and process-wide setup). Not for other files.
//
// ChildRun lives in a shared_ptr held by every pending callback; all of it runs on the one
// serialised executor it was built with. It owns the process handle (never detached) and the
// parent's ends of the pipes.

#include "agents/process_boost.hpp"
#include "agents/process_child.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace gavel::agents::detail {

inline constexpr std::chrono::milliseconds k_tick{10};         // group polling while stopping
inline constexpr std::chrono::milliseconds k_pipe_drain{100};  // pipes open after group is gone

// Keeps the first `cap` bytes; counts the rest.
struct HeadCapture {
  explicit HeadCapture(std::size_t c) : cap(c) {}
  void append(const char* data, std::size_t n) {
    const std::size_t room = text.size() < cap ? cap - text.size() : 0;
    const std::size_t kept = n < room ? n : room;
    text.append(data, kept);
    dropped += n - kept;
  }
  std::size_t cap;
  std::string text;
  std::size_t dropped = 0;
};

// Keeps the last `cap` bytes (at most 2 * cap + one chunk in memory meanwhile).
struct TailCapture {
  explicit TailCapture(std::size_t c) : cap(c) {}
  void append(const char* data, std::size_t n) {
    text.append(data, n);
    if (text.size() > 2 * cap) finish();
  }
  void finish() {
    if (text.size() <= cap) return;
    dropped += text.size() - cap;
    text.erase(0, text.size() - cap);
  }
  std::size_t cap;
  std::string text;
  std::size_t dropped = 0;
};

enum class StopReason { none, timeout, cancelled };

class ChildRun : public std::enable_shared_from_this<ChildRun> {
 public:
  ChildRun(boost::asio::any_io_executor ex, ChildSpec spec);
  ~ChildRun();
  ChildRun(const ChildRun&) = delete;
  ChildRun& operator=(const ChildRun&) = delete;

  // Forks and execs (process_child_launch.cpp). False: the outcome says why; nothing runs.
  bool launch();
  // Starts the stdin writer, both readers, the exit wait and the deadline.
  void start();
  // SIGTERM to the group now, SIGKILL after the grace period; idempotent.
  void stop(StopReason why);
  bool finished() const { return m_finished; }
  // Cancelled (completes) when the run is finished.
  boost::asio::steady_timer& done_event() { return m_done; }
  ChildOutcome take_outcome();

 private:
  void read_stdout();
  void read_stderr();
  void close_stdin();
  void on_exit(boost::system::error_code ec);
  void schedule_tick(std::chrono::milliseconds delay);
  void tick();
  bool group_alive();
  void reap_group();
  void check_finished();
  // Drops the child from the agent registry (agents/agent_processes.hpp) once; idempotent.
  void forget_agent();

  ChildSpec m_spec;
  std::optional<boost::process::v2::basic_process<boost::asio::any_io_executor>> m_proc;
  int m_pid = -1;
  boost::asio::writable_pipe m_stdin;
  boost::asio::readable_pipe m_stdout;
  boost::asio::readable_pipe m_stderr;
  boost::asio::steady_timer m_deadline;
  boost::asio::steady_timer m_tick;
  boost::asio::steady_timer m_done;
  std::array<char, 64 * 1024> m_out_chunk{};
  std::array<char, 16 * 1024> m_err_chunk{};
  HeadCapture m_out;
  TailCapture m_err;
  ChildOutcome m_launch_outcome;
  std::optional<int> m_wait_status;
  StopReason m_reason = StopReason::none;
  bool m_stdin_busy = false;
  bool m_stdin_broken = false;
  bool m_exited = false;
  bool m_group_gone = false;
  bool m_term_sent = false;
  bool m_kill_sent = false;
  bool m_drain_started = false;
  bool m_left_behind = false;
  bool m_finished = false;
  bool m_registered = false;  // in the agent registry, from launch until the run is over
  std::chrono::steady_clock::time_point m_started_at{};
  std::chrono::steady_clock::time_point m_term_at{};
  std::chrono::steady_clock::time_point m_kill_at{};
  std::chrono::steady_clock::time_point m_drain_at{};
};

}  // namespace gavel::agents::detail
