// The loop's rules, each as a scripted scenario: convergence, each deadlock, adjacency, staleness.
#include "review/convergence.hpp"

#include "convergence_harness.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;
using K = PriorVerdict::Kind;
using A = FindingResponse::Action;

const std::string k_base = lines(30);
Changeset s1() { return snapshot("s1", {file("src/a.c", k_base)}); }
// Line 10 (the finding's anchor) rewritten: a real fix.
Changeset s2() { return snapshot("s2", {file("src/a.c", replace_line(k_base, 10, "fixed();"))}); }
// Only line 25 changed: an edit elsewhere.
Changeset s_elsewhere() {
  return snapshot("s3", {file("src/a.c", replace_line(k_base, 25, "// comment"))});
}
RaisedFinding bug(int line = 10, Priority p = Priority::p1) {
  return raised("src/a.c", line, "Null dereference of ptr", p, "ptr may be null here");
}

TEST(Convergence, FirstSnapshotStartsReviewer) {
  Harness h;
  h.change(s1());
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::reviewer);
  EXPECT_EQ(h.started()->round, 1);
  EXPECT_EQ(h.started()->snapshot, "s1");
  EXPECT_EQ(h.verdict(), Verdict::in_progress);
}

TEST(Convergence, NothingBlockingConvergesWithoutImplementerTurn) {
  Harness h;
  h.change(s1());
  h.review({bug(10, Priority::p2), bug(20, Priority::p3)});
  EXPECT_EQ(h.verdict(), Verdict::converged);
  EXPECT_EQ(h.started(), nullptr);
  auto* v = find_action<PublishVerdict>(h.last);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->verdict, Verdict::converged);
  EXPECT_EQ(h.machine.state().findings.size(), 2u);
  EXPECT_EQ(h.machine.state().reviewed_snapshot, "s1");
}

TEST(Convergence, FixThenSilentReviewConverges) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
  ASSERT_EQ(h.started()->inputs.findings.size(), 1u);
  EXPECT_EQ(h.started()->inputs.findings[0].id, "F1");
  h.implement({response("F1", A::fixed)}, s2());
  EXPECT_EQ(h.finding("F1").state, FindingState::fixed);
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::reviewer);
  EXPECT_EQ(h.started()->round, 3);
  h.review({});
  EXPECT_EQ(h.finding("F1").state, FindingState::verified);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, VerdictByTitleResolves) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("Null dereference of ptr", A::fixed)}, s2());
  EXPECT_EQ(h.finding("F1").state, FindingState::fixed);
  PriorVerdict v;
  v.title = "[P1] null dereference of PTR";
  v.verdict = K::resolved;
  h.review({}, {v});
  EXPECT_EQ(h.finding("F1").state, FindingState::verified);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, FixNotAcceptedReopensAndContinues) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({}, {verdict("F1", K::still_open, "still null on the error path")});
  EXPECT_EQ(h.finding("F1").state, FindingState::reopened);
  EXPECT_EQ(h.finding("F1").reviewer_note, "still null on the error path");
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
  ASSERT_EQ(h.started()->inputs.verdicts.size(), 1u);
}

TEST(Convergence, RewordedRepeatIsRecurringNotNew) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({raised("src/a.c", 10, "ptr can be NULL", Priority::p0)});
  ASSERT_EQ(h.machine.state().findings.size(), 1u);
  const Finding& f = h.finding("F1");
  EXPECT_EQ(f.state, FindingState::reopened);
  EXPECT_EQ(f.raised.priority, Priority::p0);
  EXPECT_EQ(f.titles.size(), 2u);
  EXPECT_EQ(h.machine.state().rounds.back().progress.recurring, 1);
  EXPECT_EQ(h.machine.state().rounds.back().progress.new_findings, 0);
}

