// `gavel arbitrate` on a real terminal: a real gaveld with scripted agents that deadlock (the
// reviewer insists on a P1 the implementer disputes), then `gavel arbitrate` in a private tmux
// server, driven by send-keys and read with capture-pane, decides the escalation. Checked
// through the daemon: the finding's new state, reason and human actor, and the session no
// longer escalated; the pre-commit gate blocks before (each finding named once) and passes after.
// Skipped when tmux is not installed (scripts/install-deps installs it).
#include "tests/integration/daemon_fixture.hpp"

#include "protocol/names.hpp"

#include <filesystem>
#include <iostream>

namespace gavel::test {
namespace {

namespace pr = protocol;
using namespace std::chrono_literals;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";
const std::string k_title = "Shell command built from TARGET";
const std::string k_body = "TARGET reaches sh -c unquoted, so a crafted name runs commands";
const std::string k_dispute = "TARGET is a constant set on line 1, never user input";
const std::string k_reason = "internal tool; TARGET is fixed by the packager";

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ArbitrateTmux : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    if (run_process({"tmux", "-V"}, m_root, env()).status != 0) {
      GTEST_SKIP() << "tmux is not installed (scripts/install-deps installs it)";
    }
    std::filesystem::create_directories(m_root + "/tmux");
  }
  void TearDown() override {
    if (m_tmux_started) {
      if (HasFailure()) {
        std::cerr << "---- last screen of gavel arbitrate ----\n" << capture() << "--------\n";
      }
      tmux({"kill-server"});
    }
    DaemonFixture::TearDown();
  }

  // The daemon client's environment (as the fixture gives gaveld), plus tmux's private socket
  // directory and a plain shell.
  std::vector<std::string> env() const {
    std::vector<std::string> out{
        "HOME=" + m_root + "/home", "XDG_CONFIG_HOME=" + m_root + "/cfg",
        "XDG_STATE_HOME=" + m_root + "/state", "GAVEL_SOCKET=" + m_socket,
        "TMUX_TMPDIR=" + m_root + "/tmux", "SHELL=/bin/sh", "TERM=xterm-256color"};
    for (const auto& e : m_repo->env()) {
      const std::string name = e.substr(0, e.find('=') + 1);
      bool taken = false;
      for (const auto& mine : out) taken = taken || mine.rfind(name, 0) == 0;
      if (!taken) out.push_back(e);
    }
    return out;
  }
  RunResult tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-L", "gavel-arbitrate", "-f", "/dev/null"});
    return run_process(args, m_repo->path(), env());
  }
  std::string capture() {
    const auto r = tmux({"capture-pane", "-p", "-J", "-t", "arb"});
    if (r.status == 0) m_screen = r.out;
    return m_screen;
  }
  // Polls the screen until it shows `what` (generous: loaded 2-core machines).
  bool screen_shows(const std::string& what, std::chrono::seconds timeout = 60s) {
    return wait_for([&] { return capture().find(what) != std::string::npos; }, timeout);
  }
  void send(const std::string& text) {
    ASSERT_EQ(tmux({"send-keys", "-t", "arb", "-l", text}).status, 0);
    ASSERT_EQ(tmux({"send-keys", "-t", "arb", "Enter"}).status, 0);
  }
  RunResult commit() {
    return run_process({"git", "commit", "-q", "-m", "backup script"}, m_repo->path(), env());
  }

  // Scripted agents that deadlock: the reviewer raises the P1 on line 2 every round, the
  // implementer disputes it every time and changes nothing; review.insist_limit (2) escalates.
  void escalate() {
    const std::string reviewer = script("reviewer.sh", "cat > /dev/null\n"
        "printf '{\"findings\":[{\"title\":\"" + k_title + "\",\"body\":\"" + k_body + "\","
        "\"confidence_score\":0.9,\"priority\":1,\"code_location\":{\"absolute_file_path\":"
        "\"%s/backup.sh\",\"line_range\":{\"start\":2,\"end\":2}}}],\"overall_correctness\":"
        "\"patch is incorrect\",\"overall_explanation\":\"injection\","
        "\"overall_confidence_score\":0.9}\\n' \"$1\"\n");
    const std::string implementer = script("implementer.sh", "cat > /dev/null\n"
        "echo '{\"responses\":[{\"finding\":\"" + k_title + "\",\"action\":\"disputed\","
        "\"rationale\":\"" + k_dispute + "\"}],\"summary\":\"disputed\"}'\n");
    write_config("[review]\nreviewer = \"rev\"\nimplementer = \"impl\"\n\n" +
                 agent_table("rev", reviewer, implementer) + "\n" +
                 agent_table("impl", reviewer, implementer));
    start_daemon({"review.apply=never"});
    add_repo();
    m_repo->write("backup.sh", "TARGET=/var/backups/site\nsh -c \"tar czf $TARGET.tgz .\"\n"
                               "echo done\n");
    m_repo->git({"add", "backup.sh"});  // staged as reviewed: the gate can judge a commit
    ASSERT_TRUE(wait_for([&] {
      auto s = sessions();
      return s.size() == 1 && s[0].state == pr::SessionState::escalated;
    })) << (sessions().empty() ? "no session" : std::string(pr::to_string(sessions()[0].state)));
    const auto open = call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::open_only});
    ASSERT_EQ(open.findings.size(), 1u);
    ASSERT_EQ(open.findings[0].state, review::FindingState::escalated);
    m_finding = open.findings[0].id;
  }
  void install_hook() {
    const auto r = run_process({k_gavel, "hook", "install"}, m_repo->path(), env());
    ASSERT_EQ(r.status, 0) << r.out << r.err;
  }
  void start_arbitrate() {
    const std::string cmd = "'" + k_gavel + "' arbitrate --no-start -C '" + repo_path() +
                            "'; echo \"[arbitrate exited $?]\"; sleep 600";
    const auto r = tmux({"new-session", "-d", "-s", "arb", "-x", "200", "-y", "50", cmd});
    m_tmux_started = true;
    ASSERT_EQ(r.status, 0) << r.err;
  }

  std::string m_finding;
  std::string m_screen;
  bool m_tmux_started = false;
};

