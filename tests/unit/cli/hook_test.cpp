// The pre-commit gate end to end: `gavel hook install` in a real repository, real `git commit`
// runs calling the built `gavel hook run`, a scripted daemon (a real ControlServer on a real
// socket) answering gate.check. Exit codes and messages as docs/cli.md "gavel hook" documents.
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

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class Hook : public testing::HookFixture {
 protected:
  static pr::GateCheckResponse pending(int round, std::string agent) {
    return {pr::GateStatus::pending, "s-1", {}, pr::Progress{round, 8, std::move(agent), 1},
            "review in progress"};
  }
};

TEST_F(Hook, PassesOnAConvergedReviewAndAsksWithTheStagedFingerprint) {
  install();
  stage_change();
  const std::string fp = staged_fingerprint();
  const std::string before = head();
  script({pass()});
  const auto r = commit();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(head(), before);
  std::lock_guard l(m_daemon.handler().mutex);
  ASSERT_EQ(m_daemon.handler().gate_requests.size(), 1u);
  EXPECT_EQ(m_daemon.handler().gate_requests[0].fingerprint, fp);
  EXPECT_EQ(m_daemon.handler().gate_requests[0].repo, m_repo.path().string());
}

TEST_F(Hook, BlocksOnAnOpenP1AndSaysHowToDecideIt) {
  install();
  stage_change();
  const std::string before = head();
  script({{pr::GateStatus::block, "s-1",
           {finding("f-77", Priority::p1, FindingState::open, "cart.py", 5, "Count ignores None")},
           std::nullopt, "1 blocking finding"}});
  const auto r = commit();
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_EQ(head(), before);  // nothing committed
  EXPECT_TRUE(has(r.err, "commit blocked")) << r.err;
  EXPECT_TRUE(has(r.err, "P1 cart.py:5 'Count ignores None'")) << r.err;
  EXPECT_TRUE(has(r.err, "gavel decide f-77 uphold|dismiss|waive --reason")) << r.err;
  EXPECT_FALSE(has(r.err, "INFRASTRUCTURE")) << r.err;
}

// The daemon's message joins its reasons with "; ": the headline, then one line per blocking
// finding with the decide hint (review::gate_line). The hook prints each finding once.
TEST_F(Hook, BlockListsEachBlockingFindingOnceWithLocationAndDecideHint) {
  install();
  stage_change();
  const std::string hint = " uphold|dismiss|waive --reason ...`";
  script({{pr::GateStatus::block, "s-1",
           {finding("f-77", Priority::p1, FindingState::escalated, "cart.py", 5, "Count ignores None"),
            finding("f-78", Priority::p0, FindingState::insisted, "cart.py", 2, "Sum overflows")},
           std::nullopt,
           "escalated (dispute): 2 disputed finding(s) need arbitration — decide:; "
           "P1 cart.py:5 'Count ignores None' escalated — run `gavel decide f-77" + hint + "; "
           "P0 cart.py:2 'Sum overflows' insisted — run `gavel decide f-78" + hint}});
  const auto r = commit();
  EXPECT_EQ(r.status, 1) << r.err;
  const std::string expected =
      "gavel: commit blocked: escalated (dispute): 2 disputed finding(s) need arbitration — "
      "decide:\n"
      "  P1 cart.py:5 'Count ignores None' escalated — run `gavel decide f-77" + hint + "\n"
      "  P0 cart.py:2 'Sum overflows' insisted — run `gavel decide f-78" + hint + "\n"
      "gavel: bypass once with `git commit --no-verify`\n";
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  EXPECT_EQ(count(r.err, "gavel decide f-77"), 1u) << r.err;
  EXPECT_EQ(count(r.err, "gavel decide f-78"), 1u) << r.err;
}

// The installed hook's fast client (gavel-hook) asks first and takes the first answer; on
// anything but pass it hands over to `gavel hook run`, which asks again: a real daemon answers
// the same until the review moves on, so the script repeats the first answer.
TEST_F(Hook, PendingWaitsWithProgressThenDecides) {
  install();
  stage_change();
  script({pending(1, "codex"), pending(1, "codex"), pending(2, "claude"), pending(2, "claude"),
          pass()});
  const auto r = commit();
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.err, "round 1 of 8, codex working")) << r.err;
  EXPECT_TRUE(has(r.err, "round 2 of 8, claude working")) << r.err;
  std::lock_guard l(m_daemon.handler().mutex);
  EXPECT_EQ(m_daemon.handler().gate_requests.size(), 5u);  // the fast client's, then 4
}

