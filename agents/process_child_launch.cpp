// ChildRun::launch: pipes, fork/exec through Boost.Process v2's default launcher, and what the
// child does between fork and exec (its own process group, default signals, no stray fds); the
// child's entry in the agent registry (agents/agent_processes.hpp) and forget_agent.
#include "agents/process_child_detail.hpp"

#include "agents/agent_processes.hpp"

#include <spdlog/spdlog.h>

#include <climits>
#include <cstring>
#include <mutex>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::agents::detail {
namespace asio = boost::asio;
namespace bp = boost::process::v2;
using boost::system::error_code;

namespace {

void process_wide_setup() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      ::signal(SIGPIPE, SIG_IGN);
    }
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
      spdlog::warn("cannot become a child subreaper; orphaned agent processes may linger");
    }
  });
}

// Owns a pair of O_CLOEXEC pipe fds until they are handed over.
struct FdPair {
  int fds[2] = {-1, -1};
  ~FdPair() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  bool open() { return ::pipe2(fds, O_CLOEXEC) == 0; }
  int release(int i) {
    const int fd = fds[i];
    fds[i] = -1;
    return fd;
  }
};

// A Boost.Process v2 initializer. In the parent: installs our environment. In the child, after
// fork and after stdio is in place: a process group of its own, default signal dispositions and
// mask, and every fd above 2 closed except the launcher's own (1.81's close_all skips gaps).
// Only async-signal-safe calls between fork and exec.
struct ChildSetup {
  const char* const* envp;

  template <class Launcher>
  error_code on_setup(Launcher& launcher, const std::filesystem::path&, const char* const*&) {
    launcher.env = envp;
    return {};
  }

  template <class Launcher>
  error_code on_exec_setup(Launcher& launcher, const std::filesystem::path&, const char* const*&) {
    if (::setpgid(0, 0) != 0) return {errno, boost::system::system_category()};
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2}) {
      ::signal(sig, SIG_DFL);
    }
    unsigned lo = 3;
    while (true) {
      unsigned next = UINT_MAX;  // the smallest kept fd at or above lo
      for (int fd : launcher.fd_whitelist) {
        if (fd >= 0 && static_cast<unsigned>(fd) >= lo && static_cast<unsigned>(fd) < next) {
          next = static_cast<unsigned>(fd);
        }
      }
      if (next == UINT_MAX) {
        ::close_range(lo, UINT_MAX, 0);
        break;
      }
      if (next > lo) ::close_range(lo, next - 1, 0);
      lo = next + 1;
    }
    return {};
  }

  // exec failed (its errno is already on its way to the parent): leave without running the
  // parent's atexit handlers or flushing its stdio buffers, which 1.81's ::exit would do.
  template <class Launcher>
  void on_exec_error(Launcher&, const std::filesystem::path&, const char* const*&,
                     const error_code&) {
    ::_exit(127);
  }
  // 1.81 detects on_exec_error with a five-argument expression but calls the four-argument
  // form above; this overload only makes the detection succeed.
  template <class Launcher>
  void on_exec_error(Launcher&, const error_code&, const std::filesystem::path&,
                     const char* const*&, const error_code&) {}
};

}  // namespace

bool ChildRun::launch() {
  process_wide_setup();
  auto fail_with = [&](const std::string& what) {
    m_launch_outcome.end = ChildEnd::launch_failed;
    m_launch_outcome.launch_error = what;
    return false;
  };
  // Failures found here cost no fork (and the 1.81 launcher reports some only after one).
  if (::access(m_spec.program.c_str(), X_OK) != 0) {
    return fail_with("cannot execute " + m_spec.program.string() + ": " + std::strerror(errno));
  }
  std::error_code fs_ec;
  if (!std::filesystem::is_directory(m_spec.cwd, fs_ec)) {
    return fail_with("working directory " + m_spec.cwd.string() + " does not exist");
  }
  FdPair in, out, err;
  int devnull = -1;
  if (m_spec.stdin_data) {
    if (!in.open()) return fail_with(std::string("cannot create a pipe: ") + std::strerror(errno));
  } else {
    devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) return fail_with("cannot open /dev/null");
    in.fds[0] = devnull;  // closed with the pair
  }
  if (!out.open() || !err.open()) {
    return fail_with(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  error_code ec;
  if (m_spec.stdin_data) m_stdin.assign(in.release(1), ec);
  if (!ec) m_stdout.assign(out.release(0), ec);
  if (!ec) m_stderr.assign(err.release(0), ec);
  if (ec) return fail_with("cannot set up pipes: " + ec.message());

  std::vector<const char*> envp;
  envp.reserve(m_spec.env.size() + 1);
  for (const auto& entry : m_spec.env) envp.push_back(entry.c_str());
  envp.push_back(nullptr);

  bp::posix::default_launcher launcher;
  auto proc = launcher(m_stdout.get_executor(), ec, m_spec.program, m_spec.args,
                       bp::process_stdio{in.fds[0], out.fds[1], err.fds[1]},
                       bp::process_start_dir{m_spec.cwd}, ChildSetup{envp.data()});
  if (ec) {
    // 1.81 leaves a child whose exec failed unreaped; reap it here (it exits at once).
    if (launcher.pid > 0) ::waitpid(launcher.pid, nullptr, 0);
    error_code ignored;
    m_stdin.close(ignored);
    m_stdout.close(ignored);
    m_stderr.close(ignored);
    return fail_with("cannot start " + m_spec.program.string() + ": " + ec.message());
  }
  m_pid = proc.id();
  m_proc.emplace(std::move(proc));
  // Before anything else runs on this executor: the control socket refuses its requests.
  register_agent_process(m_pid);
  m_registered = true;
  return true;
}

void ChildRun::forget_agent() {
  if (!m_registered) return;
  m_registered = false;
  unregister_agent_process(m_pid);
}

}  // namespace gavel::agents::detail