TEST_F(ArbitrateTmux, ABlockedCommitNamesEachEscalatedFindingOnceWithItsDecideHint) {
  ASSERT_NO_FATAL_FAILURE(escalate());
  ASSERT_NO_FATAL_FAILURE(install_hook());
  const auto r = commit();
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("commit blocked: escalated (dispute)"), std::string::npos) << r.err;
  EXPECT_EQ(count(r.err, "'" + k_title + "'"), 1u) << r.err;
  EXPECT_EQ(count(r.err, "backup.sh:2 "), 1u) << r.err;
  EXPECT_EQ(count(r.err, "gavel decide " + m_finding + " uphold|dismiss|waive --reason ..."), 1u)
      << r.err;
}

TEST_F(ArbitrateTmux, WaivingAnEscalationFromTheTerminalRecordsItAndUnblocksTheCommit) {
  ASSERT_NO_FATAL_FAILURE(escalate());
  ASSERT_NO_FATAL_FAILURE(install_hook());
  ASSERT_NO_FATAL_FAILURE(start_arbitrate());

  ASSERT_TRUE(screen_shows("[u]phold [d]ismiss [w]aive [s]kip [q]uit?")) << m_screen;
  EXPECT_NE(m_screen.find("escalation 1 of 1"), std::string::npos) << m_screen;
  EXPECT_NE(m_screen.find(k_title), std::string::npos) << m_screen;
  EXPECT_NE(m_screen.find("reviewer (rev): " + k_body), std::string::npos) << m_screen;
  EXPECT_NE(m_screen.find("impl (disputed): " + k_dispute), std::string::npos) << m_screen;
  EXPECT_NE(m_screen.find("rev (insisted)"), std::string::npos) << m_screen;
  EXPECT_NE(m_screen.find("2 > sh -c \"tar czf $TARGET.tgz .\""), std::string::npos) << m_screen;

  send("w");
  ASSERT_TRUE(screen_shows("reason: ")) << m_screen;
  send(k_reason);
  ASSERT_TRUE(screen_shows("[arbitrate exited 0]")) << m_screen;
  EXPECT_NE(m_screen.find("1 decided, 0 left"), std::string::npos) << m_screen;

  const auto shown = call(pr::FindingShowRequest{m_finding});
  EXPECT_EQ(shown.finding.state, review::FindingState::waived);
  ASSERT_FALSE(shown.history.empty());
  EXPECT_EQ(shown.history.back().to, review::FindingState::waived);
  EXPECT_EQ(shown.history.back().reason, k_reason);
  EXPECT_EQ(shown.history.back().actor.rfind("human:", 0), 0u) << shown.history.back().actor;
  ASSERT_TRUE(wait_for([&] { return sessions()[0].state != pr::SessionState::escalated; }));
  EXPECT_EQ(sessions()[0].state, pr::SessionState::converged);

  const auto r = commit();
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace gavel::test
