// An agent cannot approve its own work: a scripted implementer, while gaveld runs it, finds the
// open finding with the real `gavel findings` and tries the real `gavel decide ... dismiss`,
// directly and from an orphan that left its process group with setsid (reparented to gaveld,
// a subreaper). Both are refused with permission_denied (exit 77) and the finding is untouched;
// the same command typed by a person (this test) goes through. docs/daemon.md "Who may decide".
#include "tests/integration/daemon_fixture.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

namespace gavel::test {
namespace {

namespace fs = std::filesystem;
namespace pr = protocol;
using DaemonAgentRefusal = DaemonFixture;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The decide an agent would type; $id and $R come from the implementer.
std::string agent_decide() {
  return "'" + k_gavel + "' decide \"$id\" dismiss --reason 'agent: fine' --no-start";
}

// Run by the implementer in a new session (setsid) whose parent exits at once: records its
// ppid and process group, then tries to decide.
std::string orphan_body() {
  return "sleep 1\n"
         "cut -d' ' -f4,5 /proc/$$/stat > \"$R/orphan.stat\"\n" +
         agent_decide() + " 2> \"$R/orphan.err\"\n"
         "echo $? > \"$R/orphan.rc\"\n";
}

// The implementer's first turn tries to decide (recording $R/agent.*, then $R/orphan.* through
// `orphan`), then it fixes BUG as the scripted one does.
std::string implementer_body(const std::string& root, const std::string& socket,
                             const std::string& repo, const std::string& orphan) {
  return "cat > /dev/null\n"
         "export GAVEL_SOCKET='" + socket + "' R='" + root + "'\n"
         "if [ ! -e \"$R/agent.rc\" ]; then\n"
         "  echo $$ > \"$R/agent.pid\"\n"
         "  id=$('" + k_gavel + "' findings -C '" + repo + "' --json --no-start |"
         " sed -n 's/.*\"id\": *\"\\([^\"]*\\)\".*/\\1/p' | head -n 1)\n"
         "  export id\n"
         "  echo \"$id\" > \"$R/agent.id\"\n"
         "  " + agent_decide() + " > \"$R/agent.out\" 2> \"$R/agent.err\"\n"
         "  echo $? > \"$R/agent.rc\"\n"
         "  ( setsid '" + orphan + "' < /dev/null > /dev/null 2>&1 & )\n"
         "  i=0; while [ ! -e \"$R/orphan.rc\" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done\n"
         "fi\n"
         "sed -i 's/BUG/FIXED/' \"$1/a.txt\"\n"
         "echo '{\"responses\":[{\"finding\":\"bug here\",\"action\":\"fixed\",\"rationale\":\"done\"}],"
         "\"summary\":\"fixed\"}'\n";
}

// Runs the real `gavel` as a person would, from this test; returns its exit status.
int run_gavel(const std::string& socket, const std::string& args, std::string& output) {
  const std::string cmd = "GAVEL_SOCKET='" + socket + "' '" + k_gavel + "' " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) output += buf;
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(DaemonAgentRefusal, AnAgentCannotDecideButThePersonCan) {
  use_scripted_agents(0);
  const std::string orphan = script("orphan.sh", orphan_body());
  script("implementer.sh", implementer_body(m_root, m_socket, repo_path(), orphan));
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] { return fs::exists(m_root + "/orphan.rc"); })) << log_text();
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }));

  const std::string finding = slurp(m_root + "/agent.id");
  ASSERT_FALSE(finding.empty()) << "the agent found no finding to decide";
  EXPECT_EQ(slurp(m_root + "/agent.rc"), "77") << slurp(m_root + "/agent.err");
  EXPECT_NE(slurp(m_root + "/agent.err").find("decide refused"), std::string::npos)
      << slurp(m_root + "/agent.err");
  EXPECT_EQ(slurp(m_root + "/orphan.rc"), "77") << slurp(m_root + "/orphan.err");
  // The orphan really had escaped the agent: reparented to gaveld, in a group of its own.
  std::istringstream stat(slurp(m_root + "/orphan.stat"));
  int orphan_ppid = 0, orphan_pgrp = 0;
  stat >> orphan_ppid >> orphan_pgrp;
  EXPECT_EQ(orphan_ppid, m_pid);
  EXPECT_NE(orphan_pgrp, std::stoi(slurp(m_root + "/agent.pid")));
  EXPECT_NE(log_text().find("refused decide from pid"), std::string::npos);

  auto shown = call(pr::FindingShowRequest{finding});
  EXPECT_NE(shown.finding.state, review::FindingState::dismissed);
  for (const auto& h : shown.history) {
    EXPECT_EQ(h.actor.rfind("human:", 0), std::string::npos) << h.actor << " decided";
  }

  std::string out;
  EXPECT_EQ(run_gavel(m_socket, "decide " + finding + " dismiss --reason 'a person: fine' --no-start",
                      out), 0) << out;
  shown = call(pr::FindingShowRequest{finding});
  EXPECT_EQ(shown.finding.state, review::FindingState::dismissed);
  ASSERT_FALSE(shown.history.empty());
  EXPECT_EQ(shown.history.back().actor.rfind("human:", 0), 0u) << shown.history.back().actor;
}

}  // namespace
}  // namespace gavel::test
