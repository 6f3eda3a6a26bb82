#pragma once
// The gaveld under test: started from its built binary with the sandbox's environment and `-c`
// overrides (stderr to the sandbox's gaveld.log; it dies with the benchmark: PR_SET_PDEATHSIG),
// stopped with SIGTERM (SIGKILL after 15 s) by stop() or the destructor. Plus what /proc says
// about it: CPU time, scheduler run time and context switches summed over its threads, memory,
// disk reads, and the inotify watches it holds.

#include <string>
#include <sys/types.h>
#include <vector>

namespace gavel::bench {

class Sandbox;

struct CpuSample {
  long long ticks = 0;         // utime + stime from /proc/PID/stat, in clock ticks
  long long run_ns = 0;        // sum over /proc/PID/task/*/schedstat: time on a CPU, ns
  long long ctx_switches = 0;  // sum over tasks of voluntary + nonvoluntary switches
  int threads = 0;
};

struct MemSample {
  long long rss_kb = 0;   // VmRSS
  long long hwm_kb = 0;   // VmHWM: peak RSS since start
  long long anon_kb = 0;  // RssAnon: heap, thread arenas
  long long file_kb = 0;  // RssFile: mapped files (the binary, shared libraries, packs)
};

struct IoSample {
  long long read_bytes = 0;    // /proc/PID/io read_bytes: what it made the block layer read
  long long major_faults = 0;  // majflt from /proc/PID/stat: pages read back in from disk
};

class Gaveld {
 public:
  Gaveld(const Sandbox& sandbox, const std::vector<std::string>& overrides);
  ~Gaveld();
  Gaveld(const Gaveld&) = delete;
  Gaveld& operator=(const Gaveld&) = delete;

  pid_t pid() const { return m_pid; }
  // Exit status after SIGTERM, or -1 when it had to be killed (or was already gone).
  int stop();
  bool running();

  CpuSample cpu() const;
  MemSample mem() const;
  IoSample io() const;
  // Watches over all inotify descriptors (the "inotify wd:" lines of /proc/PID/fdinfo/*).
  int inotify_watches() const;
  // How many lines of gaveld.log contain `needle`.
  int log_count(const std::string& needle) const;
  std::string log_tail(int lines) const;

 private:
  const Sandbox& m_sandbox;
  pid_t m_pid = -1;
};

}  // namespace gavel::bench
