#include "loop/loop_policy.hpp"

#include <chrono>

namespace gavel::loop {
namespace {

review::Priority priority_from(int level) {
  return static_cast<review::Priority>(level);  // config validates 0..3
}

review::Triage triage_from(config::Triage t) {
  switch (t) {
    case config::Triage::automatic: return review::Triage::automatic;
    case config::Triage::human: return review::Triage::human;
    case config::Triage::human_blocking: return review::Triage::human_blocking;
  }
  return review::Triage::automatic;
}

std::int64_t ms(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(s).count();
}

}  // namespace

review::LoopPolicy loop_policy_from(const config::Config& config, bool implementer_enabled) {
  review::LoopPolicy policy;
  policy.blocking_threshold = priority_from(config.review.blocking_threshold);
  policy.round_limit = config.review.round_limit;
  policy.insist_limit = config.review.insist_limit;
  policy.p3_maps_to = priority_from(config.review.p3_maps_to);
  policy.triage = triage_from(config.review.triage);
  policy.implementer =
      implementer_enabled ? review::ImplementerMode::enabled : review::ImplementerMode::disabled;
  policy.infra_failure_gate = config.gate.infra_failure == config::FailMode::open
                                  ? review::InfraFailureGate::fail_open
                                  : review::InfraFailureGate::fail_closed;
  policy.per_round.tokens = config.budget.tokens_per_round;
  policy.per_round.wall_ms = ms(config.budget.round_wall);
  policy.per_session.tokens = config.budget.tokens_per_session;
  policy.per_session.cost_usd = config.budget.cost_per_session_usd;
  policy.per_session.wall_ms = ms(config.budget.session_wall);
  policy.per_day.tokens = config.budget.tokens_per_day;
  policy.per_day.cost_usd = config.budget.cost_per_day_usd;
  return policy;
}

}  // namespace gavel::loop
