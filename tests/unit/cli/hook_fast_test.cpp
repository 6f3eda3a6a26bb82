// The fast hook client end to end: `gavel hook install` writes scripts calling `gavel-hook`
// (built next to `gavel`), real `git commit` runs, and a scripted daemon whose index-form
// gate.check and note.attach run the daemon's own code (daemon/staged_gate.hpp). Proves the
// fast path passes in one round trip, that everything else goes through `gavel hook run`
// unchanged, that `git commit -a` is judged on git's temporary index, and that the note is
// attached by the daemon (docs/cli.md "gavel hook").
#include "tests/unit/cli/hook_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace gavel::cli {
namespace {

using testing::finding;
using testing::has;
namespace pr = protocol;
using review::FindingState;
using review::Priority;

class FastHook : public testing::HookFixture {
 protected:
  void SetUp() override {
    HookFixture::SetUp();
    install();
  }
  static pr::GateCheckResponse block() {
    return {pr::GateStatus::block, "s-1",
            {finding("f-77", Priority::p1, FindingState::open, "cart.py", 5, "Count ignores None")},
            std::nullopt, "1 blocking finding"};
  }
};

TEST_F(FastHook, InstalledScriptsCallTheFastClientWithTheFullGateAsFallback) {
  const std::string pre = m_repo.read(".git/hooks/pre-commit");
  EXPECT_TRUE(has(pre, "/cli/gavel-hook'\n")) << pre;
  EXPECT_TRUE(has(pre, "exec \"$fast\" pre-commit")) << pre;
  EXPECT_TRUE(has(pre, "exec \"$gavel\" hook run")) << pre;
  const std::string post = m_repo.read(".git/hooks/post-commit");
  EXPECT_TRUE(has(post, "exec \"$fast\" post-commit")) << post;
  EXPECT_TRUE(has(post, "\"$gavel\" hook post-commit")) << post;
}

TEST_F(FastHook, PassIsOneIndexFormRoundTripJudgedOnTheStagedFingerprint) {
  stage_change();
  const std::string fp = staged_fingerprint();
  const std::string before = head();
  script({pass()});
  const auto r = commit();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(head(), before);
  EXPECT_EQ(r.err, "gavel: pass (s-1: converged)\n");  // what `gavel hook run` prints
  std::lock_guard l(m_daemon.handler().mutex);
  const auto& h = m_daemon.handler();
  ASSERT_EQ(h.index_requests.size(), 1u);
  EXPECT_EQ(h.index_requests[0].repo, m_repo.path().string());
  EXPECT_EQ(std::filesystem::path(h.index_requests[0].index_file),
            std::filesystem::canonical(m_repo.path() / ".git" / "index"));
  ASSERT_EQ(h.gate_requests.size(), 1u);  // the daemon's judgement only: no `gavel hook run`
  EXPECT_EQ(h.gate_requests[0].fingerprint, fp);
}

// The daemon keeps its reader open between checks: each commit is still judged on its own HEAD
// and index, never on what the previous check saw.
TEST_F(FastHook, ConsecutiveCommitsAreEachJudgedOnTheirOwnStagedChange) {
  std::vector<std::string> expected;
  script({pass()});
  for (const char* text : {"x = 1\n", "x = 2\n", "x = 3\n"}) {
    m_repo.write("cart.py", text);
    m_repo.git({"add", "cart.py"});
    expected.push_back(staged_fingerprint());
    const auto r = commit();
    ASSERT_EQ(r.status, 0) << r.err;
  }
  std::lock_guard l(m_daemon.handler().mutex);
  std::vector<std::string> judged;
  for (const auto& g : m_daemon.handler().gate_requests) judged.push_back(g.fingerprint);
  EXPECT_EQ(judged, expected);
  EXPECT_EQ(m_daemon.handler().index_requests.size(), 3u);
}

TEST_F(FastHook, BlockFallsBackToTheFullGateAndSaysTheSame) {
  stage_change();
  const std::string before = head();
  script({block()});
  const auto r = commit();
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(head(), before);
  const auto direct = gavel({"hook", "run"});
  EXPECT_EQ(direct.status, 1) << direct.err;
  EXPECT_EQ(r.err, direct.err);  // the same words as `gavel hook run` alone
  EXPECT_TRUE(has(r.err, "gavel: commit blocked: 1 blocking finding")) << r.err;
  EXPECT_TRUE(has(r.err, "P1 cart.py:5 'Count ignores None'")) << r.err;
  std::lock_guard l(m_daemon.handler().mutex);
  EXPECT_EQ(m_daemon.handler().index_requests.size(), 1u);
  EXPECT_EQ(m_daemon.handler().gate_requests.size(), 3u);  // fast, its fallback, the direct run
}

TEST_F(FastHook, CommitAllIsJudgedOnGitsTemporaryIndex) {
  m_repo.write("cart.py", "def total(items):\n    return sum(items) or 0\n");  // not staged
  script({pass()});
  const auto r = commit({"-a", "-m", "all"});
  ASSERT_EQ(r.status, 0) << r.err;
  m_repo.git({"reset", "-q", "--soft", "HEAD~1"});
  const std::string expected = staged_fingerprint();
  std::lock_guard l(m_daemon.handler().mutex);
  const auto& h = m_daemon.handler();
  ASSERT_EQ(h.index_requests.size(), 1u);
  EXPECT_NE(std::filesystem::path(h.index_requests[0].index_file).filename(), "index");
  ASSERT_EQ(h.gate_requests.size(), 1u);
  EXPECT_EQ(h.gate_requests[0].fingerprint, expected);
}

TEST_F(FastHook, PostCommitNoteIsAttachedByTheDaemonAndLogShowsIt) {
  stage_change();
  {
    std::lock_guard l(m_daemon.handler().mutex);
    auto& h = m_daemon.handler();
    auto f = finding("f-5", Priority::p1, FindingState::dismissed, "cart.py", 5, "Looks unused");
    h.sessions["s-1"] = {testing::session("s-1", m_repo.path().string(),
                                          pr::SessionState::converged, 3),
                         {pr::RoundSummary{1, "codex", "reviewer", 1, 5, 1200, "1 finding"}},
                         {f}};
    h.shown["f-5"] = {f, {f.title}, {pr::HistoryEntry{FindingState::open, FindingState::dismissed,
                                                     "human:ann", 7, "used by the CLI"}}, {}};
  }
  script({pass()});
  ASSERT_EQ(commit().status, 0);
  {
    std::lock_guard l(m_daemon.handler().mutex);
    EXPECT_EQ(m_daemon.handler().gate_requests.size(), 1u);  // no `gavel hook run`
    EXPECT_EQ(m_daemon.handler().note_requests.size(), 1u);
  }
  const auto j = nlohmann::json::parse(m_repo.git({"notes", "--ref=refs/notes/gavel", "show", "HEAD"}));
  EXPECT_EQ(j["session"], "s-1");
  EXPECT_EQ(j["fingerprint"].get<std::string>().empty(), false);
  EXPECT_EQ(j["findings"][0]["history"][0]["reason"], "used by the CLI");
  const auto r = gavel({"log"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "dismissed by human:ann: used by the CLI")) << r.out;
}

TEST_F(FastHook, WithoutADaemonTheFullGatesPolicyDecides) {
  stage_change();
  const std::string before = head();
  const std::string nowhere = "GAVEL_SOCKET=" + (m_repo.root() / "nobody.sock").string();
  auto run = [&](const std::string& policy) {
    std::vector<std::string> e = m_repo.env();
    e.insert(e.end(), {nowhere, "GAVEL_GATE_NO_DAEMON=" + policy});
    return test::run_process({"git", "commit", "-q", "-m", "x"}, m_repo.path(), e);
  };
  auto r = run("fail");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(has(r.err, "no daemon is running")) << r.err;
  EXPECT_EQ(head(), before);
  r = run("warn");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "NOT reviewed")) << r.err;
  EXPECT_NE(head(), before);
}

}  // namespace
}  // namespace gavel::cli