TEST(Convergence, DisputeInsistedTwiceEscalates) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::disputed, "ptr is checked by the caller")}, s1());
  EXPECT_EQ(h.finding("F1").state, FindingState::disputed);
  ASSERT_NE(h.started(), nullptr);  // answering a dispute is never a stall
  EXPECT_EQ(h.started()->role, Role::reviewer);
  EXPECT_EQ(h.started()->inputs.responses.size(), 1u);
  h.review({bug()});
  EXPECT_EQ(h.finding("F1").state, FindingState::insisted);
  EXPECT_EQ(h.finding("F1").insists, 1);
  h.implement({response("F1", A::disputed)}, s1());
  h.review({}, {verdict("F1", K::still_open)});
  EXPECT_EQ(h.verdict(), Verdict::escalated);
  EXPECT_EQ(h.escalation(), EscalationReason::dispute);
  EXPECT_EQ(h.finding("F1").state, FindingState::escalated);
  auto* esc = find_action<Escalate>(h.last);
  ASSERT_NE(esc, nullptr);
  EXPECT_EQ(esc->finding_ids, std::vector<std::string>{"F1"});
  EXPECT_NE(find_action<Notify>(h.last), nullptr);
}

TEST(Convergence, InsistAtNonBlockingPriorityDoesNotEscalate) {
  Harness h;
  h.change(s1());
  h.review({bug(), bug(20)});
  h.implement({response("F1", A::disputed), response("F2", A::fixed)},
              snapshot("s4", {file("src/a.c", replace_line(k_base, 20, "ok();"))}));
  h.review({bug(10, Priority::p2)});  // kept, but now P2: an insist that blocks nothing
  EXPECT_EQ(h.finding("F1").state, FindingState::insisted);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, WithdrawalClosesDispute) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::disputed)}, s1());
  h.review({}, {verdict("F1", K::withdrawn, "right, the caller checks")});
  EXPECT_EQ(h.finding("F1").state, FindingState::withdrawn);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, SilentDisputeIsWithdrawn) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::disputed)}, s1());
  h.review({});
  EXPECT_EQ(h.finding("F1").state, FindingState::withdrawn);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, OscillationEscalatesAtOnce) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({bug(20)});  // F1 verified (its code changed), a new blocking one
  ASSERT_EQ(h.started()->role, Role::implementer);
  h.implement({response("F2", A::fixed)}, s1());  // back to the first tree
  EXPECT_EQ(h.verdict(), Verdict::escalated);
  EXPECT_EQ(h.escalation(), EscalationReason::oscillation);
  EXPECT_EQ(h.started(), nullptr);
}

TEST(Convergence, ImplementerChangingNothingStalls) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed, "done")}, s1());
  EXPECT_EQ(h.verdict(), Verdict::escalated);
  EXPECT_EQ(h.escalation(), EscalationReason::stall);
}

TEST(Convergence, EditsElsewhereAreNotProgress) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s_elsewhere());
  ASSERT_EQ(h.started()->role, Role::reviewer);
  h.review({bug()});  // same finding, same code: nothing new, no verdict changed
  EXPECT_EQ(h.verdict(), Verdict::escalated);
  EXPECT_EQ(h.escalation(), EscalationReason::stall);
}

TEST(Convergence, RoundLimitEscalates) {
  LoopPolicy policy;
  policy.round_limit = 4;
  Harness h(policy);
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({bug(20)});  // round 3: no room for a fix and its review
  EXPECT_EQ(h.verdict(), Verdict::escalated);
  EXPECT_EQ(h.escalation(), EscalationReason::round_limit);
  EXPECT_LE(h.machine.state().round, 4);
}

TEST(Convergence, AdjacentAndRejectedNeverBlock) {
  Harness h;
  h.change(s1());
  RejectedFinding rejected{raised("../etc/passwd", 1, "Escape", Priority::p0), "outside"};
  h.review({}, {}, {bug(28, Priority::p0)}, {rejected});
  EXPECT_EQ(h.verdict(), Verdict::converged);
  ASSERT_EQ(h.machine.state().findings.size(), 1u);
  EXPECT_TRUE(h.finding("F1").adjacent);
  EXPECT_EQ(h.machine.state().rounds.back().rejected.size(), 1u);
  EXPECT_EQ(h.machine.state().rounds.back().progress.rejected, 1);
}

