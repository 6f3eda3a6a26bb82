#include "tests/integration/daemon_fixture.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace gavel::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void DaemonFixture::SetUp() {
  m_repo.emplace();
  m_root = m_repo->root().string();
  for (const char* d : {"home", "cfg/gavel", "state", "run"}) fs::create_directories(m_root + "/" + d);
  ::chmod((m_root + "/run").c_str(), 0700);
  m_socket = m_root + "/run/g.sock";
  m_repo->write("README", "hello\n");
  m_repo->commit_all("init");
}

void DaemonFixture::TearDown() {
  if (m_pid > 0) stop_daemon(SIGKILL);
  if (HasFailure()) std::cerr << "---- gaveld.log ----\n" << log_text() << "--------\n";
}

std::string DaemonFixture::repo_path() const { return fs::canonical(m_repo->path()).string(); }

void DaemonFixture::start_daemon(const std::vector<std::string>& overrides) {
  std::vector<std::string> args{std::string(GAVEL_BINARY_DIR) + "/cli/gaveld", "-c",
                                "review.settle_ms=200"};
  for (const auto& o : overrides) {
    args.push_back("-c");
    args.push_back(o);
  }
  std::vector<std::string> env{
      "HOME=" + m_root + "/home", "XDG_CONFIG_HOME=" + m_root + "/cfg",
      "XDG_STATE_HOME=" + m_root + "/state", "GAVEL_SOCKET=" + m_socket,
      "PATH=" + std::string(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin")};
  for (const auto& e : m_repo->env()) {  // git's clean environment, minus what is set above
    const std::string name = e.substr(0, e.find('=') + 1);
    bool taken = false;
    for (const auto& mine : env) taken = taken || mine.rfind(name, 0) == 0;
    if (!taken) env.push_back(e);
  }
  if (const char* asan = std::getenv("ASAN_OPTIONS")) env.push_back(std::string("ASAN_OPTIONS=") + asan);
  const std::string log = m_root + "/gaveld.log";
  m_pid = ::fork();
  ASSERT_GE(m_pid, 0);
  if (m_pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 2);
    ::dup2(fd, 1);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  bool up = wait_for([&] {
    auto c = client::Client::connect(m_socket);
    return c && c->call(protocol::StatusRequest{}).has_value();
  }, 30s);
  ASSERT_TRUE(up) << "gaveld did not answer: " << log_text();
}

int DaemonFixture::stop_daemon(int sig, std::chrono::seconds within) {
  if (m_pid <= 0) return -1;
  ::kill(m_pid, sig);
  const auto deadline = std::chrono::steady_clock::now() + within;
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, &status, 0);
      m_pid = -1;
      return -1;
    }
    std::this_thread::sleep_for(20ms);
  }
  m_pid = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

client::Client DaemonFixture::client() {
  auto c = client::Client::connect(m_socket);
  if (!c) throw std::runtime_error("connect: " + c.error().message);
  return std::move(*c);
}

void DaemonFixture::add_repo() { call(protocol::RepoAddRequest{repo_path()}); }

void DaemonFixture::write_config(const std::string& text) {
  std::ofstream(m_root + "/cfg/gavel/config.toml") << text;
}

std::string DaemonFixture::script(const std::string& name, const std::string& body) {
  const std::string path = m_root + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}

std::string DaemonFixture::agent_table(const std::string& name, const std::string& reviewer,
                                       const std::string& implementer) {
  return "[agents." + name + "]\nkind = \"process\"\nreviewer_argv = [\"" + reviewer +
         "\", \"{workdir}\"]\nimplementer_argv = [\"" + implementer +
         "\", \"{workdir}\"]\nprompt_via = \"stdin\"\noutput_from = \"stdout\"\n"
         "output_format = \"text\"\nkill_grace_ms = 500\n";
}

bool DaemonFixture::wait_for(const std::function<bool()>& pred, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

void DaemonFixture::use_scripted_agents(int reviewer_sleep, const std::string& extra) {
  const std::string reviewer = script("reviewer.sh", "cat > /dev/null\necho $$ >> " + m_root +
      "/reviewer.pids\nsleep " + std::to_string(reviewer_sleep) + "\n"
      "if grep -q BUG \"$1/a.txt\" 2>/dev/null; then\n"
      "printf '{\"findings\":[{\"title\":\"bug here\",\"body\":\"BUG marker\",\"confidence_score\":0.9,"
      "\"priority\":1,\"code_location\":{\"absolute_file_path\":\"%s/a.txt\",\"line_range\":"
      "{\"start\":1,\"end\":1}}}],\"overall_correctness\":\"patch is incorrect\","
      "\"overall_explanation\":\"bug\",\"overall_confidence_score\":0.9}\\n' \"$1\"\n"
      "else\nprintf '{\"findings\":[],\"overall_correctness\":\"patch is correct\","
      "\"overall_explanation\":\"ok\",\"overall_confidence_score\":0.9}\\n'\nfi\n");
  const std::string implementer = script("implementer.sh", "cat > /dev/null\n"
      "sed -i 's/BUG/FIXED/' \"$1/a.txt\"\n"
      "echo '{\"responses\":[{\"finding\":\"bug here\",\"action\":\"fixed\",\"rationale\":\"done\"}],"
      "\"summary\":\"fixed\"}'\n");
  write_config("[review]\nreviewer = \"scr\"\nimplementer = \"scr\"\n" + extra + "\n" +
               agent_table("scr", reviewer, implementer));
}

std::vector<int> DaemonFixture::reviewer_pids() const {
  std::vector<int> out;
  std::ifstream in(m_root + "/reviewer.pids");
  for (int pid = 0; in >> pid;) out.push_back(pid);
  return out;
}

std::vector<protocol::SessionSummary> DaemonFixture::sessions() {
  return call(protocol::SessionListRequest{repo_path()}).sessions;
}

bool DaemonFixture::final_state(const protocol::SessionSummary& s) const {
  return s.state != protocol::SessionState::running;
}

std::string DaemonFixture::log_text() const {
  std::ifstream in(m_root + "/gaveld.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace gavel::test
