#pragma once
// One supervised child process: launched in its own process group, fed its stdin, its stdout
// and stderr captured within caps, stopped by a wall-clock deadline or by cancellation, and
// always reaped together with everything it left in its group. ProcessAgent's engine; it knows
// nothing of prompts or envelopes.
//
// `run_child` is a coroutine on the awaiting coroutine's executor, which must be serialised (a
// single-threaded io_context, or a strand): all of the child's pipes, timers and callbacks live
// there. It never blocks that executor. It completes only when the child has been reaped and no
// process is left in its process group (or, after SIGKILL, a process could not be reaped within
// k_reap_limit: then `group_left_behind` says so).
//
// Stopping: on the deadline or on a cancellation of the awaiting coroutine (any type, e.g. the
// `all` that `co_await (run_child(s) || timer)` emits), SIGTERM goes to the whole group, SIGKILL
// to what is left after `kill_grace`. When the child exits by itself, whatever it left running in
// its group is stopped the same way: no orphan outlives a run. A process that leaves the group
// (setsid, setpgid) is outside this guarantee; the pipes it holds are closed after a short drain.
//
// Every child is in the agent registry (agents/agent_processes.hpp) from its launch until the
// run completes, so the control socket can refuse requests from it and its descendants.
//
// Process-wide effects of the first call, once: SIGPIPE is ignored when it was at its default
// (writes to a closed stdin pipe must fail with EPIPE, not kill gavel), and the process becomes
// a child subreaper (PR_SET_CHILD_SUBREAPER) so that orphaned grandchildren are reparented to
// gavel and reaped here, even where PID 1 reaps nothing. Children get default signal
// dispositions and an empty signal mask back before exec.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gavel::agents {

// After SIGKILL, how long the group may take to disappear before it is reported left behind.
inline constexpr std::chrono::milliseconds k_reap_limit{2000};

struct ChildSpec {
  std::filesystem::path program;          // resolved executable (see find_program)
  std::vector<std::string> args;          // argv[1..]; argv[0] is `program`
  std::vector<std::string> env;           // the complete environment, NAME=VALUE
  std::filesystem::path cwd;              // must exist
  std::optional<std::string> stdin_data;  // written, then stdin closed; nullopt: /dev/null
  std::size_t max_stdout_bytes = 16 * 1024 * 1024;  // head kept, the rest read and dropped
  std::size_t max_stderr_bytes = 1024 * 1024;       // tail kept
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds kill_grace{2000};
};

enum class ChildEnd {
  exited,         // by itself; see exit_code
  signalled,      // killed by a signal it did not get from us; see term_signal
  timed_out,      // we stopped it at the deadline
  cancelled,      // we stopped it because the awaiting coroutine was cancelled
  launch_failed,  // never ran; see launch_error
};

struct ChildOutcome {
  ChildEnd end = ChildEnd::launch_failed;
  int exit_code = -1;   // for `exited`
  int term_signal = 0;  // for `signalled` (and the signal that ended a stopped child)
  std::string launch_error;
  int pid = -1;             // also the process group id
  std::string stdout_text;  // at most max_stdout_bytes, the head
  std::size_t stdout_dropped = 0;
  std::string stderr_text;  // at most max_stderr_bytes, the tail
  std::size_t stderr_dropped = 0;
  bool stdin_broken = false;  // the child closed stdin before reading all of it
  bool group_left_behind = false;
  std::chrono::milliseconds duration{0};
};

// Runs `spec` to the end as described above. Never throws for the child's failures: they are
// in the outcome.
boost::asio::awaitable<ChildOutcome> run_child(ChildSpec spec);

}  // namespace gavel::agents
