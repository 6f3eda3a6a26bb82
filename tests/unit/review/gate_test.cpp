#include "review/gate.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

Finding blocking_finding(FindingState s = FindingState::open) {
  Finding f;
  f.id = "F3";
  f.raised.title = "Null dereference";
  f.raised.priority = Priority::p1;
  f.raised.location = {"src/a.c", {12, 12}, Side::new_side};
  f.state = s;
  return f;
}

SessionState session(Verdict v, std::vector<Finding> findings = {}) {
  SessionState s;
  s.current_snapshot = "abc";
  s.reviewed_snapshot = "abc";
  s.verdict = v;
  s.findings = std::move(findings);
  s.verdict_summary = "summary";
  return s;
}

struct GateCase {
  const char* name;
  std::string staged;
  SessionState state;
  GateAnswer answer;
};

TEST(Gate, AnswerTable) {
  SessionState running = session(Verdict::in_progress);
  SessionState moved_on = session(Verdict::converged);
  moved_on.reviewed_snapshot = "old";
  SessionState escalated = session(Verdict::escalated, {blocking_finding(FindingState::escalated)});
  escalated.escalation = EscalationReason::dispute;
  const GateCase cases[] = {
      {"ConvergedSameFingerprint", "abc", session(Verdict::converged), GateAnswer::pass},
      {"ConvergedOtherFingerprint", "abd", session(Verdict::converged), GateAnswer::block},
      {"ConvergedButReviewIsOfAnother", "abc", moved_on, GateAnswer::block},
      {"Running", "abc", running, GateAnswer::pending},
      {"RunningOnAnotherChange", "xyz", running, GateAnswer::block},
      {"Blocked", "abc", session(Verdict::blocked, {blocking_finding()}), GateAnswer::block},
      {"Escalated", "abc", escalated, GateAnswer::block},
      {"AwaitingHuman", "abc", session(Verdict::awaiting_human), GateAnswer::block},
      {"Exhausted", "abc", session(Verdict::exhausted), GateAnswer::block},
      {"InfraFailureClosed", "abc", session(Verdict::infra_failure), GateAnswer::block},
      {"ConvergedThenUpheld", "abc",
       session(Verdict::converged, {blocking_finding(FindingState::upheld)}), GateAnswer::block},
  };
  for (const auto& c : cases) {
    auto r = evaluate_gate(c.staged, &c.state, LoopPolicy{});
    EXPECT_EQ(r.answer, c.answer) << c.name;
    EXPECT_FALSE(r.reasons.empty()) << c.name;
  }
}

TEST(Gate, NoSessionBlocks) {
  auto r = evaluate_gate("abc", nullptr, LoopPolicy{});
  EXPECT_EQ(r.answer, GateAnswer::block);
  EXPECT_NE(r.reasons[0].find("gavel review"), std::string::npos);
}

TEST(Gate, InfraFailureMayFailOpen) {
  LoopPolicy policy;
  policy.infra_failure_gate = InfraFailureGate::fail_open;
  auto s = session(Verdict::infra_failure);
  auto r = evaluate_gate("abc", &s, policy);
  EXPECT_EQ(r.answer, GateAnswer::pass);
  EXPECT_NE(r.reasons[0].find("fail open"), std::string::npos);
  auto other = evaluate_gate("zzz", &s, policy);
  EXPECT_EQ(other.answer, GateAnswer::block);  // never for a change that was not reviewed
}

TEST(Gate, ReasonsSayWhatToDo) {
  auto s = session(Verdict::blocked, {blocking_finding()});
  auto r = evaluate_gate("abc", &s, LoopPolicy{});
  ASSERT_EQ(r.blocking, std::vector<std::string>{"F3"});
  EXPECT_EQ(r.reasons.back(),
            "P1 src/a.c:12 'Null dereference' open — run `gavel decide F3 "
            "uphold|dismiss|waive --reason ...`");
  auto upheld = blocking_finding(FindingState::upheld);
  EXPECT_NE(gate_line(upheld, LoopPolicy{}).find("fix it"), std::string::npos);
}

TEST(Gate, NonBlockingFindingsDoNotBlock) {
  Finding nit = blocking_finding();
  nit.raised.priority = Priority::p2;
  Finding adjacent = blocking_finding();
  adjacent.adjacent = true;
  auto s = session(Verdict::converged, {nit, adjacent});
  EXPECT_EQ(evaluate_gate("abc", &s, LoopPolicy{}).answer, GateAnswer::pass);
}

}  // namespace
}  // namespace gavel::review
