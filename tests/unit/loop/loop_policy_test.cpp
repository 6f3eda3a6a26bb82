#include "loop/loop_policy.hpp"

#include <gtest/gtest.h>

namespace gavel::loop {
namespace {

TEST(LoopPolicyFrom, DefaultsMatchTheMachinesDefaults) {
  const review::LoopPolicy from_config = loop_policy_from(config::Config{});
  const review::LoopPolicy machine;
  EXPECT_EQ(from_config.blocking_threshold, machine.blocking_threshold);
  EXPECT_EQ(from_config.round_limit, machine.round_limit);
  EXPECT_EQ(from_config.insist_limit, machine.insist_limit);
  EXPECT_EQ(from_config.p3_maps_to, machine.p3_maps_to);
  EXPECT_EQ(from_config.triage, machine.triage);
  EXPECT_EQ(from_config.implementer, review::ImplementerMode::enabled);
  EXPECT_EQ(from_config.per_session.tokens, 2'000'000);
  EXPECT_EQ(from_config.per_round.wall_ms, 600'000);
  EXPECT_EQ(from_config.per_session.wall_ms, 3'600'000);
  EXPECT_EQ(from_config.infra_failure_gate, review::InfraFailureGate::fail_open);
}

TEST(LoopPolicyFrom, EveryFieldIsCarriedOver) {
  config::Config c;
  c.review.blocking_threshold = 0;
  c.review.round_limit = 3;
  c.review.insist_limit = 5;
  c.review.p3_maps_to = 3;
  c.review.triage = config::Triage::human_blocking;
  c.gate.infra_failure = config::FailMode::closed;
  c.budget.tokens_per_round = 7;
  c.budget.cost_per_session_usd = 1.5;
  c.budget.round_wall = std::chrono::seconds(9);
  const review::LoopPolicy p = loop_policy_from(c, false);
  EXPECT_EQ(p.blocking_threshold, review::Priority::p0);
  EXPECT_EQ(p.round_limit, 3);
  EXPECT_EQ(p.insist_limit, 5);
  EXPECT_EQ(p.p3_maps_to, review::Priority::p3);
  EXPECT_EQ(p.triage, review::Triage::human_blocking);
  EXPECT_EQ(p.implementer, review::ImplementerMode::disabled);
  EXPECT_EQ(p.infra_failure_gate, review::InfraFailureGate::fail_closed);
  EXPECT_EQ(p.per_round.tokens, 7);
  EXPECT_DOUBLE_EQ(p.per_session.cost_usd, 1.5);
  EXPECT_EQ(p.per_round.wall_ms, 9000);
}

}  // namespace
}  // namespace gavel::loop
