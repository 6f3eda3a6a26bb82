#include "review/lifecycle.hpp"

#include "review/priority.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gavel::review {
namespace {

using S = FindingState;

const S k_all[] = {S::open,     S::fixed,    S::verified,  S::reopened, S::disputed, S::withdrawn,
                   S::insisted, S::escalated, S::upheld,   S::dismissed, S::waived};

// Every legal agent/machine transition (DESIGN.md lifecycle plus "resolved" and withdrawals).
const std::set<std::pair<S, S>> k_legal{
    {S::open, S::fixed},         {S::open, S::disputed},       {S::open, S::verified},
    {S::open, S::withdrawn},     {S::reopened, S::fixed},      {S::reopened, S::disputed},
    {S::reopened, S::verified},  {S::reopened, S::withdrawn},  {S::upheld, S::fixed},
    {S::upheld, S::verified},    {S::fixed, S::verified},      {S::fixed, S::reopened},
    {S::fixed, S::withdrawn},    {S::disputed, S::withdrawn},  {S::disputed, S::insisted},
    {S::insisted, S::fixed},     {S::insisted, S::disputed},   {S::insisted, S::verified},
    {S::insisted, S::withdrawn}, {S::insisted, S::escalated},  {S::verified, S::reopened},
    {S::withdrawn, S::reopened},
};

Finding in_state(S s) {
  Finding f;
  f.id = "F1";
  f.state = s;
  f.current_anchor = "new code";
  f.closed_anchor = "old code";  // evidence present unless a test says otherwise
  return f;
}

TransitionContext ctx(std::string reason = "why") { return {"codex", 42, std::move(reason)}; }

TEST(Lifecycle, EveryAgentTransitionPair) {
  for (S from : k_all) {
    for (S to : k_all) {
      bool legal = k_legal.count({from, to}) > 0;
      EXPECT_EQ(is_agent_transition(from, to), legal) << to_string(from) << "->" << to_string(to);
      Finding f = in_state(from);
      auto r = transition(f, to, ctx());
      EXPECT_EQ(r.has_value(), legal) << to_string(from) << "->" << to_string(to);
      if (legal) {
        ASSERT_EQ(f.history.size(), 1u);
        EXPECT_EQ(f.history[0].from, from);
        EXPECT_EQ(f.history[0].to, to);
        EXPECT_EQ(f.history[0].actor, "codex");
        EXPECT_EQ(f.history[0].at_ms, 42);
        EXPECT_EQ(f.history[0].reason, "why");
        EXPECT_EQ(f.state, to);
      } else {
        EXPECT_EQ(r.error().code, Errc::invalid_argument);
        EXPECT_TRUE(f.history.empty());
        EXPECT_EQ(f.state, from);
      }
    }
  }
}

TEST(Lifecycle, HumanDecisionFromEveryState) {
  for (S from : k_all) {
    for (Decision d : {Decision::uphold, Decision::dismiss, Decision::waive}) {
      Finding f = in_state(from);
      f.awaiting_human = true;
      auto r = decide(f, d, {"human:ann", 7, "false positive: checked upstream"});
      bool legal = from != state_after(d);
      EXPECT_EQ(r.has_value(), legal) << to_string(from) << " " << to_string(d);
      if (!legal) continue;
      EXPECT_EQ(f.state, state_after(d));
      EXPECT_FALSE(f.awaiting_human);
      EXPECT_EQ(f.trace_requested, d == Decision::dismiss);
      EXPECT_EQ(f.history.back().actor, "human:ann");
    }
  }
}

struct ReasonCase {
  Decision decision;
  const char* reason;
  bool ok;
};

TEST(Lifecycle, DismissAndWaiveNeedAReason) {
  const ReasonCase cases[] = {
      {Decision::uphold, "", true},      {Decision::dismiss, "", false},
      {Decision::dismiss, "  \n", false}, {Decision::dismiss, "mocked in tests", true},
      {Decision::waive, "", false},      {Decision::waive, "accepted risk", true},
  };
  for (const auto& c : cases) {
    Finding f = in_state(S::open);
    EXPECT_EQ(decide(f, c.decision, {"human:ann", 1, c.reason}).has_value(), c.ok)
        << to_string(c.decision) << " '" << c.reason << "'";
  }
  Finding f = in_state(S::open);
  EXPECT_FALSE(decide(f, Decision::uphold, {"", 1, ""}).has_value());  // no actor
}

TEST(Lifecycle, ReopenNeedsNewEvidence) {
  for (S closed : {S::verified, S::withdrawn}) {
    Finding f = in_state(closed);
    f.closed_anchor = f.current_anchor;
    auto r = transition(f, S::reopened, ctx());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::conflict);
    EXPECT_NE(r.error().message.find("no new evidence"), std::string::npos);
    EXPECT_EQ(f.state, closed);
    f.current_anchor = "changed code";
    EXPECT_TRUE(transition(f, S::reopened, ctx()).has_value());
  }
  // A fix the reviewer does not accept needs no evidence.
  Finding fixed = in_state(S::fixed);
  fixed.closed_anchor = fixed.current_anchor;
  EXPECT_TRUE(transition(fixed, S::reopened, ctx()).has_value());
}

TEST(Lifecycle, BookkeepingFollowsTransitions) {
  Finding f = in_state(S::disputed);
  ASSERT_TRUE(transition(f, S::insisted, ctx()).has_value());
  ASSERT_TRUE(transition(f, S::disputed, ctx()).has_value());
  ASSERT_TRUE(transition(f, S::insisted, ctx()).has_value());
  EXPECT_EQ(f.insists, 2);
  ASSERT_TRUE(transition(f, S::verified, ctx()).has_value());
  EXPECT_EQ(f.closed_anchor, f.current_anchor);
  EXPECT_EQ(f.history.size(), 4u);
}

TEST(Lifecycle, BlockingDependsOnPriorityStateAndAdjacency) {
  LoopPolicy policy;
  struct Case {
    Priority p;
    S state;
    bool adjacent;
    bool blocking;
  } cases[] = {
      {Priority::p0, S::open, false, true},     {Priority::p1, S::disputed, false, true},
      {Priority::p1, S::upheld, false, true},   {Priority::p1, S::escalated, false, true},
      {Priority::p2, S::open, false, false},    {Priority::p3, S::open, false, false},
      {Priority::p1, S::open, true, false},     {Priority::p1, S::verified, false, false},
      {Priority::p1, S::withdrawn, false, false}, {Priority::p1, S::dismissed, false, false},
      {Priority::p1, S::waived, false, false},
  };
  for (const auto& c : cases) {
    Finding f = in_state(c.state);
    f.raised.priority = c.p;
    f.adjacent = c.adjacent;
    EXPECT_EQ(is_blocking(f, policy), c.blocking) << to_string(c.p) << " " << to_string(c.state);
  }
  LoopPolicy strict;
  strict.blocking_threshold = Priority::p2;
  strict.p3_maps_to = Priority::p3;
  Finding nit = in_state(S::open);
  nit.raised.priority = Priority::p3;
  EXPECT_FALSE(is_blocking(nit, strict));
  nit.raised.priority = Priority::p2;
  EXPECT_TRUE(is_blocking(nit, strict));
}

TEST(Lifecycle, DecisionNamesRoundTrip) {
  for (Decision d : {Decision::uphold, Decision::dismiss, Decision::waive}) {
    EXPECT_EQ(decision_from_string(to_string(d)), d);
  }
  EXPECT_FALSE(decision_from_string("approve").has_value());
}

}  // namespace
}  // namespace gavel::review
