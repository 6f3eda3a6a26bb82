// The daemon-talking commands (status, findings, show, decide, watch, export, arbitrate) run
// as the built `gavel` against a scripted daemon: a real ControlServer on a real Unix socket.
// Text and --json output, and exit 69 with --no-start when nothing listens.
#include "tests/support/temp_git_repo.hpp"
#include "tests/unit/cli/scripted_daemon.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace gavel::cli {
namespace {

using test::TempGitRepo;
using testing::finding;
using testing::ScriptedDaemon;
namespace pr = protocol;
using review::FindingState;
using review::Priority;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

class DaemonCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    m_repo.write("net.cpp", "int a;\nint b;\nint c;\nint recv_all();\nint d;\n");
    m_repo.commit_all("net");
    std::lock_guard l(h().mutex);
    h().findings = {
        finding("f-1", Priority::p1, FindingState::escalated, "net.cpp", 4, "Unchecked recv"),
        finding("f-2", Priority::p2, FindingState::dismissed, "net.cpp", 2, "Naming")};
    auto s = testing::session("s-3", m_repo.path().string(), pr::SessionState::escalated, 8);
    h().sessions["s-3"] = {s, {}, h().findings};
    h().shown["f-1"] = {h().findings[0], {"Unchecked recv", "recv result ignored"},
                        {pr::HistoryEntry{FindingState::open, FindingState::disputed, "claude", 1,
                                          "recv_all loops until done"}},
                        std::string("--- a/net.cpp\n+++ b/net.cpp\n")};
    h().repos = {m_repo.path().string()};
  }
  testing::ScriptedHandler& h() { return m_daemon.handler(); }
  test::RunResult gavel(std::vector<std::string> args, std::string socket = "") const {
    args.insert(args.begin(), k_gavel);
    std::vector<std::string> env = m_repo.env();
    env.push_back(socket.empty() ? m_daemon.env() : "GAVEL_SOCKET=" + socket);
    return test::run_process(args, m_repo.path(), env);
  }
  test::RunResult shell(const std::string& script) const {
    std::vector<std::string> env = m_repo.env();
    env.push_back(m_daemon.env());
    env.push_back("GAVEL=" + k_gavel);
    return test::run_process({"sh", "-c", script}, m_repo.path(), env);
  }

  TempGitRepo m_repo;
  ScriptedDaemon m_daemon{m_repo.root()};
};

TEST_F(DaemonCommands, FindingsListsOpenOnesAndAllWithAll) {
  auto r = gavel({"findings"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "f-1  P1  escalated  net.cpp:4  Unchecked recv")) << r.out;
  EXPECT_FALSE(has(r.out, "f-2")) << r.out;
  r = gavel({"findings", "--all", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][1]["state"], "dismissed");
  std::lock_guard l(h().mutex);
  const auto& last = std::get<pr::FindingsListRequest>(h().seen.back());
  EXPECT_EQ(last.repo, m_repo.path().string());
  EXPECT_EQ(last.filter, pr::FindingFilter::all);
}

TEST_F(DaemonCommands, ShowPrintsPositionsHistoryAndFix) {
  auto r = gavel({"show", "f-1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Body of Unchecked recv")) << r.out;
  EXPECT_TRUE(has(r.out, "recv result ignored")) << r.out;
  EXPECT_TRUE(has(r.out, "open -> disputed  claude: recv_all loops until done")) << r.out;
  EXPECT_TRUE(has(r.out, "+++ b/net.cpp")) << r.out;
  r = gavel({"show", "f-1", "--json"});
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["finding"]["id"], "f-1");
  EXPECT_EQ(gavel({"show", "f-404"}).status, 65);
}

