// The hook benchmark's surroundings (see bench_env.hpp): temp root, timed child processes,
// a gaveld child.
#include "bench/hook/bench_env.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace gavel::bench {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

pid_t spawn(const std::vector<std::string>& argv, const fs::path& cwd,
            const std::vector<std::string>& env, const fs::path& log) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

}  // namespace

BenchEnv BenchEnv::create() {
  BenchEnv e;
  std::string tmpl = (fs::temp_directory_path() / "gavel-bench-hook-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) die("cannot create a temp dir", {});
  e.root = tmpl;
  for (const char* d : {"home", "cfg/gavel", "state", "run", "repo"}) fs::create_directories(e.root / d);
  ::chmod((e.root / "run").c_str(), 0700);
  e.repo = fs::canonical(e.root / "repo");
  e.socket = (e.root / "run" / "g.sock").string();
  const std::string r = e.root.string();
  e.vars = {"PATH=" + env_or("PATH", "/usr/bin:/bin"), "HOME=" + r + "/home",
            "XDG_CONFIG_HOME=" + r + "/cfg", "XDG_STATE_HOME=" + r + "/state",
            "GAVEL_SOCKET=" + e.socket, "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C", "TZ=UTC",
            "GIT_AUTHOR_NAME=Bench", "GIT_AUTHOR_EMAIL=bench@example.com",
            "GIT_COMMITTER_NAME=Bench", "GIT_COMMITTER_EMAIL=bench@example.com"};
  return e;
}

Timed run_timed(const std::vector<std::string>& argv, const fs::path& cwd,
                const std::vector<std::string>& env, const fs::path& log) {
  Timed t;
  const auto start = Clock::now();
  const pid_t pid = spawn(argv, cwd, env, log);
  if (pid < 0) return t;
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  t.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  auto ms = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) * 1e3 + tv.tv_usec / 1e3; };
  t.cpu_ms = ms(usage.ru_utime) + ms(usage.ru_stime);
  t.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return t;
}

void must_run(const std::vector<std::string>& argv, const BenchEnv& env) {
  if (run_timed(argv, env.repo, env.vars, env.log()).status == 0) return;
  std::string cmd;
  for (const auto& a : argv) cmd += " " + a;
  die("failed:" + cmd, env.log());
}

Daemon::Daemon(const std::string& gaveld, const BenchEnv& env,
               const std::vector<std::string>& overrides) {
  std::vector<std::string> argv{gaveld};
  for (const auto& o : overrides) {
    argv.push_back("-c");
    argv.push_back(o);
  }
  m_pid = spawn(argv, env.root, env.vars, env.root / "gaveld.log");
  if (m_pid < 0) die("cannot start " + gaveld, {});
}

Daemon::~Daemon() {
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  int status = 0;
  while (::waitpid(m_pid, &status, WNOHANG) == 0) {
    if (Clock::now() > deadline) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void die(const std::string& what, const fs::path& log) {
  std::cerr << "bench_hook: " << what << "\n";
  if (!log.empty()) {
    std::ifstream in(log);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    const std::size_t from = lines.size() > 30 ? lines.size() - 30 : 0;
    std::cerr << "---- " << log.string() << " (tail) ----\n";
    for (std::size_t i = from; i < lines.size(); ++i) std::cerr << lines[i] << "\n";
  }
  std::exit(1);
}

}  // namespace gavel::bench