TEST(Convergence, ImplementerDisabledEndsBlocked) {
  LoopPolicy policy;
  policy.implementer = ImplementerMode::disabled;
  Harness h(policy);
  h.change(s1());
  h.review({bug()});
  EXPECT_EQ(h.verdict(), Verdict::blocked);
  EXPECT_EQ(h.started(), nullptr);
}

TEST(Convergence, NewSnapshotCancelsRunningAgentAndIgnoresItsResult) {
  Harness h;
  h.change(s1());
  std::uint64_t old_run = h.run_id();
  h.change(s2());
  auto* cancel = find_action<CancelAgent>(h.last);
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->run_id, old_run);
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->snapshot, "s2");
  EXPECT_EQ(h.machine.state().cycle, 2);
  ReviewerReported stale;
  stale.now_ms = h.now + 1;
  stale.run_id = old_run;
  stale.checked.in_diff = {bug()};
  EXPECT_TRUE(h.machine.on_event(stale).empty());
  EXPECT_TRUE(h.machine.state().findings.empty());
}

TEST(Convergence, SameSnapshotAgainIsIgnored) {
  Harness h;
  h.change(s1());
  EXPECT_TRUE(h.change(s1()).empty());
}

TEST(Convergence, EmptyChangeConvergesWithoutAgents) {
  Harness h;
  h.change(snapshot("empty", {}));
  EXPECT_EQ(h.verdict(), Verdict::converged);
  EXPECT_EQ(h.started(), nullptr);
}

TEST(Convergence, ReopenWithoutNewEvidenceIsRejected) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({}, {verdict("F1", K::resolved)});
  ASSERT_EQ(h.verdict(), Verdict::converged);
  // The developer edits elsewhere; the reviewer raises F1 again on the code it verified.
  h.change(snapshot("s5", {file("src/a.c", replace_line(replace_line(k_base, 10, "fixed();"), 25,
                                                        "// more"))}));
  h.review({raised("src/a.c", 10, "Null dereference of ptr", Priority::p1)});
  EXPECT_EQ(h.finding("F1").state, FindingState::verified);
  EXPECT_EQ(h.machine.state().rounds.back().progress.reopen_rejected, 1);
  EXPECT_NE(h.finding("F1").reviewer_note.find("no new evidence"), std::string::npos);
  EXPECT_EQ(h.verdict(), Verdict::converged);
}

TEST(Convergence, ReopenWithChangedAnchorIsAccepted) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({response("F1", A::fixed)}, s2());
  h.review({}, {verdict("F1", K::resolved)});
  h.change(snapshot("s6", {file("src/a.c", replace_line(k_base, 10, "fixed_badly();"))}));
  h.review({bug()});
  EXPECT_EQ(h.finding("F1").state, FindingState::reopened);
  ASSERT_NE(h.started(), nullptr);
  EXPECT_EQ(h.started()->role, Role::implementer);
}

TEST(Convergence, FindingFollowsInsertedLines) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  h.implement({}, snapshot("s7", {file("src/a.c", "// header\n// more\n" + k_base)}));
  EXPECT_EQ(h.finding("F1").raised.location.lines.start, 12);
  EXPECT_EQ(h.finding("F1").current_anchor, "stmt_10();");
}

TEST(Convergence, PersistNamesWhatChanged) {
  Harness h;
  h.change(s1());
  h.review({bug()});
  auto* p = find_action<Persist>(h.last);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->findings, std::vector<std::string>{"F1"});
  ASSERT_TRUE(p->round.has_value());
  EXPECT_EQ(p->round->role, Role::reviewer);
  EXPECT_EQ(p->round->progress.new_findings, 1);
}

}  // namespace
}  // namespace gavel::review