TEST_F(DaemonCommands, DecideNeedsAReasonToDismissAndSendsTheDecision) {
  auto r = gavel({"decide", "f-1", "dismiss"});
  EXPECT_EQ(r.status, 64) << r.err;
  EXPECT_TRUE(has(r.err, "--reason")) << r.err;
  EXPECT_EQ(gavel({"decide", "f-1", "maybe", "--reason", "x"}).status, 64);
  {
    std::lock_guard l(h().mutex);
    EXPECT_TRUE(h().decisions.empty());
  }
  r = gavel({"decide", "f-1", "waive", "--reason", "accepted for the beta", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["finding"]["state"], "waived");
  std::lock_guard l(h().mutex);
  ASSERT_EQ(h().decisions.size(), 1u);
  EXPECT_EQ(h().decisions[0].decision, pr::Decision::waive);
  EXPECT_EQ(h().decisions[0].reason, "accepted for the beta");
  EXPECT_EQ(h().decisions[0].actor.rfind("human:", 0), 0u);  // the server filled it in
}

TEST_F(DaemonCommands, StatusShowsTheSessionAndEscalation) {
  auto r = gavel({"status"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "s-3 ESCALATED, round 8 of 8")) << r.out;
  EXPECT_TRUE(has(r.out, "gavel arbitrate")) << r.out;
  EXPECT_TRUE(has(r.out, "1 open finding")) << r.out;
  r = gavel({"status", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["escalated"], true);
  EXPECT_EQ(j["session"]["round"], 8);
  EXPECT_EQ(j["watched"], true);
  EXPECT_EQ(j["daemon"]["version"], "scripted");
}

TEST_F(DaemonCommands, NoDaemonWithNoStartIsExit69) {
  const std::string nobody = (m_repo.root() / "nobody.sock").string();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"status", "--no-start"}, {"findings", "--no-start"}, {"show", "f-1", "--no-start"},
           {"decide", "f-1", "uphold", "--no-start"}, {"watch", "list", "--no-start"},
           {"daemon", "status"}, {"daemon", "stop"}}) {
    const auto r = gavel(args, nobody);
    EXPECT_EQ(r.status, 69) << args[0] << ": " << r.err;
    EXPECT_TRUE(has(r.err, "no daemon")) << r.err;
  }
}

TEST_F(DaemonCommands, ReviewWithoutOnceAsksTheDaemonToStartASession) {
  std::ofstream(m_repo.root() / "intent.txt") << "Add retries";
  auto r = gavel({"review", "--staged", "--intent", (m_repo.root() / "intent.txt").string(),
                  "--reviewer", "codex"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "review started: s-new (follow it with `gavel status`)\n");
  {
    std::lock_guard l(h().mutex);
    ASSERT_EQ(h().starts.size(), 1U);
    EXPECT_EQ(h().starts[0].repo, m_repo.path().string());
    EXPECT_EQ(h().starts[0].scope, pr::DiffScope::staged);
    EXPECT_EQ(h().starts[0].intent, "Add retries");
    EXPECT_EQ(h().starts[0].reviewer, "codex");
  }
  // Options only a foreground loop has are refused before anything is sent.
  EXPECT_EQ(gavel({"review", "--apply", "auto"}).status, 64);
  std::lock_guard l(h().mutex);
  EXPECT_EQ(h().starts.size(), 1U);
}

TEST_F(DaemonCommands, WatchAddListRemove) {
  {
    std::lock_guard l(h().mutex);
    h().repos.clear();
  }
  std::filesystem::create_directories(m_repo.path() / "src");
  auto r = gavel({"watch", "add", (m_repo.path() / "src").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "watching " + m_repo.path().string() + "\n");
  r = gavel({"watch", "list", "--json"});
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(nlohmann::json::parse(r.out)["repos"][0]["session"], "s-3");
  ASSERT_EQ(gavel({"watch", "remove"}).status, 0);
  std::lock_guard l(h().mutex);
  EXPECT_TRUE(h().repos.empty());
}

TEST_F(DaemonCommands, DaemonStatusAndStop) {
  auto r = gavel({"daemon", "status", "--json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["pid"], 4242);
  r = gavel({"daemon", "stop"});
  EXPECT_EQ(r.status, 0) << r.err;
  std::lock_guard l(h().mutex);
  EXPECT_TRUE(h().shutdown_asked);
}

TEST_F(DaemonCommands, ExportsSarifAndMarkdown) {
  auto r = gavel({"export", "--format", "sarif"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "2.1.0");
  EXPECT_EQ(j["runs"][0]["results"].size(), 2u);
  r = gavel({"export", "--format", "md"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Unchecked recv")) << r.out;
  EXPECT_EQ(gavel({"export", "--format", "xml"}).status, 64);
}

TEST_F(DaemonCommands, ArbitrateShowsBothSidesAndDecides) {
  const auto r = shell("printf 'x\\nd\\n\\nintended: see ADR-7\\n' | \"$GAVEL\" arbitrate");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "escalation 1 of 1")) << r.out;
  EXPECT_TRUE(has(r.out, "Body of Unchecked recv")) << r.out;          // the reviewer's side
  EXPECT_TRUE(has(r.out, "recv_all loops until done")) << r.out;       // the implementer's side
  EXPECT_TRUE(has(r.out, "4 > int recv_all();")) << r.out;             // the code in context
  EXPECT_TRUE(has(r.out, "1 decided, 0 left")) << r.out;
  std::lock_guard l(h().mutex);
  ASSERT_EQ(h().decisions.size(), 1u);
  EXPECT_EQ(h().decisions[0].decision, pr::Decision::dismiss);
  EXPECT_EQ(h().decisions[0].reason, "intended: see ADR-7");
}

}  // namespace
}  // namespace gavel::cli
