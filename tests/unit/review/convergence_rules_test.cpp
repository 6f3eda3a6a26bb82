// Each loop rule as a table of cases (review/convergence_rules.hpp).
#include "review/convergence_rules.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

Finding make(const std::string& id, Priority p, FindingState s, bool adjacent = false) {
  Finding f;
  f.id = id;
  f.raised.priority = p;
  f.state = s;
  f.adjacent = adjacent;
  return f;
}

TEST(ConvergenceRules, ReviewerStallTable) {
  struct Case {
    ReviewFacts facts;
    bool stall;
  } cases[] = {
      {{true, false, false, false, false}, true},
      {{false, false, false, false, false}, false},  // first review of a cycle
      {{true, true, false, false, false}, false},    // raised something new
      {{true, false, true, false, false}, false},    // a verdict changed
      {{true, false, false, true, false}, false},    // answered a dispute
      {{true, false, false, false, true}, false},    // blocking code changed
  };
  for (const auto& c : cases) EXPECT_EQ(reviewer_stall(c.facts), c.stall);
}

TEST(ConvergenceRules, OscillationTable) {
  std::vector<std::string> seen{"a", "b", "c"};
  struct Case {
    const char* before;
    const char* after;
    bool osc;
  } cases[] = {{"c", "a", true}, {"c", "b", true}, {"c", "c", false}, {"c", "d", false}};
  for (const auto& c : cases) EXPECT_EQ(oscillation(seen, c.before, c.after), c.osc) << c.after;
}

TEST(ConvergenceRules, ImplementerStallTable) {
  LoopPolicy policy;
  struct Case {
    FindingState state;
    Priority p;
    const char* after;
    bool stall;
  } cases[] = {
      {FindingState::open, Priority::p1, "s", true},
      {FindingState::fixed, Priority::p1, "s", true},     // "fixed" without a change
      {FindingState::upheld, Priority::p0, "s", true},
      {FindingState::disputed, Priority::p1, "s", false},  // disputes are answered by review
      {FindingState::open, Priority::p2, "s", false},      // nothing blocking
      {FindingState::open, Priority::p1, "t", false},      // the tree changed
  };
  for (const auto& c : cases) {
    EXPECT_EQ(implementer_stall({make("F1", c.p, c.state)}, policy, "s", c.after), c.stall)
        << static_cast<int>(c.state);
  }
}

TEST(ConvergenceRules, ConvergedTable) {
  LoopPolicy policy;
  struct Case {
    std::vector<Finding> findings;
    bool converged;
  } cases[] = {
      {{}, true},
      {{make("F1", Priority::p2, FindingState::open)}, true},
      {{make("F1", Priority::p3, FindingState::open)}, true},
      {{make("F1", Priority::p0, FindingState::open, true)}, true},  // adjacent
      {{make("F1", Priority::p1, FindingState::verified)}, true},
      {{make("F1", Priority::p1, FindingState::open)}, false},
      {{make("F1", Priority::p1, FindingState::disputed)}, false},
      {{make("F1", Priority::p0, FindingState::insisted)}, false},
      {{make("F1", Priority::p1, FindingState::fixed)}, false},  // not yet reviewed
  };
  for (const auto& c : cases) EXPECT_EQ(converged(c.findings, policy), c.converged);
  Finding dismissed = make("F1", Priority::p1, FindingState::dismissed);
  dismissed.trace_requested = true;
  EXPECT_FALSE(converged({dismissed}, policy));  // its trace is still owed
}

TEST(ConvergenceRules, DisputeDeadlockTable) {
  LoopPolicy policy;
  Finding f = make("F1", Priority::p1, FindingState::insisted);
  f.insists = 1;
  EXPECT_TRUE(dispute_deadlock({f}, policy).empty());
  f.insists = 2;
  EXPECT_EQ(dispute_deadlock({f}, policy), std::vector<std::string>{"F1"});
  f.raised.priority = Priority::p2;
  EXPECT_TRUE(dispute_deadlock({f}, policy).empty());
  policy.insist_limit = 3;
  f.raised.priority = Priority::p0;
  EXPECT_TRUE(dispute_deadlock({f}, policy).empty());
}

