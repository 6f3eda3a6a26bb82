// Infrastructure failures, retries and budgets.
#include "review/convergence.hpp"

#include "convergence_harness.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;

const std::string k_base = lines(30);
Changeset s1() { return snapshot("s1", {file("src/a.c", k_base)}); }
RaisedFinding bug(int line = 10) {
  return raised("src/a.c", line, "Null dereference of ptr", Priority::p1);
}

TEST(ConvergenceFailure, RetriesWithBackoffThenInfraFailure) {
  Harness h;
  h.change(s1());
  const std::int64_t waits[] = {100, 200, 400};
  for (int attempt = 2; attempt <= 4; ++attempt) {
    h.fail(FailureKind::timeout);
    auto* s = h.started();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->attempt, attempt);
    EXPECT_EQ(s->round, 1);  // retried within the round
    EXPECT_EQ(s->role, Role::reviewer);
    EXPECT_EQ(s->not_before_ms, h.now + waits[attempt - 2]);
  }
  h.fail(FailureKind::timeout);
  EXPECT_EQ(h.verdict(), Verdict::infra_failure);
  EXPECT_EQ(h.started(), nullptr);
  EXPECT_EQ(h.machine.state().rounds.back().attempts, 4);
  EXPECT_EQ(h.machine.state().rounds.back().outcome, RoundRecord::Outcome::failed);
}

TEST(ConvergenceFailure, LongerRetryAfterWins) {
  Harness h;
  h.change(s1());
  h.fail(FailureKind::quota, 5000);
  EXPECT_EQ(h.started()->not_before_ms, h.now + 5000);
  h.fail(FailureKind::quota, 50);
  EXPECT_EQ(h.started()->not_before_ms, h.now + 200);
}

TEST(ConvergenceFailure, EveryKindButAuthIsRetried) {
  for (auto kind : {FailureKind::timeout, FailureKind::quota, FailureKind::refusal,
                    FailureKind::malformed_output, FailureKind::crash}) {
    Harness h;
    h.change(s1());
    h.fail(kind);
    ASSERT_NE(h.started(), nullptr) << to_string(kind);
    EXPECT_EQ(h.verdict(), Verdict::in_progress);
  }
  Harness h;
  h.change(s1());
  h.fail(FailureKind::auth);
  EXPECT_EQ(h.verdict(), Verdict::infra_failure);
}

TEST(ConvergenceFailure, MalformedOutputIsNeverAnEmptyReview) {
  Harness h;
  h.change(s1());
  for (int i = 0; i < 4; ++i) h.fail(FailureKind::malformed_output);
  EXPECT_EQ(h.verdict(), Verdict::infra_failure);
  EXPECT_NE(h.verdict(), Verdict::converged);
}

TEST(ConvergenceFailure, ImplementerFailureRetriesImplementer) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.fail(FailureKind::crash);
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
  EXPECT_EQ(h.started()->inputs.findings.size(), 1u);
}

TEST(ConvergenceFailure, StaleFailureIsIgnored) {
  Harness h;
  h.change(s1());
  auto old_run = h.run_id();
  h.fail(FailureKind::timeout);
  auto out = h.machine.on_event(AgentFailed{h.now, old_run, FailureKind::timeout, 1, 0, "", {}});
  EXPECT_TRUE(out.empty());
}

TEST(ConvergenceFailure, SessionTokenBudgetExhausts) {
  LoopPolicy policy;
  policy.per_session.tokens = 1000;
  Harness h(policy);
  h.change(s1());
  h.review({bug()}, {}, {}, {}, Usage{1200, 0.0});
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_EQ(h.started(), nullptr);
  // A new snapshot does not start another turn: the session budget is gone.
  h.change(snapshot("s2", {file("src/a.c", replace_line(k_base, 3, "x();"))}));
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_EQ(h.started(), nullptr);
}

