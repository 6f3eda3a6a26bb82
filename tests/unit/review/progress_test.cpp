#include "review/progress.hpp"

#include "convergence_harness.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;

TEST(Progress, SeverityWeightsOpenFindings) {
  LoopPolicy policy;
  std::vector<Finding> f(5);
  f[0].raised.priority = Priority::p0;
  f[1].raised.priority = Priority::p1;
  f[2].raised.priority = Priority::p3;
  f[3].raised.priority = Priority::p0;
  f[3].state = FindingState::verified;
  f[4].raised.priority = Priority::p0;
  f[4].adjacent = true;
  EXPECT_EQ(severity_score(f, policy), 8 + 4 + 1);
  EXPECT_EQ(blocking_count(f, policy), 2);
}

TEST(Progress, TrendTable) {
  EXPECT_EQ(trend(-1, 5), Trend::first);
  EXPECT_EQ(trend(5, 3), Trend::improving);
  EXPECT_EQ(trend(5, 5), Trend::flat);
  EXPECT_EQ(trend(3, 5), Trend::worsening);
}

TEST(Progress, DescribeNamesNonZeroFigures) {
  RoundProgress p;
  p.new_findings = 2;
  p.verified = 1;
  p.blocking_open = 3;
  p.severity = 9;
  p.trend = Trend::improving;
  EXPECT_EQ(describe(p, 3, "reviewer"),
            "round 3 (reviewer): 2 new, 1 verified; 3 blocking; severity 9 (improving)");
  EXPECT_EQ(describe(RoundProgress{}, 1, "implementer"),
            "round 1 (implementer): no change; 0 blocking; severity 0 (first)");
}

TEST(Progress, MachineRecordsFiguresPerRound) {
  const std::string base = lines(30);
  Harness h;
  h.change(snapshot("s1", {file("src/a.c", base)}));
  h.review({raised("src/a.c", 10, "Null dereference of ptr"), raised("src/a.c", 20, "Leak of buf")});
  h.implement({response("F1", FindingResponse::Action::fixed),
               response("F2", FindingResponse::Action::disputed)},
              snapshot("s2", {file("src/a.c", replace_line(base, 10, "ok();"))}));
  h.review({raised("src/a.c", 25, "Unchecked return")}, {});
  const auto& rounds = h.machine.state().rounds;
  ASSERT_EQ(rounds.size(), 3u);
  EXPECT_EQ(rounds[0].progress.new_findings, 2);
  EXPECT_EQ(rounds[0].progress.trend, Trend::first);
  EXPECT_EQ(rounds[1].progress.fixed, 1);
  EXPECT_EQ(rounds[1].progress.disputed, 1);
  EXPECT_TRUE(rounds[1].progress.code_changed);
  EXPECT_EQ(rounds[2].progress.new_findings, 1);
  EXPECT_EQ(rounds[2].progress.verified, 1);   // F1: fix not raised again
  EXPECT_EQ(rounds[2].progress.withdrawn, 1);  // F2: dispute not kept
  EXPECT_EQ(rounds[2].progress.blocking_open, 1);
  EXPECT_EQ(rounds[2].progress.trend, Trend::improving);
}

}  // namespace
}  // namespace gavel::review
