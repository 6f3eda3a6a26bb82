// A machine built from a prior session state (a daemon restart, or the suppressions earlier
// sessions left): findings, decisions and suppressions carry over; the verdict, rounds and
// snapshot do not, so the first snapshot starts a reviewer turn that knows the old findings.
#include "review/convergence.hpp"

#include "convergence_harness.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;
using A = FindingResponse::Action;

const std::string k_base = lines(30);
Changeset s1() { return snapshot("s1", {file("src/a.c", k_base)}); }
RaisedFinding bug(int line = 10) {
  return raised("src/a.c", line, "Null dereference of ptr", Priority::p1, "ptr may be null here");
}

// The state a first machine reached: F1 upheld by a human, the implementer running.
SessionState interrupted_state() {
  LoopPolicy policy;
  policy.triage = Triage::human;
  Harness h(policy);
  h.change(s1());
  h.review({bug()});
  h.decide("F1", Decision::uphold, "real");
  EXPECT_EQ(h.started()->role, Role::implementer);
  return h.machine.state();
}

TEST(ConvergenceRestore, FindingsAndDecisionsCarryOverAndTheReviewerRunsAgain) {
  SessionState prior = interrupted_state();
  prior.intent = "the story";
  IdSeed seed;
  seed.next_finding = 2;
  Convergence machine(LoopPolicy{}, seed, prior);
  EXPECT_EQ(machine.state().verdict, Verdict::in_progress);
  EXPECT_TRUE(machine.state().rounds.empty());
  ASSERT_EQ(machine.state().findings.size(), 1u);
  EXPECT_EQ(machine.state().findings[0].state, FindingState::upheld);
  ASSERT_EQ(machine.state().findings[0].history.size(), prior.findings[0].history.size());
  EXPECT_EQ(machine.state().findings[0].history.back().reason, "real");
  EXPECT_EQ(machine.state().intent, "the story");

  // The same snapshot as before the restart is reviewed again, with F1 as a prior finding.
  auto actions = machine.on_event(SnapshotChanged{5'000'000, s1()});
  const auto* start = find_action<StartAgent>(actions);
  ASSERT_NE(start, nullptr);
  EXPECT_EQ(start->role, Role::reviewer);
  ASSERT_EQ(start->inputs.findings.size(), 1u);
  EXPECT_EQ(start->inputs.findings[0].id, "F1");
}

TEST(ConvergenceRestore, ANewFindingTakesTheNextIdFromTheSeed) {
  IdSeed seed;
  seed.next_finding = 2;
  Harness h;
  h.machine = Convergence(LoopPolicy{}, seed, interrupted_state());
  h.change(s1());
  h.review({bug(), bug(20)});
  EXPECT_EQ(h.finding("F1").state, FindingState::upheld);  // matched, not a new one
  EXPECT_EQ(h.finding("F2").raised.location.lines.start, 20);
  EXPECT_EQ(h.machine.state().findings.size(), 2u);
}

TEST(ConvergenceRestore, ASuppressionFromAnEarlierSessionDropsTheRepeat) {
  Harness first;
  first.change(s1());
  first.review({bug()});
  first.decide("F1", Decision::dismiss, "ptr is checked by the caller");
  ASSERT_EQ(first.machine.state().suppressions.size(), 1u);

  SessionState prior;
  prior.suppressions = first.machine.state().suppressions;
  Harness next;
  next.machine = Convergence(LoopPolicy{}, IdSeed{}, prior);
  // The same code, shifted down two lines by an edit above it: still the dismissed code.
  next.change(snapshot("s2", {file("src/a.c", "new_1();\nnew_2();\n" + k_base)}));
  ASSERT_NE(next.started(), nullptr);
  EXPECT_EQ(next.started()->inputs.suppressions.size(), 1u);
  next.review({bug(12)});
  EXPECT_TRUE(next.machine.state().findings.empty());
  EXPECT_EQ(next.verdict(), Verdict::converged);
}

TEST(ConvergenceRestore, ASuppressionLapsesWhenItsCodeChanged) {
  Harness first;
  first.change(s1());
  first.review({bug()});
  first.decide("F1", Decision::dismiss, "ptr is checked by the caller");
  SessionState prior;
  prior.suppressions = first.machine.state().suppressions;
  Harness next;
  next.machine = Convergence(LoopPolicy{}, IdSeed{}, prior);
  next.change(snapshot("s2", {file("src/a.c", replace_line(k_base, 10, "ptr->x = 1;"))}));
  EXPECT_EQ(next.machine.state().suppressions[0].state, SuppressionState::lapsed);
  next.review({bug()});
  EXPECT_EQ(next.machine.state().findings.size(), 1u);
}

}  // namespace
}  // namespace gavel::review
