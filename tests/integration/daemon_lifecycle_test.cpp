// gaveld's lifecycle and safety: acknowledged decisions survive kill -9, a round running at a
// crash is re-run after restart, SIGTERM stops agents and exits 0, another uid cannot connect,
// and a repository whose .gavel.toml defines agents is refused.
#include "tests/integration/daemon_fixture.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <thread>

namespace gavel::test {
namespace {

namespace pr = protocol;
using namespace std::chrono_literals;
using DaemonLifecycle = DaemonFixture;

bool process_gone(int pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

TEST_F(DaemonLifecycle, AcknowledgedDecisionSurvivesKill9) {
  use_scripted_agents(0, "triage = \"human\"");
  start_daemon();
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  std::string finding;
  ASSERT_TRUE(wait_for([&] {
    auto f = call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::all}).findings;
    if (!f.empty()) finding = f[0].id;
    return !f.empty();
  }));
  auto decided = call(pr::DecideRequest{finding, pr::Decision::waive, "accepted risk", ""});
  EXPECT_EQ(decided.finding.state, review::FindingState::waived);
  ASSERT_EQ(stop_daemon(SIGKILL), 128 + SIGKILL);
  start_daemon();
  auto shown = call(pr::FindingShowRequest{finding});
  EXPECT_EQ(shown.finding.state, review::FindingState::waived);
  ASSERT_FALSE(shown.history.empty());
  EXPECT_EQ(shown.history.back().to, review::FindingState::waived);
  EXPECT_EQ(shown.history.back().reason, "accepted risk");
  EXPECT_EQ(shown.history.back().actor.rfind("human:", 0), 0u) << shown.history.back().actor;
}

TEST_F(DaemonLifecycle, Kill9DuringARoundResumesTheSessionAndReRunsTheRound) {
  use_scripted_agents(2);
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] { return !reviewer_pids().empty(); }));
  ASSERT_EQ(stop_daemon(SIGKILL), 128 + SIGKILL);
  start_daemon({"review.apply=never"});
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }));
  auto all = sessions();
  ASSERT_EQ(all.size(), 1u);  // the same session, resumed
  EXPECT_EQ(all[0].state, pr::SessionState::converged);
  auto shown = call(pr::SessionShowRequest{all[0].id});
  ASSERT_GE(shown.rounds.size(), 2u);
  EXPECT_NE(shown.rounds[0].outcome.find("interrupted"), std::string::npos) << shown.rounds[0].outcome;
  EXPECT_EQ(shown.rounds[1].number, shown.rounds[0].number);  // the same turn, run again
  EXPECT_EQ(shown.rounds[1].outcome, "done");
}

TEST_F(DaemonLifecycle, SigtermDuringARoundResumesTheSessionAfterRestart) {
  use_scripted_agents(2);
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] { return !reviewer_pids().empty(); }));
  ASSERT_EQ(stop_daemon(SIGTERM), 0);
  start_daemon({"review.apply=never"});
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }));
  EXPECT_EQ(sessions()[0].state, pr::SessionState::converged);
}

TEST_F(DaemonLifecycle, SigtermExitsZeroAndLeavesNoAgentRunning) {
  use_scripted_agents(60);
  start_daemon();
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] { return !reviewer_pids().empty(); }));
  const int agent = reviewer_pids()[0];
  EXPECT_EQ(stop_daemon(SIGTERM, std::chrono::seconds(10)), 0);
  EXPECT_TRUE(wait_for([&] { return process_gone(agent); }, std::chrono::seconds(5)));
}

TEST_F(DaemonLifecycle, AnotherUidCannotConnect) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to uid 65534";
  start_daemon();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, m_socket.c_str(), sizeof addr.sun_path - 1);
    bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::_exit(connected ? 1 : 0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "uid 65534 could connect";
}

TEST_F(DaemonLifecycle, RepoConfigDefiningAgentsIsRefused) {
  m_repo->write(".gavel.toml", "[agents.x]\nkind = \"process\"\nreviewer_argv = [\"evil\"]\n");
  m_repo->commit_all("add config");
  start_daemon();
  auto c = client();
  auto r = c.call(pr::RepoAddRequest{repo_path()});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(".gavel.toml"), std::string::npos) << r.error().message;
  EXPECT_TRUE(call(pr::RepoListRequest{}).repos.empty());
  EXPECT_NE(log_text().find(".gavel.toml"), std::string::npos);
}

TEST_F(DaemonLifecycle, EscalationRunsTheNotifyCommand) {
  const std::string out = m_root + "/notified.txt";
  const std::string notify = script("notify.sh", "printf '%s|%s\\n' \"$1\" \"$2\" >> " + out + "\n");
  // The builtin agents deadlock on a hard-coded password: the rules reviewer insists, the
  // patch implementer has no mechanical fix and disputes it.
  write_config("[daemon]\nnotify_command = \"" + notify + "\"\n");
  start_daemon();
  add_repo();
  m_repo->write("a.txt", "PASSWORD = \"Zq8#kLm2$vT9pWx4\"\n");
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return !s.empty() && s.back().state == pr::SessionState::escalated;
  }));
  ASSERT_TRUE(wait_for([&] { return std::filesystem::exists(out); }, std::chrono::seconds(20)));
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  EXPECT_NE(line.find("gavel: review needs you|"), std::string::npos) << line;
  EXPECT_NE(line.find("gavel arbitrate"), std::string::npos) << line;
}

}  // namespace
}  // namespace gavel::test
