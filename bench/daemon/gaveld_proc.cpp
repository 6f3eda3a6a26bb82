#include "bench/daemon/gaveld_proc.hpp"

#include "bench/daemon/sandbox.hpp"

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::bench {

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value after "Name:" in a /proc status file, or 0.
long long status_field(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + ":");
  if (at == std::string::npos) return 0;
  return std::stoll(text.substr(at + name.size() + 2));
}

// Field `n` (1-based, as in proc(5)) of /proc/PID/stat; fields after the command name only.
long long stat_number(pid_t pid, int n) {
  const std::string stat = read_all("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));  // field 3 onwards
  std::string field;
  for (int i = 3; i < n; ++i) rest >> field;
  long long value = 0;
  rest >> value;
  return value;
}

}  // namespace

Gaveld::Gaveld(const Sandbox& sandbox, const std::vector<std::string>& overrides)
    : m_sandbox(sandbox) {
  std::vector<std::string> args{GAVEL_DAEMON_PATH, "--log-level", "repo=debug,info"};
  for (const auto& o : overrides) {
    args.push_back("-c");
    args.push_back(o);
  }
  std::vector<std::string> env = sandbox.daemon_env();
  const std::string log = sandbox.log_file().string();
  const pid_t parent = ::getpid();
  m_pid = ::fork();
  if (m_pid < 0) throw std::runtime_error("fork failed");
  if (m_pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
}

Gaveld::~Gaveld() { stop(); }

bool Gaveld::running() {
  if (m_pid > 0 && ::waitpid(m_pid, nullptr, WNOHANG) != 0) m_pid = -1;  // exited (reaped)
  return m_pid > 0;
}

int Gaveld::stop() {
  if (m_pid <= 0) return -1;
  ::kill(m_pid, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (::waitpid(m_pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, &status, 0);
      m_pid = -1;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  m_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

CpuSample Gaveld::cpu() const {
  CpuSample s;
  const fs::path proc = "/proc/" + std::to_string(m_pid);
  s.ticks = stat_number(m_pid, 14) + stat_number(m_pid, 15);  // utime + stime
  std::error_code ec;
  for (const auto& task : fs::directory_iterator(proc / "task", ec)) {
    long long run_ns = 0;
    std::ifstream(task.path() / "schedstat") >> run_ns;
    s.run_ns += run_ns;
    const std::string status = read_all(task.path() / "status");
    s.ctx_switches += status_field(status, "voluntary_ctxt_switches") +
                      status_field(status, "nonvoluntary_ctxt_switches");
    ++s.threads;
  }
  return s;
}

MemSample Gaveld::mem() const {
  const std::string status = "\n" + read_all("/proc/" + std::to_string(m_pid) + "/status");
  return {status_field(status, "VmRSS"), status_field(status, "VmHWM"),
          status_field(status, "RssAnon"), status_field(status, "RssFile")};
}

IoSample Gaveld::io() const {
  const std::string io = "\n" + read_all("/proc/" + std::to_string(m_pid) + "/io");
  return {status_field(io, "read_bytes"), stat_number(m_pid, 12)};
}

int Gaveld::inotify_watches() const {
  const fs::path proc = "/proc/" + std::to_string(m_pid);
  int watches = 0;
  std::error_code ec;
  for (const auto& fd : fs::directory_iterator(proc / "fdinfo", ec)) {
    std::ifstream in(fd.path());
    for (std::string line; std::getline(in, line);) watches += line.rfind("inotify wd:", 0) == 0;
  }
  return watches;
}

int Gaveld::log_count(const std::string& needle) const {
  std::ifstream in(m_sandbox.log_file());
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

std::string Gaveld::log_tail(int lines) const {
  std::ifstream in(m_sandbox.log_file());
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += l + "\n";
  return out;
}

}  // namespace gavel::bench
