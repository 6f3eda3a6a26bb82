#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::test {

namespace fs = std::filesystem;

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

fs::path make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / "gavel-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return fs::path(tmpl);
}

void drain(int fd, std::string& into, bool& open) {
  char buf[65536];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n > 0) into.append(buf, static_cast<std::size_t>(n));
  else if (n == 0 || (errno != EINTR && errno != EAGAIN)) open = false;
}

}  // namespace

RunResult run_process(const std::vector<std::string>& argv, const fs::path& cwd,
                      const std::vector<std::string>& env) {
  RunResult r;
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return r;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return r;
  }
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // posix_spawn (vfork-like): no copy of the test's page tables, which under ASan are huge.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(out[0]);
    ::close(err[0]);
    return r;
  }
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) drain(out[0], r.out, out_open);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) drain(err[0], r.err, err_open);
  }
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TempGitRepo::TempGitRepo(Init init) {
  m_root = make_temp_dir();
  m_path = m_root / "repo";
  fs::create_directories(m_path);
  fs::create_directories(m_root / "home");
  m_env = {
      "PATH=" + env_or("PATH", "/usr/bin:/bin"),
      "HOME=" + (m_root / "home").string(),
      "XDG_CONFIG_HOME=" + (m_root / "home" / ".config").string(),
      "GIT_CONFIG_NOSYSTEM=1",
      "LC_ALL=C",
      "TZ=UTC",
      "GIT_AUTHOR_NAME=Gavel Test",
      "GIT_AUTHOR_EMAIL=test@gavel.invalid",
      "GIT_COMMITTER_NAME=Gavel Test",
      "GIT_COMMITTER_EMAIL=test@gavel.invalid",
      "GIT_AUTHOR_DATE=1700000000 +0000",
      "GIT_COMMITTER_DATE=1700000000 +0000",
      "GIT_TERMINAL_PROMPT=0",
      "GIT_PAGER=cat",
  };
  std::ofstream(m_root / "home" / ".gitconfig")
      << "[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n"
      << "[advice]\n\tdetachedHead = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n";
  if (init == Init::repo) git({"init", "-q"});
  if (init == Init::bare) git({"init", "-q", "--bare"});
}

TempGitRepo::~TempGitRepo() {
  const bool keep = std::getenv("GAVEL_KEEP_TEMP") != nullptr || m_keep == Keep::always ||
                    (m_keep == Keep::on_failure && ::testing::Test::HasFailure());
  if (keep) {
    std::cerr << "TempGitRepo: kept " << m_root.string() << "\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(m_root, ec);
}

RunResult TempGitRepo::run_git(const std::vector<std::string>& args, const fs::path& cwd) const {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, cwd.empty() ? m_path : cwd, m_env);
}

std::string TempGitRepo::git(const std::vector<std::string>& args, const fs::path& cwd) const {
  RunResult r = run_git(args, cwd);
  if (r.status != 0) {
    std::string cmd = "git";
    for (const auto& a : args) cmd += " " + a;
    ADD_FAILURE() << cmd << " exited " << r.status << ": " << r.err;
  }
  return r.out;
}

void TempGitRepo::write(std::string_view rel, std::string_view content) const {
  const fs::path p = m_path / fs::path(rel);
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

std::string TempGitRepo::read(std::string_view rel) const {
  std::ifstream in(m_path / fs::path(rel), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void TempGitRepo::remove(std::string_view rel) const {
  std::error_code ec;
  fs::remove_all(m_path / fs::path(rel), ec);
}

void TempGitRepo::symlink(std::string_view target, std::string_view rel) const {
  const fs::path p = m_path / fs::path(rel);
  fs::create_directories(p.parent_path());
  std::error_code ec;
  fs::remove(p, ec);
  fs::create_symlink(fs::path(target), p);
}

void TempGitRepo::set_executable(std::string_view rel, bool executable) const {
  const fs::path p = m_path / fs::path(rel);
  ::chmod(p.c_str(), executable ? 0755 : 0644);
}

void TempGitRepo::touch(std::string_view rel) const {
  const fs::path p = m_path / fs::path(rel);
  struct stat st {};
  if (::lstat(p.c_str(), &st) != 0) return;
  // One second earlier than now: a different stamp, and never one in the future.
  struct timespec times[2] = {st.st_mtim, st.st_mtim};
  times[0].tv_sec -= 1;
  times[1].tv_sec -= 1;
  ::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

std::string TempGitRepo::commit_all(std::string_view message) const {
  git({"add", "-A"});
  git({"commit", "-q", "--allow-empty", "-m", std::string(message)});
  std::string id = git({"rev-parse", "HEAD"});
  while (!id.empty() && id.back() == '\n') id.pop_back();
  return id;
}

}  // namespace gavel::test