TEST_F(Hook, StillPendingAtTheDeadlineBlocksSayingSo) {
  install();
  stage_change();
  script({pending(3, "codex")});
  const auto r = commit({"-m", "x"}, {"GAVEL_GATE_WAIT_MS=300"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(has(r.err, "still running")) << r.err;
}

TEST_F(Hook, NoSessionAsksTheDaemonToReviewTheStagedChangeAndWaits) {
  install();
  stage_change();
  const pr::GateCheckResponse none{pr::GateStatus::no_session, "", {}, std::nullopt, "no review"};
  script({none, none, pending(1, "codex"), pass()});  // the first for the fast client
  const auto r = commit();
  ASSERT_EQ(r.status, 0) << r.err;
  std::lock_guard l(m_daemon.handler().mutex);
  ASSERT_EQ(m_daemon.handler().starts.size(), 1u);
  EXPECT_EQ(m_daemon.handler().starts[0].scope, pr::DiffScope::staged);
  EXPECT_EQ(m_daemon.handler().starts[0].repo, m_repo.path().string());
}

TEST_F(Hook, CommitAllChecksTheTemporaryIndexGitPrepared) {
  install();
  // Not staged: `git commit -a` stages it into a temporary index ($GIT_INDEX_FILE).
  m_repo.write("cart.py", "def total(items):\n    return sum(items) or 0\n");
  script({pass()});
  const auto r = commit({"-a", "-m", "all"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string fp = staged_fingerprint();  // now empty: compare with a reconstruction
  m_repo.git({"reset", "-q", "--soft", "HEAD~1"});
  const std::string expected = staged_fingerprint();
  std::lock_guard l(m_daemon.handler().mutex);
  ASSERT_EQ(m_daemon.handler().gate_requests.size(), 1u);
  EXPECT_EQ(m_daemon.handler().gate_requests[0].fingerprint, expected);
  EXPECT_NE(expected, fp);
}

TEST_F(Hook, InfrastructureFailureIsNotABlockAndFollowsThePolicy) {
  install();
  stage_change();
  {
    std::lock_guard l(m_daemon.handler().mutex);
    m_daemon.handler().gate_error = Error{Errc::internal, "database is locked"};
  }
  const std::string before = head();
  auto r = commit({"-m", "x"}, {"GAVEL_GATE_INFRA_FAILURE=closed"});
  EXPECT_NE(r.status, 0) << r.err;  // git turns any hook failure into 1
  EXPECT_EQ(head(), before);
  EXPECT_TRUE(has(r.err, "INFRASTRUCTURE FAILURE (not a finding)")) << r.err;
  EXPECT_FALSE(has(r.err, "commit blocked")) << r.err;
  // The hook itself exits 3, never the policy block's 1.
  r = gavel({"hook", "run"}, {"GAVEL_GATE_INFRA_FAILURE=closed"});
  EXPECT_EQ(r.status, 3) << r.err;
  r = commit({"-m", "x"}, {"GAVEL_GATE_INFRA_FAILURE=open"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "infrastructure failure")) << r.err;
  EXPECT_NE(head(), before);
}

TEST_F(Hook, AReviewThatEndedInInfraFailureIsReportedAsSuch) {
  install();
  stage_change();
  {
    std::lock_guard l(m_daemon.handler().mutex);
    m_daemon.handler().sessions["s-9"] = {
        testing::session("s-9", m_repo.path().string(), pr::SessionState::infra_failure, 1), {}, {}};
  }
  script({{pr::GateStatus::block, "s-9", {}, std::nullopt, "the reviewer timed out"}});
  auto r = commit({"-m", "x"}, {"GAVEL_GATE_INFRA_FAILURE=closed"});
  EXPECT_NE(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "INFRASTRUCTURE FAILURE")) << r.err;
  r = gavel({"hook", "run"}, {"GAVEL_GATE_INFRA_FAILURE=closed"});
  EXPECT_EQ(r.status, 3) << r.err;
}

TEST_F(Hook, NoVerifyBypassesTheGate) {
  install();
  stage_change();
  script({{pr::GateStatus::block, "s-1",
           {finding("f-1", Priority::p0, FindingState::open, "cart.py", 1, "Secret")},
           std::nullopt, "1 blocking finding"}});
  const std::string before = head();
  const auto r = commit({"--no-verify", "-m", "x"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(head(), before);
  std::lock_guard l(m_daemon.handler().mutex);
  EXPECT_TRUE(m_daemon.handler().gate_requests.empty());
}

TEST_F(Hook, PostCommitAttachesTheReviewRecordAndLogShowsIt) {
  install();
  stage_change();
  {
    std::lock_guard l(m_daemon.handler().mutex);
    auto& h = m_daemon.handler();
    auto f = finding("f-5", Priority::p1, FindingState::dismissed, "cart.py", 5, "Looks unused");
    h.sessions["s-1"] = {testing::session("s-1", m_repo.path().string(),
                                          pr::SessionState::converged, 3),
                         {pr::RoundSummary{1, "codex", "reviewer", 1, 5, 1200, "1 finding"},
                          pr::RoundSummary{2, "claude", "implementer", 6, 5, 800, "disputed 1"}},
                         {f}};
    h.shown["f-5"] = {f, {f.title}, {pr::HistoryEntry{FindingState::open, FindingState::dismissed,
                                                     "human:ann", 7, "used by the CLI"}}, {}};
  }
  script({pass()});
  ASSERT_EQ(commit().status, 0);
  const auto note = m_repo.git({"notes", "--ref=refs/notes/gavel", "show", "HEAD"});
  const auto j = nlohmann::json::parse(note);
  EXPECT_EQ(j["session"], "s-1");
  EXPECT_EQ(j["verdict"], "converged");
  EXPECT_EQ(j["rounds"].size(), 2u);
  EXPECT_EQ(j["usage"]["tokens"], 2000);
  EXPECT_EQ(j["findings"][0]["history"][0]["reason"], "used by the CLI");

  auto r = gavel({"log"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "s-1")) << r.out;
  EXPECT_TRUE(has(r.out, "dismissed by human:ann: used by the CLI")) << r.out;
  r = gavel({"log", "--json", "HEAD"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["record"]["session"], "s-1");

  // A commit made with --no-verify gets no note, not the previous one.
  m_repo.write("cart.py", "x = 1\n");
  m_repo.git({"add", "cart.py"});
  ASSERT_EQ(commit({"--no-verify", "-m", "y"}).status, 0);
  EXPECT_EQ(gavel({"log"}).status, 1);
}

}  // namespace
}  // namespace gavel::cli