TEST(ConvergenceFailure, DailyBudgetCountsWhatOtherSessionsUsedToday) {
  LoopPolicy policy;
  policy.per_day.tokens = 1000;
  policy.used_today.tokens = 900;
  Harness h(policy);
  h.change(s1());
  ASSERT_NE(h.started(), nullptr);
  h.review({bug()}, {}, {}, {}, Usage{150, 0.0});
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_NE(h.machine.state().verdict_summary.find("daily tokens 1050/1000"), std::string::npos)
      << h.machine.state().verdict_summary;
}

TEST(ConvergenceFailure, DailyBudgetUsedUpStartsNoTurn) {
  LoopPolicy policy;
  policy.per_day.cost_usd = 5.0;
  policy.used_today.cost_usd = 5.0;
  Harness h(policy);
  h.change(s1());
  EXPECT_EQ(h.started(), nullptr);
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
}

TEST(ConvergenceFailure, RoundCostBudgetExhaustsAfterImplementer) {
  LoopPolicy policy;
  policy.per_round.cost_usd = 0.50;
  Harness h(policy);
  h.change(s1());
  h.review({bug()}, {}, {}, {}, Usage{10, 0.10});
  h.implement({}, snapshot("s2", {file("src/a.c", replace_line(k_base, 10, "x();"))}),
              Usage{10, 0.75});
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_EQ(h.machine.state().usage.tokens, 20);
}

TEST(ConvergenceFailure, CleanReviewThatUsedTheBudgetUpIsExhaustedNotConverged) {
  // DESIGN.md: a budget hit ends the loop as "exhausted", never as "approved".
  LoopPolicy policy;
  policy.per_session.tokens = 100;
  Harness h(policy);
  h.change(s1());
  h.review({}, {}, {}, {}, Usage{500, 0});
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
}

TEST(ConvergenceFailure, CleanReviewWithinBudgetConverges) {
  LoopPolicy policy;
  policy.per_session.tokens = 1000;
  Harness h(policy);
  h.change(s1());
  h.review({}, {}, {}, {}, Usage{500, 0});
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(ConvergenceFailure, RoundWallClockCancelsOnTick) {
  LoopPolicy policy;
  policy.per_round.wall_ms = 60'000;
  Harness h(policy);
  h.change(s1());
  auto run = h.run_id();
  EXPECT_TRUE(h.tick(30'000).empty());
  h.tick(31'000);
  auto* c = find_action<CancelAgent>(h.last);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->run_id, run);
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_EQ(h.machine.state().rounds.back().outcome, RoundRecord::Outcome::cancelled);
}

TEST(ConvergenceFailure, SessionWallClockCountsFromFirstEvent) {
  LoopPolicy policy;
  policy.per_session.wall_ms = 100'000;
  Harness h(policy);
  h.change(s1());
  h.review({bug()});
  h.tick(99'000);
  EXPECT_EQ(h.verdict(), Verdict::in_progress);
  h.tick(2'000);
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
}

TEST(ConvergenceFailure, SessionWallClockExhaustionOutlivesNewSnapshots) {
  LoopPolicy policy;
  policy.per_session.wall_ms = 100'000;
  Harness h(policy);
  h.change(s1());
  h.tick(100'000);
  ASSERT_EQ(h.verdict(), Verdict::exhausted);
  h.change(snapshot("s2", {file("src/a.c", replace_line(k_base, 3, "x();"))}));
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
  EXPECT_EQ(h.started(), nullptr);
}

TEST(ConvergenceFailure, FailureUsageCountsTowardBudget) {
  LoopPolicy policy;
  policy.per_round.tokens = 100;
  Harness h(policy);
  h.change(s1());
  h.feed(AgentFailed{h.now + 1, h.run_id(), FailureKind::malformed_output, 1, 0, "junk",
                     Usage{150, 0}});
  EXPECT_EQ(h.verdict(), Verdict::exhausted);
}

}  // namespace
}  // namespace gavel::review
