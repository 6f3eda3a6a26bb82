#include "cli/daemon_client.hpp"

#include "cli/cli.hpp"
#include "git/repository.hpp"
#include "protocol/socket_path.hpp"

#include <iostream>

#include <cstdlib>
#include <fcntl.h>
#include <sstream>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::cli {

namespace {

bool answers(const std::string& path) {
  auto c = client::Client::connect(path, client::ClientOptions{std::chrono::seconds(2)});
  return c && c->call(protocol::StatusRequest{});
}

}  // namespace

std::string daemon_socket_path() { return protocol::default_socket_path(); }

std::filesystem::path self_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("gavel") : p;
}

Result<std::filesystem::path> find_gaveld() {
  const auto beside = self_executable().parent_path() / "gaveld";
  if (::access(beside.c_str(), X_OK) == 0) return beside;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const auto candidate = std::filesystem::path(dir) / "gaveld";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return fail(Errc::unavailable, "gaveld not found next to " + self_executable().string() +
                                     " nor in PATH");
}

Result<void> start_daemon(std::chrono::milliseconds wait) {
  auto exe = find_gaveld();
  if (!exe) return exe.error();
  const pid_t pid = ::fork();
  if (pid < 0) return fail(Errc::io, "cannot fork to start gaveld");
  if (pid == 0) {
    // Child: a new session, then a grandchild that is re-parented to init (no zombie here).
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    const std::string p = exe->string();
    ::execl(p.c_str(), p.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  const std::string path = daemon_socket_path();
  while (std::chrono::steady_clock::now() < deadline) {
    if (answers(path)) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return fail(Errc::unavailable, "started " + exe->string() + " but nothing answered on " + path +
                                     " (see its log; try `gaveld` in a terminal)");
}

Result<client::Client> connect_daemon(StartDaemon start, std::chrono::milliseconds wait) {
  const std::string path = daemon_socket_path();
  auto c = client::Client::connect(path);
  if (c || c.error().code != Errc::unavailable) return c;
  if (start == StartDaemon::never) {
    return fail(Errc::unavailable, "no daemon answers on " + path + " (start it: gavel daemon start)");
  }
  if (auto s = start_daemon(wait); !s) return s.error();
  return client::Client::connect(path);
}

Result<std::string> repo_root(const std::string& dir) {
  auto repo = git::Repository::open(dir);
  if (!repo) return repo.error();
  std::string root = repo->workdir();
  if (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

std::optional<client::Client> connect_or_report(bool no_start, int& exit_status) {
  auto c = connect_daemon(no_start ? StartDaemon::never : StartDaemon::on_demand);
  if (!c) {
    exit_status = report_error(c.error());
    return std::nullopt;
  }
  return std::move(*c);
}

int report_error(const Error& error) {
  std::cerr << "gavel: " << error.message << "\n";
  return exit_code_for_daemon_error(error);
}

int exit_code_for_daemon_error(const Error& error) {
  switch (error.code) {
    case Errc::unavailable: return k_exit_unavailable;
    case Errc::invalid_argument: return k_exit_usage;
    case Errc::not_found:
    case Errc::not_a_repository:
    case Errc::bare_repository:
    case Errc::config:
    case Errc::conflict: return k_exit_data;
    case Errc::permission_denied: return k_exit_noperm;
    default: return k_exit_internal;
  }
}

}  // namespace gavel::cli