TEST(ConvergenceRules, RoomForFixTable) {
  LoopPolicy policy;  // 8 turns
  EXPECT_TRUE(room_for_fix(1, policy));
  EXPECT_TRUE(room_for_fix(5, policy));
  EXPECT_TRUE(room_for_fix(6, policy));
  EXPECT_FALSE(room_for_fix(7, policy));
}

TEST(ConvergenceRules, BudgetTable) {
  LoopPolicy policy;
  policy.per_round = {100, 1.0, 1000};
  policy.per_session = {500, 5.0, 10000};
  struct Case {
    BudgetUse use;
    bool exhausted;
  } cases[] = {
      {{{99, 0.99}, {499, 4.99}, 999, 9999}, false},
      {{{100, 0}, {}, 0, 0}, true},
      {{{0, 1.0}, {}, 0, 0}, true},
      {{{}, {}, 1000, 0}, true},
      {{{}, {500, 0}, 0, 0}, true},
      {{{}, {0, 5.0}, 0, 0}, true},
      {{{}, {}, 0, 10000}, true},
  };
  for (const auto& c : cases) EXPECT_EQ(budget_exhausted(c.use, policy).has_value(), c.exhausted);
  EXPECT_FALSE(budget_exhausted({{1 << 30, 1e9}, {1 << 30, 1e9}, 1 << 30, 1 << 30}, LoopPolicy{})
                   .has_value());  // 0 is unlimited
}

TEST(ConvergenceRules, RetryDelayTable) {
  LoopPolicy policy;
  EXPECT_EQ(retry_delay(policy, 1, 0), 100);
  EXPECT_EQ(retry_delay(policy, 2, 0), 200);
  EXPECT_EQ(retry_delay(policy, 3, 0), 400);
  EXPECT_EQ(retry_delay(policy, 1, 3000), 3000);
  EXPECT_EQ(retry_delay(policy, 3, 50), 400);
  EXPECT_FALSE(retryable(FailureKind::auth));
  EXPECT_TRUE(retryable(FailureKind::malformed_output));
}

TEST(ConvergenceRules, TriageTable) {
  struct Case {
    Triage triage;
    Priority p;
    bool adjacent;
    bool waits;
  } cases[] = {
      {Triage::automatic, Priority::p0, false, false}, {Triage::human, Priority::p2, false, true},
      {Triage::human, Priority::p0, true, false},      {Triage::human_blocking, Priority::p1, false, true},
      {Triage::human_blocking, Priority::p2, false, false},
  };
  for (const auto& c : cases) {
    LoopPolicy policy;
    policy.triage = c.triage;
    EXPECT_EQ(needs_triage(c.p, c.adjacent, policy), c.waits);
  }
}

TEST(ConvergenceRules, WorklistsTable) {
  Finding trace = make("F5", Priority::p1, FindingState::dismissed);
  trace.trace_requested = true;
  Finding waiting = make("F6", Priority::p1, FindingState::open);
  waiting.awaiting_human = true;
  std::vector<Finding> all{make("F1", Priority::p1, FindingState::open),
                           make("F2", Priority::p1, FindingState::disputed),
                           make("F3", Priority::p1, FindingState::verified),
                           make("F4", Priority::p1, FindingState::open, true), trace, waiting};
  auto ids = [](const std::vector<Finding>& v) {
    std::vector<std::string> out;
    for (const auto& f : v) out.push_back(f.id);
    return out;
  };
  EXPECT_EQ(ids(implementer_worklist(all)), (std::vector<std::string>{"F1", "F5"}));
  EXPECT_EQ(ids(reviewer_worklist(all)), (std::vector<std::string>{"F1", "F2", "F4", "F6"}));
}

}  // namespace
}  // namespace gavel::review
