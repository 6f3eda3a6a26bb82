#pragma once
// The hook benchmark's surroundings: a private temp root (HOME, XDG dirs, a 0700 socket dir, a
// user config) like tests/integration/daemon_fixture, child processes run with exactly that
// environment (timed, output to a log), and a real gaveld started and stopped by pid. Used only
// by bench/hook/main.cpp, from one thread.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::bench {

struct BenchEnv {
  std::filesystem::path root;  // temp dir holding everything below
  std::filesystem::path repo;  // the git repository (canonical path)
  std::string socket;          // GAVEL_SOCKET
  std::vector<std::string> vars;  // the whole environment of every child, "NAME=value"

  // Creates the temp root and its directories, and the environment; the repository is not
  // created yet.
  static BenchEnv create();
  std::filesystem::path log() const { return root / "bench.log"; }
};

struct Timed {
  int status = -1;  // exit status; -1 when it could not run or was killed
  double ms = 0;    // wall time from spawn to reaped
  double cpu_ms = 0;  // user + system CPU of the process and the children it waited for
};

// Runs `argv` (argv[0] looked up in PATH) in `cwd` with `env` as the whole environment, stdin
// from /dev/null, stdout and stderr appended to `log`.
Timed run_timed(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                const std::vector<std::string>& env, const std::filesystem::path& log);
// As run_timed, exiting the benchmark with the log's tail when the command fails.
void must_run(const std::vector<std::string>& argv, const BenchEnv& env);

// A gaveld child with stderr in <root>/gaveld.log.
class Daemon {
 public:
  Daemon(const std::string& gaveld, const BenchEnv& env, const std::vector<std::string>& overrides);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

 private:
  pid_t m_pid = -1;
};

// Percentile `p` (0..1, nearest rank) of `v`, which is sorted in place.
double percentile(std::vector<double>& v, double p);
// /proc/loadavg's first three fields.
std::string load_average();
// Prints `what` and the last lines of `log` to stderr, then exits 1.
[[noreturn]] void die(const std::string& what, const std::filesystem::path& log);

}  // namespace gavel::bench
