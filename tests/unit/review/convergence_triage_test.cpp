// Triage policies, human decisions, suppressions in the loop, arbitration after escalation.
#include "review/convergence.hpp"

#include "convergence_harness.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;
using A = FindingResponse::Action;

const std::string k_base = lines(30);
Changeset s1() { return snapshot("s1", {file("src/a.c", k_base)}); }
RaisedFinding bug(int line = 10, Priority p = Priority::p1) {
  return raised("src/a.c", line, "Null dereference of ptr", p, "ptr may be null here");
}
LoopPolicy with_triage(Triage t) {
  LoopPolicy p;
  p.triage = t;
  return p;
}

TEST(ConvergenceTriage, HumanTriageWaitsWithoutTimeout) {
  Harness h(with_triage(Triage::human));
  h.change(s1());
  h.review({bug()});
  EXPECT_EQ(h.verdict(), Verdict::awaiting_human);
  EXPECT_EQ(h.started(), nullptr);
  auto* n = find_action<Notify>(h.last);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kind, Notify::Kind::awaiting_human);
  EXPECT_TRUE(h.finding("F1").awaiting_human);
  h.tick(24LL * 3600 * 1000);
  EXPECT_EQ(h.verdict(), Verdict::awaiting_human);
  h.decide("F1", Decision::uphold, "");
  EXPECT_EQ(h.finding("F1").state, FindingState::upheld);
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
  ASSERT_EQ(h.started()->inputs.findings.size(), 1u);
}

TEST(ConvergenceTriage, AutoTriageNeverWaits) {
  Harness h(with_triage(Triage::automatic));
  h.change(s1());
  h.review({bug()});
  EXPECT_EQ(h.started()->role, Role::implementer);
}

TEST(ConvergenceTriage, HumanBlockingTriagesOnlyBlocking) {
  Harness h(with_triage(Triage::human_blocking));
  h.change(s1());
  h.review({bug(10, Priority::p2), bug(20, Priority::p0)});
  EXPECT_FALSE(h.finding("F1").awaiting_human);
  EXPECT_TRUE(h.finding("F2").awaiting_human);
  EXPECT_EQ(h.verdict(), Verdict::awaiting_human);
  h.decide("F2", Decision::waive, "accepted risk for the demo");
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(ConvergenceTriage, WaitsForEveryPendingDecision) {
  Harness h(with_triage(Triage::human));
  h.change(s1());
  h.review({bug(10), bug(20)});
  h.decide("F1", Decision::uphold, "");
  EXPECT_EQ(h.verdict(), Verdict::awaiting_human);
  EXPECT_EQ(h.started(), nullptr);
  h.decide("F2", Decision::uphold, "");
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->inputs.findings.size(), 2u);
}

TEST(ConvergenceTriage, DismissalAsksForTraceThenSuppressesRepeat) {
  Harness h(with_triage(Triage::human));
  h.change(s1());
  h.review({bug()});
  h.decide("F1", Decision::dismiss, "ptr is never null: see init()");
  auto* p = find_action<Persist>(h.last);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->suppressions);
  ASSERT_EQ(h.machine.state().suppressions.size(), 1u);
  // The implementer must leave a durable trace.
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
  ASSERT_EQ(h.started()->inputs.findings.size(), 1u);
  EXPECT_TRUE(h.started()->inputs.findings[0].trace_requested);
  h.implement({}, snapshot("s2", {file("src/a.c", "// ptr is set in init()\n" + k_base)}));
  ASSERT_NE(h.started(), nullptr);
  ASSERT_EQ(h.started()->inputs.suppressions.size(), 1u);
  EXPECT_EQ(h.started()->inputs.suppressions[0].reason, "ptr is never null: see init()");
  // The reviewer raises it again, reworded, at its moved place: dropped.
  h.review({raised("src/a.c", 11, "ptr could be NULL", Priority::p1)});
  EXPECT_EQ(h.machine.state().findings.size(), 1u);
  EXPECT_EQ(h.machine.state().rounds.back().progress.suppressed, 1);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(ConvergenceTriage, SuppressionLapsesWhenCodeChanges) {
  Harness h(with_triage(Triage::human));
  h.change(s1());
  h.review({bug()});
  h.decide("F1", Decision::dismiss, "false positive");
  h.implement({}, snapshot("s2", {file("src/a.c", replace_line(k_base, 10, "ptr->x = 1;"))}));
  EXPECT_EQ(h.machine.state().suppressions[0].state, SuppressionState::lapsed);
  h.review({bug()});
  EXPECT_EQ(h.machine.state().findings.size(), 2u);
  EXPECT_EQ(h.finding("F2").state, FindingState::open);
  EXPECT_EQ(h.verdict(), Verdict::awaiting_human);
}

TEST(ConvergenceTriage, EscalationThenDismissalConverges) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::disputed)}, s1());
  h.review({bug()});
  h.implement({response("F1", A::disputed)}, s1());
  h.review({bug()});
  ASSERT_EQ(h.verdict(), Verdict::escalated);
  h.decide("F1", Decision::dismiss, "the caller guarantees ptr");
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(ConvergenceTriage, EscalationThenUpholdBlocks) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s1());
  ASSERT_EQ(h.escalation(), EscalationReason::stall);
  h.decide("F1", Decision::uphold, "it is real");
  EXPECT_EQ(h.verdict(), Verdict::blocked);
}

TEST(ConvergenceTriage, BadDecisionsAreRejected) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  auto* r = find_action<EventRejected>(h.decide("F9", Decision::uphold));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->error.code, Errc::not_found);
  r = find_action<EventRejected>(h.decide("F1", Decision::dismiss, ""));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->error.code, Errc::invalid_argument);
  EXPECT_EQ(h.finding("F1").state, FindingState::open);
}

TEST(ConvergenceTriage, UpheldCannotBeDisputed) {
  Harness h(with_triage(Triage::human));
  h.change(s1());
  h.review({bug()});
  h.decide("F1", Decision::uphold, "");
  h.implement({response("F1", A::disputed)}, s1());
  EXPECT_EQ(h.finding("F1").state, FindingState::upheld);
  EXPECT_EQ(h.escalation(), EscalationReason::stall);  // nothing changed, nothing disputed
}

}  // namespace
}  // namespace gavel::review
