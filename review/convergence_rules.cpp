#include "review/convergence_rules.hpp"

#include "review/lifecycle.hpp"

#include <algorithm>

namespace gavel::review {

std::vector<std::string> blocking_ids(const std::vector<Finding>& findings,
                                      const LoopPolicy& policy) {
  std::vector<std::string> ids;
  for (const auto& f : findings) {
    if (is_blocking(f, policy)) ids.push_back(f.id);
  }
  return ids;
}

bool traces_pending(const std::vector<Finding>& findings, const LoopPolicy& policy) {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.state == FindingState::dismissed && f.trace_requested && !f.adjacent &&
           at_or_above_threshold(f.raised.priority, policy);
  });
}

bool converged(const std::vector<Finding>& findings, const LoopPolicy& policy) {
  bool blocking = std::any_of(findings.begin(), findings.end(),
                              [&](const Finding& f) { return is_blocking(f, policy); });
  return !blocking && !traces_pending(findings, policy);
}

bool needs_triage(Priority priority, bool adjacent, const LoopPolicy& policy) {
  if (adjacent) return false;
  switch (policy.triage) {
    case Triage::automatic: return false;
    case Triage::human: return true;
    case Triage::human_blocking: return at_or_above_threshold(priority, policy);
  }
  return false;
}

bool awaiting_human(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
    return f.awaiting_human && !is_closed(f.state);
  });
}

std::vector<std::string> dispute_deadlock(const std::vector<Finding>& findings,
                                          const LoopPolicy& policy) {
  std::vector<std::string> ids;
  for (const auto& f : findings) {
    if (f.state == FindingState::insisted && f.insists >= policy.insist_limit &&
        is_blocking(f, policy)) {
      ids.push_back(f.id);
    }
  }
  return ids;
}

bool oscillation(const std::vector<std::string>& seen, std::string_view before,
                 std::string_view after) {
  if (after == before) return false;
  return std::find(seen.begin(), seen.end(), after) != seen.end();
}

bool implementer_stall(const std::vector<Finding>& findings, const LoopPolicy& policy,
                       std::string_view before, std::string_view after) {
  if (after != before) return false;
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
    return is_blocking(f, policy) && f.state != FindingState::disputed &&
           f.state != FindingState::escalated && !f.awaiting_human;
  });
}

bool reviewer_stall(const ReviewFacts& facts) {
  return facts.after_implementer && !facts.raised_new && !facts.verdict_changed &&
         !facts.dispute_answered && !facts.blocking_anchor_changed;
}

bool room_for_fix(int round, const LoopPolicy& policy) { return round + 2 <= policy.round_limit; }

std::optional<std::string> budget_exhausted(const BudgetUse& use, const LoopPolicy& policy) {
  auto over_i = [](std::int64_t used, std::int64_t limit) { return limit > 0 && used >= limit; };
  auto over_d = [](double used, double limit) { return limit > 0 && used >= limit; };
  auto say = [](const char* what, auto used, auto limit) {
    return std::string(what) + " " + std::to_string(used) + "/" + std::to_string(limit);
  };
  const Budget& r = policy.per_round;
  const Budget& s = policy.per_session;
  if (over_i(use.round.tokens, r.tokens)) return say("round tokens", use.round.tokens, r.tokens);
  if (over_d(use.round.cost_usd, r.cost_usd)) {
    return say("round cost (USD)", use.round.cost_usd, r.cost_usd);
  }
  if (over_i(use.round_elapsed_ms, r.wall_ms)) {
    return say("round wall-clock (ms)", use.round_elapsed_ms, r.wall_ms);
  }
  if (over_i(use.session.tokens, s.tokens)) {
    return say("session tokens", use.session.tokens, s.tokens);
  }
  if (over_d(use.session.cost_usd, s.cost_usd)) {
    return say("session cost (USD)", use.session.cost_usd, s.cost_usd);
  }
  if (over_i(use.session_elapsed_ms, s.wall_ms)) {
    return say("session wall-clock (ms)", use.session_elapsed_ms, s.wall_ms);
  }
  Usage day = policy.used_today;
  day += use.session;
  if (over_i(day.tokens, policy.per_day.tokens)) {
    return say("daily tokens", day.tokens, policy.per_day.tokens);
  }
  if (over_d(day.cost_usd, policy.per_day.cost_usd)) {
    return say("daily cost (USD)", day.cost_usd, policy.per_day.cost_usd);
  }
  return std::nullopt;
}

bool retryable(FailureKind kind) noexcept { return kind != FailureKind::auth; }

std::int64_t retry_delay(const LoopPolicy& policy, int failed_attempt,
                         std::int64_t retry_after_ms) noexcept {
  const auto& b = policy.backoff_ms;
  std::size_t i = static_cast<std::size_t>(std::clamp(failed_attempt, 1, 3) - 1);
  return std::max(b[i], retry_after_ms);
}

std::vector<Finding> implementer_worklist(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const auto& f : findings) {
    if (f.adjacent || f.awaiting_human) continue;
    bool asks = f.state == FindingState::open || f.state == FindingState::reopened ||
                f.state == FindingState::upheld || f.state == FindingState::insisted ||
                (f.state == FindingState::dismissed && f.trace_requested);
    if (asks) out.push_back(f);
  }
  return out;
}

std::vector<Finding> reviewer_worklist(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const auto& f : findings) {
    if (!is_closed(f.state)) out.push_back(f);
  }
  return out;
}

}  // namespace gavel::review
